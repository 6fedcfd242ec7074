from tests.verify.conftest import executor, pool, problems  # noqa: F401 - shared session fixtures
