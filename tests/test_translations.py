"""Every string the UI shows is translated into Traditional Chinese."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = Path("locale") / "zh_Hant" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "manage.py",
    "portal",
    "common",
    "standards",
    "assessments",
    "reports",
    "jobs",
    "plans",
    "notifications",
    "templates",
    "locale",
]


def problems(po: polib.POFile) -> list[str]:
    return [f"untranslated: {e.msgid!r}" for e in po.untranslated_entries()] + [
        f"fuzzy: {e.msgid!r}" for e in po.fuzzy_entries()
    ]


def test_the_zh_hant_translations_have_no_untranslated_or_fuzzy_entry():
    assert problems(polib.pofile(str(ROOT / CATALOGUE))) == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_string_in_the_code_and_templates_is_in_the_translations(tmp_path):
    # makemessages rewrites the catalogue in place, so it runs on a copy of the sources.
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, tmp_path / name)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hant", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
    )

    assert problems(polib.pofile(str(tmp_path / CATALOGUE))) == []
