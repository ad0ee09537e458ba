"""Rendered catalogue pages, cached under the catalogue's version and the language.

Published versions never change, so what the public catalogue shows changes only when
something is published or HR edits the library: every such write raises the
`CatalogueVersion` (in the same transaction), and every cache key names it, so a page
cached before the change is never served after it, by any server process. The cache
is Django's default one (local memory unless the settings name a shared one).

Only the content of a page is cached, the same for everyone: never the page around it,
which carries the visitor's name, menu and CSRF token.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Collection, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, QueryDict
from django.utils.translation import get_language

from .models import (
    CatalogueVersion,
    Industry,
    JobCategory,
    KnowledgeItem,
    Occupation,
    SkillItem,
    Standard,
)

T = TypeVar("T")
# Long enough for a busy day; a new version makes older entries unreachable anyway.
CACHE_SECONDS = 24 * 60 * 60
# What the catalogue shows that HR can change outside the writer (standard_import and
# standard_publish raise the version themselves): a standard saved or deleted in the
# admin, a classification renamed, a knowledge or skill item's description.
WATCHED_MODELS = (Standard, JobCategory, Occupation, Industry, KnowledgeItem, SkillItem)


def catalogue_version(request: HttpRequest | None = None) -> int:
    """The catalogue's current version, read once per request."""
    if request is None:
        return CatalogueVersion.current()
    if not hasattr(request, "_catalogue_version"):
        request._catalogue_version = CatalogueVersion.current()
    return request._catalogue_version


# Inside catalogue_batch(): whether something changed (the version is raised at its end).
_batch: ContextVar[list[bool] | None] = ContextVar("catalogue_batch", default=None)


def catalogue_changed() -> None:
    """Retire every cached catalogue page: call it in the transaction that changes it."""
    batch = _batch.get()
    if batch is None:
        CatalogueVersion.bump()
    else:
        batch[0] = True


@contextlib.contextmanager
def catalogue_batch() -> Iterator[None]:
    """Raise the version once, at the end, for all the changes made inside (a writer
    saving many rows); use it inside the transaction."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set([False])
    try:
        yield
        changed = _batch.get()[0]
    finally:
        _batch.reset(token)
    if changed:
        CatalogueVersion.bump()


def catalogue_key(version: int, *parts: str) -> str:
    """A cache key of this catalogue version; long parts (a query string) are hashed."""
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"catalogue:{version}:{digest}"


def cached(key: str, compute: Callable[[], T], *, seconds: int = CACHE_SECONDS) -> T:
    """The value cached under `key` (for `seconds`), computed and stored when missing."""
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def cached_fragment(
    request: HttpRequest,
    name: str,
    render: Callable[[], Any],
    *,
    params: Collection[str] | None = None,
) -> Any:
    """The content `render` gives for this page of the catalogue, in this language and for
    this query string, rendered once per catalogue version.

    With `params`, only those query parameters name the content (the ones the page
    reads): anything else (`?utm_source=…`, a mistyped name) neither makes a new cache
    entry nor reaches the content, which is rendered as if the query held only them, so
    its links carry none of it to the next visitor.
    """
    query = request.GET
    if params is not None:
        query = QueryDict(mutable=True)
        for key, values in request.GET.lists():  # in the order asked, for the links
            if key in params:
                query.setlist(key, values)
        query._mutable = False
    items = sorted((key, value) for key, values in query.lists() for value in values)
    key = catalogue_key(
        catalogue_version(request), name, get_language() or "", request.path, repr(items)
    )
    if query is request.GET:
        return cached(key, render)

    def render_normalised() -> Any:
        original = request.GET
        request.GET = query
        try:
            return render()
        finally:
            request.GET = original

    return cached(key, render_normalised)


def _changed(sender: type, **kwargs: Any) -> None:
    if not kwargs.get("raw"):  # loaddata writes its own rows and raises nothing
        catalogue_changed()


def connect_signals() -> None:
    for model in WATCHED_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalogue-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"catalogue-delete-{model.__name__}"
        )
