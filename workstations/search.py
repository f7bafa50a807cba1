"""Searching the public records fast, in Chinese, on PostgreSQL as on SQLite.

Chinese is searched by substrings, and the commonest query is two characters ("养老", "教育").
PostgreSQL's trigram indexes (``pg_trgm``, created by a migration on the searched fields) serve
queries of three characters or more; for two, which a trigram cannot hold, every searchable
record keeps the pairs of adjacent characters of its searched fields (``search_grams``, space
separated, written whenever the record is saved, in bulk too), and a GIN index on that list
serves the query as "the list holds this pair". SQLite keeps a plain case-insensitive contains.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# A query shorter than this finds nothing worth listing and could use no index.
MIN_QUERY = 2


def normalise(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def grams(*texts: str) -> str:
    """The pairs of adjacent characters of each text (a pair never spans two texts, nor a
    space or punctuation), each once, sorted, separated by spaces."""
    found: set[str] = set()
    for text in texts:
        text = normalise(text)
        for first, second in zip(text, text[1:], strict=False):
            if first.isalnum() and second.isalnum():
                found.add(first + second)
    return " ".join(sorted(found))


class Searchable(models.Model):
    """A record the public search finds: ``search_fields`` are searched, and ``search_grams``
    holds their pairs of characters (see the module)."""

    search_fields: tuple[str, ...] = ()
    search_grams = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def refresh_search_grams(self) -> None:
        self.search_grams = grams(*(getattr(self, f) or "" for f in self.search_fields))

    def save(self, *args, **kwargs):
        self.refresh_search_grams()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.search_fields):
            kwargs["update_fields"] = {*update_fields, "search_grams"}
        super().save(*args, **kwargs)


def matching(model, q: str, fields: Iterable[str] | None = None) -> Q:
    """A filter for the records of ``model`` whose searched fields contain ``q``: through the
    indexes on PostgreSQL (the pairs for two characters, trigrams for more), a contains on
    SQLite."""
    q = normalise(q)
    fields = tuple(fields or model.search_fields)
    if connection.vendor == "postgresql" and len(q) == 2 and q.isalnum():
        column = f'"{model._meta.db_table}"."search_grams"'
        return Q(
            RawSQL(
                f"string_to_array({column}, ' ') @> ARRAY[%s]::text[]",
                (q,),
                output_field=BooleanField(),
            )
        )
    condition = Q()
    if connection.vendor == "postgresql":
        # ILIKE on the column itself, which its trigram index serves (Django's icontains
        # compares UPPER(column), which that index does not).
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        table = model._meta.db_table
        for field in fields:
            column = model._meta.get_field(field).column
            condition |= Q(
                RawSQL(f'"{table}"."{column}" ILIKE %s', (pattern,), output_field=BooleanField())
            )
        return condition
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return condition


# --- For the migrations ------------------------------------------------------------------------


def search_index_operations(app_label: str, model_name: str, fields: tuple[str, ...]):
    """The migration operations that index a searchable model: its pairs of characters written
    for the rows already there, and on PostgreSQL the ``pg_trgm`` extension, a trigram GIN index
    on each searched field and a GIN index on the list of pairs. SQLite gets no index (it
    searches by a plain contains)."""
    from django.db import migrations

    def backfill(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        batch = []
        for obj in model.objects.only("pk", *fields).iterator(chunk_size=2000):
            obj.search_grams = grams(*(getattr(obj, f) or "" for f in fields))
            batch.append(obj)
            if len(batch) >= 2000:
                model.objects.bulk_update(batch, ["search_grams"])
                batch = []
        model.objects.bulk_update(batch, ["search_grams"])

    def create_indexes(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(app_label, model_name)._meta.db_table
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for field in fields:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_{field}_trgm" ON "{table}" '
                f'USING gin ("{field}" gin_trgm_ops)'
            )
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{table}_grams" ON "{table}" '
            f"USING gin (string_to_array(\"search_grams\", ' '))"
        )

    def drop_indexes(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(app_label, model_name)._meta.db_table
        for name in [f"{table}_{field}_trgm" for field in fields] + [f"{table}_grams"]:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
