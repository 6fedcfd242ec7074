import pytest

import codesieve.pareto
import codesieve.verify


@pytest.mark.parametrize("package", [codesieve.verify, codesieve.pareto])
def test_public_names_exist_and_are_sorted(package):
    assert package.__all__ == sorted(package.__all__)
    assert all(hasattr(package, name) for name in package.__all__)
