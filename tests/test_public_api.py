import codesieve


def test_all_is_sorted_and_complete():
    assert codesieve.__all__ == sorted(codesieve.__all__)
    for name in codesieve.__all__:
        assert hasattr(codesieve, name), name


def test_errors_share_one_root():
    for name in ("BackendError", "ConfigError", "ProblemError", "SandboxError", "StoreError"):
        assert issubclass(getattr(codesieve, name), codesieve.CodesieveError)
