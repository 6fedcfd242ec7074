from codesieve.execution.compare import fingerprint_text, fingerprint_value, stdio_match, values_match
from codesieve.execution import codec


def test_stdio_whitespace_is_normalised():
    assert stdio_match("1 2\n3\n", "1  2 3")
    assert not stdio_match("1 2 3", "1 2")


def test_stdio_float_tolerance_but_not_for_integers():
    assert stdio_match("0.3333333", "0.33333334")
    assert not stdio_match("0.33", "0.34")
    assert not stdio_match("100000000", "100000001")


def test_values_exact_and_float_tolerance():
    assert values_match([1, 2], [1, 2])
    assert not values_match([1, 2], (1, 2))
    assert values_match([1, 2], (1, 2), sequences_as_lists=True)
    assert values_match(0.1 + 0.2, 0.3)
    assert values_match([0.1 + 0.2, 1.0], [0.3, 1.0])
    assert not values_match(1.0, 1.1)
    assert values_match(1.0, 1.05, atol=0.1)
    assert values_match(float("nan"), float("nan"))
    assert not values_match("1", 1)
    assert values_match(True, 1)


def test_fingerprints_group_equal_behaviour():
    assert fingerprint_value(codec.encode(0.1 + 0.2)) == fingerprint_value(codec.encode(0.3))
    assert fingerprint_value(codec.encode([1, 2])) != fingerprint_value(codec.encode((1, 2)))
    assert fingerprint_text("1  2\n") == fingerprint_text("1 2")
