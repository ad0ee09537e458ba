"""Exactly one of many concurrent requests takes a pending upload from the session."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from common.sessions import session_take


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers; the race needs concurrent connections",
)
# Threads see only committed rows, so the test commits and the database is flushed
# after it. Keeping it in a file of its own lets pytest-django run it after every test
# that relies on the data the migrations put in (the HR group and its permissions).
@pytest.mark.django_db(transaction=True)
def test_of_many_requests_racing_for_the_pending_value_exactly_one_gets_it():
    session = SessionStore()
    session["pending"] = "the upload"
    session.save()
    stores = [SessionStore(session.session_key) for _ in range(8)]
    assert all(store["pending"] == "the upload" for store in stores)
    start = threading.Barrier(len(stores))

    def take(store: SessionStore) -> object:
        start.wait()
        try:
            return session_take(store, "pending")
        finally:
            connection.close()

    with ThreadPoolExecutor(len(stores)) as pool:
        taken = list(pool.map(take, stores))

    assert taken.count("the upload") == 1
    assert taken.count(None) == len(stores) - 1
