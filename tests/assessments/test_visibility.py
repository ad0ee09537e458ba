"""Who sees whose assessments beyond the direct team: a manager's manager."""

import pytest

from assessments.models import Department
from assessments.selectors import assessments_visible_to, department_tree_ids, report_ids
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


def test_the_reporting_tree_is_read_whole_in_one_query_however_deep(
    django_assert_num_queries,
):
    chief = make_employee("chief", "C000", "總經理")
    above, chain = chief, []
    for depth in range(6):
        above = make_employee(f"level{depth}", f"L{depth:03}", f"第{depth}層", manager=above)
        chain.append(above)
    side = make_employee("side", "S001", "旁支", manager=chain[2])

    with django_assert_num_queries(1):
        found = report_ids(chief)

    assert found == {employee.pk for employee in [*chain, side]}
    assert report_ids(chain[2]) == {employee.pk for employee in [*chain[3:], side]}
    assert report_ids(chain[-1]) == set()


def test_a_loop_in_the_reporting_lines_ends_the_walk(carol, alice):
    carol.manager = alice  # alice reports to carol: a loop, as a bad import could make
    carol.save()

    assert report_ids(carol) == {alice.pk}
    assert report_ids(alice) == {carol.pk}


def test_a_department_tree_is_read_in_one_query(django_assert_num_queries):
    root = Department.objects.create(code="R", name="總部")
    child = Department.objects.create(code="R1", name="一處", parent=root)
    grandchild = Department.objects.create(code="R11", name="一科", parent=child)
    Department.objects.create(code="X", name="他部")

    with django_assert_num_queries(1):
        found = department_tree_ids(root)

    assert found == {root.pk, child.pk, grandchild.pk}
    assert department_tree_ids(grandchild) == {grandchild.pk}
