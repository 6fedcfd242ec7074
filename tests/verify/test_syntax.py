import asyncio

from codesieve.stages import ProblemCandidates
from codesieve.verify.syntax import MAX_PROGRAM_CHARS, SyntaxVerifier, compile_error, parse

from tests.verify.conftest import ADD, cands


def test_prunes_what_does_not_compile_and_keeps_the_rest():
    group = ProblemCandidates(ADD, cands(ADD, "def add(a, b):\n    return a + b\n", "def add(a, b)\n    return a+b",
                             "return 1\n"))
    [scores] = asyncio.run(SyntaxVerifier().check([group]))
    assert [s.keep for s in scores] == [True, False, False]
    assert "SyntaxError" in scores[1].note and "outside function" in scores[2].note
    assert all(s.cost_s >= 0 for s in scores)


def test_hostile_sources_fail_fast_instead_of_crashing_the_compiler():
    for source in ("x" * (MAX_PROGRAM_CHARS + 1), "(" * 150 + ")" * 150, "-" * 50_000 + "1",
                   "x" + ".a" * 40_000, "a\x00b"):
        assert compile_error(source)
        assert isinstance(parse(source), str)


def test_constant_folding_is_not_a_bomb():
    assert compile_error("x = 2 ** 10 ** 10\ny = 'a' * 10 ** 9\n") == ""
