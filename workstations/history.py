"""Writing many rows at once and still keeping their history (django-simple-history).

simple-history's own ``bulk_create_with_history`` and ``bulk_update_with_history`` write the
rows and their historical records, but leave many-to-many fields out: the people who took part
in an activity, the authors of an outcome would be missing from its history. These two write
the many-to-many rows too, and their historical rows, so a record written in bulk (an import,
the demo) has the same history as one saved through a form. Every bulk write of the project goes
through them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.db import models, transaction
from simple_history.utils import get_history_manager_for_model

from .search import Searchable

BATCH_SIZE = 500

# For each object (by position), the related objects of one many-to-many field.
M2M = Mapping[str, Sequence[Sequence[models.Model]]]


def _m2m_history_model(model, field_name: str):
    history_model = get_history_manager_for_model(model).model
    return getattr(history_model, field_name).model


def _write_m2m(model, objs, history_rows, m2m: M2M, *, replace: bool, batch_size: int) -> None:
    """The through rows of each many-to-many field, and one historical row per through row for
    each new historical record (simple-history keeps the whole set with every record)."""
    for field_name, related in m2m.items():
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source = field.m2m_field_name()  # e.g. "activity"
        target = field.m2m_reverse_field_name()  # e.g. "member"
        if replace:
            through.objects.filter(**{f"{source}__in": [o.pk for o in objs]}).delete()
        rows = [
            through(**{f"{source}_id": obj.pk, f"{target}_id": other.pk})
            for obj, others in zip(objs, related, strict=True)
            for other in dict.fromkeys(others)
        ]
        rows = through.objects.bulk_create(rows, batch_size=batch_size)
        history_model = _m2m_history_model(model, field_name)
        by_obj: dict[int, list] = {}
        for row in rows:
            by_obj.setdefault(getattr(row, f"{source}_id"), []).append(row)
        history_model.objects.bulk_create(
            [
                history_model(
                    history=record,
                    **{f.attname: getattr(row, f.attname) for f in through._meta.concrete_fields},
                )
                for obj, record in zip(objs, history_rows, strict=True)
                for row in by_obj.get(obj.pk, ())
            ],
            batch_size=batch_size,
        )


def _refresh_search(objs) -> bool:
    """Write the searched pairs of characters of searchable objects (bulk writes skip save)."""
    searchable = bool(objs) and isinstance(objs[0], Searchable)
    if searchable:
        type(objs[0]).refresh_search_grams_of(objs)
    return searchable


@transaction.atomic
def bulk_create_with_history(
    objs: Sequence[models.Model],
    model,
    *,
    user=None,
    reason: str = "",
    when: datetime.datetime | None = None,
    m2m: M2M | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[models.Model]:
    """Create ``objs`` (of ``model``) with one historical record each, by ``user`` for
    ``reason``; ``m2m`` gives, field by field, the related objects of each object in order.

    An object's own ``_history_date`` (or ``when``) dates its record: the demo writes a year
    that already happened. A searchable object's pairs of characters are written with it.
    """
    _refresh_search(objs)
    objs = model._default_manager.bulk_create(objs, batch_size=batch_size)
    if objs and objs[0].pk is None:  # a database that does not return new ids (not ours)
        raise RuntimeError("bulk_create did not return the new rows' ids.")
    history_rows = get_history_manager_for_model(model).bulk_history_create(
        objs,
        batch_size=batch_size,
        default_user=user,
        default_change_reason=reason,
        default_date=when,
    )
    if m2m:
        _write_m2m(model, objs, history_rows, m2m, replace=False, batch_size=batch_size)
    return objs


@transaction.atomic
def bulk_update_with_history(
    objs: Sequence[models.Model],
    model,
    fields: Sequence[str],
    *,
    user=None,
    reason: str = "",
    when: datetime.datetime | None = None,
    m2m: M2M | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Update ``fields`` of ``objs`` with one historical record each; ``m2m`` replaces, field
    by field, the related objects of each object. Returns the number of rows updated."""
    objs = list(objs)
    if not objs:
        return 0
    if _refresh_search(objs) and set(fields) & set(model.search_fields):
        fields = [*fields, "search_grams"]
    updated = (
        model._default_manager.bulk_update(objs, fields, batch_size=batch_size) if fields else 0
    )
    history_rows = get_history_manager_for_model(model).bulk_history_create(
        objs,
        batch_size=batch_size,
        update=True,
        default_user=user,
        default_change_reason=reason,
        default_date=when,
    )
    if m2m:
        _write_m2m(model, objs, history_rows, m2m, replace=True, batch_size=batch_size)
    return updated
