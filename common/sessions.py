"""Values that wait in the user's session between two requests and are taken only once.

An upload's preview and its confirmation are two requests, possibly on two app servers:
what waits between them waits in the session, which is in the database. Taking it is
atomic, so two confirmations of the same preview cannot both write.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import transaction


def session_take(session: SessionBase, key: str) -> Any | None:
    """Remove `key` from the session and return its value, or None if it is gone.

    With a database session (the portal's, plain or cached) the session's row is locked
    and rewritten only if it is unchanged since it was read: of two requests that loaded
    the same session, one gets the value and the other None.
    """
    if not isinstance(session, DatabaseSessionStore) or session.session_key is None:
        return session.pop(key, None)
    session.pop(key, None)
    rows = session.model.objects
    with transaction.atomic():
        row = rows.select_for_update().filter(session_key=session.session_key).first()
        if row is None:
            return None
        stored = session.decode(row.session_data)
        value = stored.pop(key, None)
        if value is None:
            return None
        # Compare-and-swap: also exactly once where SELECT ... FOR UPDATE is a no-op (SQLite).
        swapped = rows.filter(pk=row.pk, session_data=row.session_data).update(
            session_data=session.encode(stored)
        )
    return value if swapped else None
