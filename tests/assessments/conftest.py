import pytest

from standards.models import Standard
from tests.factories import small_standard as build_small_standard


@pytest.fixture
def small_standard(db) -> Standard:
    """TST0001-001v1, published: T1.1 (level 3), T1.2 (4) under T1 and T2.1 (2) under T2,
    each with one indicator and one output."""
    return build_small_standard()
