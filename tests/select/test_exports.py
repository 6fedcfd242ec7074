import codesieve.stages as stages
import codesieve.store as store


def test_public_names_exist_and_are_sorted():
    for module in (stages, store):
        assert module.__all__ == sorted(module.__all__)
        assert all(hasattr(module, name) for name in module.__all__)
