"""The release's digest: a number that changes whenever the code, a template or a
compiled translation changes, so that a cache shared by several app servers (Redis)
never hands a page rendered by one release to another (docs/deployment.md §11).

Computed from the files' contents, not their dates, so every server of the same
release finds the same number; it takes a few milliseconds, once per process.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

# What a rendered page or fragment depends on: the portal's Python, its templates and
# its compiled messages (tests, benchmarks and the virtualenv are left out).
PARTS = ("*.py", "*/*.py", "*/*/*.py", "templates/**/*", "locale/**/*.mo")
LEFT_OUT = ("tests", "bench", ".venv", "node_modules", "staticfiles", "media")


def release_digest(base: Path) -> int:
    """A 32-bit number naming the contents of the release at `base`."""
    digest = hashlib.sha256()
    files = {path for part in PARTS for path in base.glob(part) if path.is_file()}
    for path in sorted(files):
        relative = path.relative_to(base)
        if relative.parts[0] in LEFT_OUT or "__pycache__" in relative.parts:
            continue
        digest.update(relative.as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return int(digest.hexdigest()[:8], 16)
