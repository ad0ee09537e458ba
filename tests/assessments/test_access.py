"""Who may open which page of the assessments app (URL × persona).

alice owns the assessment; bob is another employee of the same team; carol is their
manager; dave manages another team; hannah is HR; stan is staff without any permission
(he gets what an employee with nobody reporting to him gets); sophie is a superuser
(she sees what HR sees, and fills in only her own assessments).
"""

from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import Assessment, Cycle, Employee, EvidenceFile, JobTitleAssignment
from assessments.services import RatingInput, assessment_save, job_title_assignment_create
from tests.assessments.helpers import assign, form_data, open_cycle, ratings
from tests.assessments.test_evidence import PDF, upload
from tests.conftest import DEPARTMENTS, built_for_module, make_department, make_persona
from tests.factories import small_standard

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, MISSING, LOGIN = 200, 403, 404, "login"

# url name (with alice's assessment or the cycle as argument) → expected per persona
MATRIX = {
    ("mine", None): dict(alice=OK, bob=OK, carol=OK, dave=OK, hannah=OK, stan=OK, sophie=OK),
    ("form", "draft"): dict(
        alice=OK,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    ("form", "submitted"): dict(
        alice=302,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    # The confirmation before submitting: alice's draft has tasks unrated (back to the
    # form), her submitted one is done (to the result).
    ("submit", "draft"): dict(
        alice=302,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    ("submit", "submitted"): dict(
        alice=302,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    ("result", "submitted"): dict(
        alice=OK, bob=MISSING, carol=OK, dave=MISSING, hannah=OK, stan=MISSING, sophie=OK
    ),
    ("result", "draft"): dict(
        alice=OK, bob=MISSING, carol=OK, dave=MISSING, hannah=OK, stan=MISSING, sophie=OK
    ),
    # Attaching and deleting files: the employee's own, while a draft; downloading them:
    # whoever may see the assessment.
    ("evidence", "draft"): dict(
        alice=OK,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    ("evidence", "submitted"): dict(
        alice=OK,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    ("evidence_file", "draft_file"): dict(
        alice=OK, bob=MISSING, carol=OK, dave=MISSING, hannah=OK, stan=MISSING, sophie=OK
    ),
    ("evidence_file", "submitted_file"): dict(
        alice=OK, bob=MISSING, carol=OK, dave=MISSING, hannah=OK, stan=MISSING, sophie=OK
    ),
    ("evidence_delete", "draft_file"): dict(
        alice=OK,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    ("evidence_delete", "submitted_file"): dict(
        alice=302,
        bob=MISSING,
        carol=MISSING,
        dave=MISSING,
        hannah=MISSING,
        stan=MISSING,
        sophie=MISSING,
    ),
    ("my_data", None): dict(alice=OK, bob=OK, carol=OK, dave=OK, hannah=OK, stan=OK, sophie=OK),
    ("my_data_json", None): dict(
        alice=OK, bob=OK, carol=OK, dave=OK, hannah=OK, stan=OK, sophie=OK
    ),
    ("my_data_csv", None): dict(alice=OK, bob=OK, carol=OK, dave=OK, hannah=OK, stan=OK, sophie=OK),
    ("cycles", None): dict(
        alice=FORBIDDEN,
        bob=FORBIDDEN,
        carol=FORBIDDEN,
        dave=FORBIDDEN,
        hannah=OK,
        stan=FORBIDDEN,
        sophie=OK,
    ),
    ("cycle", "cycle"): dict(
        alice=FORBIDDEN,
        bob=FORBIDDEN,
        carol=FORBIDDEN,
        dave=FORBIDDEN,
        hannah=OK,
        stan=FORBIDDEN,
        sophie=OK,
    ),
    ("hr_home", None): dict(
        alice=FORBIDDEN,
        bob=FORBIDDEN,
        carol=FORBIDDEN,
        dave=FORBIDDEN,
        hannah=OK,
        stan=FORBIDDEN,
        sophie=OK,
    ),
    # POST only: HR is told the method is not allowed, everyone else is refused first.
    ("job_title_assign", "cycle"): dict(
        alice=FORBIDDEN,
        bob=FORBIDDEN,
        carol=FORBIDDEN,
        dave=FORBIDDEN,
        hannah=405,
        stan=FORBIDDEN,
        sophie=405,
    ),
    ("job_title_unassign", "cycle rule"): dict(
        alice=FORBIDDEN,
        bob=FORBIDDEN,
        carol=FORBIDDEN,
        dave=FORBIDDEN,
        hannah=OK,
        stan=FORBIDDEN,
        sophie=OK,
    ),
    ("withdraw", "cycle pending"): dict(
        alice=FORBIDDEN,
        bob=FORBIDDEN,
        carol=FORBIDDEN,
        dave=FORBIDDEN,
        hannah=OK,
        stan=FORBIDDEN,
        sophie=OK,
    ),
}
PERSONAS = ["alice", "bob", "carol", "dave", "hannah", "stan", "sophie"]


def build_objects() -> dict[str, int]:
    """The personas; alice's draft (one task rated) in one cycle and her submitted
    assessment in another; bob's pending assessment and a job-title rule in the first
    cycle. Returns the ids of the draft, the submitted one, the cycle, the pending one
    and the rule."""
    for department in DEPARTMENTS:
        make_department(department)
    for name in ["carol", "alice", "bob", "dave", "erin", "hannah", "stan", "sophie"]:
        make_persona(name)
    alice = Employee.objects.get(user__username="alice")
    standard = small_standard()
    cycle = open_cycle()
    draft = assign(standard, alice, cycle)
    assessment_save(
        assessment=draft, version=0, ratings={ratings(draft)[0].pk: RatingInput(self_level=2)}
    )
    submitted = assign(standard, alice, open_cycle("another cycle"))
    assessment_save(
        assessment=submitted,
        version=0,
        ratings={r.pk: RatingInput(self_level=3) for r in ratings(submitted)},
        submit=True,
    )
    pending = assign(standard, Employee.objects.get(user__username="bob"), cycle)
    rule, _assignment = job_title_assignment_create(
        cycle=cycle, job_title="採購專員", standard=standard
    )
    return {
        "draft": draft.pk,
        "submitted": submitted.pk,
        "cycle": cycle.pk,
        "pending": pending.pk,
        "rule": rule.pk,
    }


@pytest.fixture(scope="module")
def module_objects(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    """`build_objects()` once for the module: every test here only reads them (a refused
    change is rolled back with the test)."""
    with built_for_module(django_db_blocker, build_objects) as ids:
        yield ids


@pytest.fixture
def objects(module_objects, db) -> tuple[dict, dict[str, Employee]]:
    """Fresh instances of alice's draft, submitted assessment and cycle, and of the people;
    an evidence file on each assessment (stored for this test only)."""
    targets = {
        "draft": Assessment.objects.get(pk=module_objects["draft"]),
        "submitted": Assessment.objects.get(pk=module_objects["submitted"]),
        "cycle": Cycle.objects.get(pk=module_objects["cycle"]),
        "pending": Assessment.objects.get(pk=module_objects["pending"]),
        "rule": JobTitleAssignment.objects.get(pk=module_objects["rule"]),
    }
    for name in ("draft", "submitted"):
        evidence = EvidenceFile(
            rating=ratings(targets[name])[0],
            name="紀錄.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        evidence.file.save("evidence", ContentFile(PDF))
        targets[f"{name}_file"] = evidence
    people = {
        employee.user.username: employee
        for employee in Employee.objects.select_related("user").filter(user__username__in=PERSONAS)
    }
    return targets, people


CASES = [(key, persona) for key in MATRIX for persona in PERSONAS]


def url_of(key: tuple[str, str | None], targets: dict) -> str:
    name, target = key
    names = target.split() if target else []
    return reverse(f"assessments:{name}", args=[targets[n].pk for n in names])


@pytest.mark.parametrize("key", MATRIX, ids=[f"{name}-{target}" for name, target in MATRIX])
def test_anonymous_visitors_are_sent_to_log_in(client, objects, key):
    targets, _ = objects

    response = client.get(url_of(key, targets))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(("key", "persona"), CASES, ids=[f"{k[0]}-{k[1]}-{p}" for k, p in CASES])
def test_access_matrix(client, objects, key, persona):
    targets, people = objects
    client.force_login(people[persona].user)

    response = client.get(url_of(key, targets))

    assert response.status_code == MATRIX[key][persona]


@pytest.mark.parametrize("persona", ["bob", "carol", "hannah", "stan", "sophie"])
def test_nobody_but_the_employee_can_save_their_assessment(client, objects, persona):
    targets, people = objects
    draft = targets["draft"]
    client.force_login(people[persona].user)

    response = client.post(
        reverse("assessments:form", args=[draft.pk]), form_data(draft, {0: 6, 1: 6})
    )

    assert response.status_code == 404
    assert list(draft.ratings.order_by("order").values_list("self_level", flat=True)[:2]) == [
        2,
        None,
    ]


@pytest.mark.parametrize("persona", ["bob", "carol", "hannah", "stan", "sophie"])
def test_nobody_but_the_employee_can_submit_their_assessment(client, objects, persona):
    targets, people = objects
    draft = targets["draft"]
    client.force_login(people[persona].user)

    url = reverse("assessments:submit", args=[draft.pk])
    response = client.post(url, {"version": draft.version, "confirm": "1"})

    assert response.status_code == 404
    draft.refresh_from_db()
    assert not draft.is_submitted


@pytest.mark.parametrize("persona", ["bob", "carol", "hannah", "stan", "sophie"])
def test_nobody_but_the_employee_can_attach_or_delete_a_file(client, objects, persona):
    targets, people = objects
    draft = targets["draft"]
    client.force_login(people[persona].user)

    attached = client.post(
        reverse("assessments:evidence", args=[draft.pk]),
        {"rating": ratings(draft)[0].pk, "file": upload()},
    )
    deleted = client.post(reverse("assessments:evidence_delete", args=[targets["draft_file"].pk]))

    assert (attached.status_code, deleted.status_code) == (404, 404)
    assert list(EvidenceFile.objects.filter(rating__assessment=draft)) == [targets["draft_file"]]


def test_anonymous_cannot_post_to_an_assessment(client, objects):
    targets, _ = objects
    draft = targets["draft"]

    response = client.post(reverse("assessments:form", args=[draft.pk]), form_data(draft, {0: 6}))

    assert response.status_code == 302
    assert draft.ratings.order_by("order").first().self_level == 2


def test_my_assessments_lists_only_ones_own(client, objects):
    targets, people = objects
    client.force_login(people["bob"].user)

    response = client.get(reverse("assessments:mine"))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("assessments:form", args=[targets["draft"].pk]) not in html
    assert reverse("assessments:result", args=[targets["submitted"].pk]) not in html


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "dave", "stan"])
def test_nobody_but_hr_can_assign_withdraw_or_assign_by_job_title(client, objects, persona):
    targets, people = objects
    cycle, pending, rule = targets["cycle"], targets["pending"], targets["rule"]
    client.force_login(people[persona].user)
    before = Assessment.objects.count()

    posts = [
        (reverse("assessments:cycle", args=[cycle.pk]), {"standard": pending.standard_id}),
        (reverse("assessments:withdraw", args=[cycle.pk, pending.pk]), {}),
        (
            reverse("assessments:job_title_assign", args=[cycle.pk]),
            {"rule-job_title": "業務", "rule-standard": pending.standard_id},
        ),
        (reverse("assessments:job_title_unassign", args=[cycle.pk, rule.pk]), {}),
        (reverse("assessments:cycles"), {"name": "偷開", "opens_on": "2027-01-01"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url

    assert Assessment.objects.count() == before
    assert JobTitleAssignment.objects.count() == 1
    assert Cycle.objects.count() == 2
