"""Who sees whose assessments beyond the direct team: a manager's manager."""

import pytest

from assessments.selectors import assessments_visible_to
from tests.assessments.helpers import assign
from tests.conftest import make_employee

pytestmark = pytest.mark.django_db


def test_indirect_reports_are_visible_to_their_managers_manager(small_standard, carol, alice):
    director = make_employee("director", "D001", "總監")
    carol.manager = director
    carol.save()
    assessment = assign(small_standard, alice)

    assert list(assessments_visible_to(director.user)) == [assessment]
    assert list(assessments_visible_to(carol.user)) == [assessment]
