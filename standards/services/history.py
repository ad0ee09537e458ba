"""Writing many rows at once while django-simple-history records each of them.

`bulk_create` and `bulk_update` send no signals, so the history rows are built here in
bulk too: one INSERT per model for the rows created ("+") and one for the rows changed
("~"), all stamped with one time and one user. Deletions go through
`QuerySet.delete()`, whose signals record each row ("-") and those it cascades to.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

# Fields whose values (str, int, None) every database driver takes as they are.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


@dataclass
class HistoryWriter:
    """Writes rows in bulk and their historical records, by `user` (None: nobody) at one time."""

    user: Any = None
    when: datetime.datetime = field(default_factory=timezone.now)

    def create(self, model: type[models.Model], rows: Sequence[models.Model]) -> None:
        """INSERT `rows`, setting their primary keys, and their history."""
        if rows:
            insert_rows(model, rows)
            self.record(model, rows, "+")

    def update(
        self, model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]
    ) -> None:
        """UPDATE `fields` of `rows` and record each row's new state."""
        if rows:
            model.objects.bulk_update(rows, fields)
            self.record(model, rows, "~")

    def delete(self, model: type[models.Model], rows: Sequence[models.Model]) -> None:
        """DELETE `rows` (and what cascades from them); simple-history's signals record each."""
        if rows:
            model.objects.filter(pk__in=[row.pk for row in rows]).delete()

    def record(self, model: type[models.Model], rows: Sequence[models.Model], kind: str) -> None:
        """One INSERT of the historical records of `rows` (none if `model` keeps no history).

        The records are written as plain rows with one `executemany`: building a model
        instance per record and compiling it costs more than writing the row itself,
        and an import writes hundreds of them.
        """
        spec = _historical(model)
        if spec is None or not rows or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return
        with connection.cursor() as cursor:
            constant = [
                spec.date_field.get_db_prep_save(self.when, connection),
                getattr(self.user, "pk", None),
                kind,
            ]
            cursor.executemany(
                spec.sql,
                [
                    [
                        getattr(row, field.attname)
                        if plain
                        else field.get_db_prep_save(getattr(row, field.attname), connection)
                        for field, plain in spec.fields
                    ]
                    + constant
                    for row in rows
                ],
            )


@dataclass(frozen=True)
class _HistoricalTable:
    sql: str
    # Each copied field, and whether its Python value is already what the database takes.
    fields: list[tuple[models.Field, bool]]
    date_field: models.Field


def insert_rows(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """What `bulk_create` does for these plain rows (no signals, defaults or pre-save
    hooks), at a fraction of its cost: one INSERT … RETURNING per batch, each value
    passed as it is, the primary keys set on the rows.

    An import writes a few hundred rows; compiling each value through the ORM cost more
    than the database spends writing it (see the benchmark in README.md).
    """
    table = _table(model)
    batch = connection.ops.bulk_batch_size(table.fields, rows) or len(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                table.sql + ", ".join([table.placeholders] * len(chunk)) + table.returning,
                [value for row in chunk for value in table.values(row)],
            )
            for row, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                row.pk = pk
                row._state.adding = False
                row._state.db = connection.alias


@dataclass(frozen=True)
class _Table:
    sql: str
    placeholders: str
    returning: str
    fields: list[models.Field]
    plain: list[bool]

    def values(self, row: models.Model) -> list[Any]:
        return [
            getattr(row, field.attname)
            if plain
            else field.get_db_prep_save(getattr(row, field.attname), connection)
            for field, plain in zip(self.fields, self.plain, strict=True)
        ]


@functools.cache
def _table(model: type[models.Model]) -> _Table:
    """How to INSERT rows of `model`: every concrete column but the primary key."""
    quote = connection.ops.quote_name
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    # Identifiers from the model, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    return _Table(
        sql=sql,
        placeholders="({})".format(", ".join(["%s"] * len(fields))),
        returning=f" RETURNING {quote(model._meta.pk.column)}",
        fields=fields,
        plain=[isinstance(field, PLAIN_FIELDS) for field in fields],
    )


def default_history_user(instance: models.Model) -> Any:
    """Who simple-history would record for `instance`: its `_history_user`, else the
    logged-in user of the current request, else None."""
    return _historical_model(type(instance)).get_default_history_user(instance)


@functools.cache
def _historical_model(model: type[models.Model]) -> type[models.Model]:
    # Reading `Model.history` builds a new manager class each time: look it up once.
    return getattr(model, model._meta.simple_history_manager_attribute).model


@functools.cache
def _historical(model: type[models.Model]) -> _HistoricalTable | None:
    """How to INSERT the historical records of `model`, or None if it keeps no history."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is None:
        return None
    historical = _historical_model(model)
    fields = [model._meta.get_field(tracked.name) for tracked in historical.tracked_fields]
    columns = [historical._meta.get_field(field.name).column for field in fields]
    columns += ["history_date", historical._meta.get_field("history_user").column, "history_type"]
    quote = connection.ops.quote_name
    # Identifiers from the model, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(historical._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    plain = [isinstance(field, PLAIN_FIELDS) for field in fields]
    return _HistoricalTable(
        sql, list(zip(fields, plain, strict=True)), historical._meta.get_field("history_date")
    )
