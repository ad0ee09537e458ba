"""A backup of everything (standards, organisation, assessments, evidence files) restores
the same data.

The documented commands (docs/deployment.md) are pg_dump/pg_restore and SQLite's
.backup, with an archive of MEDIA_ROOT for the files; this checks the database-neutral
route the portal itself offers: Django's dumpdata into an emptied database, then
loaddata, and the files' folder archived and unpacked again.
"""

import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, Employee, EvidenceFile, ManagerReview, TaskRating
from standards.models import Standard, Task

pytestmark = pytest.mark.django_db(transaction=True)

# Rebuilt by migrate or run-time bookkeeping, not data to back up.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def dump() -> str:
    """Everything, as dumpdata writes it (times to the millisecond, as Django serialises
    them: a time of exactly .000 s comes back without the fraction)."""
    out = StringIO()
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--indent=1",
        *[f"--exclude={label}" for label in NOT_BACKED_UP],
        stdout=out,
    )
    return re.sub(r"\.000(Z|[+-]\d\d:\d\d)\"", r'\1"', out.getvalue())


def test_a_full_backup_loaded_into_an_empty_database_gives_the_same_data(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media-root"
    call_command("load_demo", stdout=StringIO())
    evidence = EvidenceFile.objects.get()
    stored = evidence.file.read()
    submitted = Assessment.objects.get(stage=Assessment.Stage.SUBMITTED)
    ManagerReview.objects.create(
        assessment=submitted, reviewer=submitted.employee.manager, comment="表現穩定"
    )
    backup = tmp_path / "backup.json"
    backup.write_text(dump(), encoding="utf-8")
    assert "AVA4322-001v4" in backup.read_text(encoding="utf-8")
    media = shutil.make_archive(str(tmp_path / "media"), "gztar", settings.MEDIA_ROOT)
    models = (Standard, Task, Employee, TaskRating, EvidenceFile)
    counts = [model.objects.count() for model in models]

    call_command("flush", "--noinput")
    shutil.rmtree(settings.MEDIA_ROOT)
    assert Standard.objects.count() == Employee.objects.count() == 0
    call_command("loaddata", str(backup), stdout=StringIO())
    shutil.unpack_archive(media, settings.MEDIA_ROOT)

    assert [model.objects.count() for model in models] == counts
    assert dump() == backup.read_text(encoding="utf-8")
    client = Client()
    client.force_login(
        Employee.objects.get(
            employee_number=evidence.rating.assessment.employee.employee_number
        ).user
    )
    response = client.get(reverse("assessments:evidence_file", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == stored
