"""Searching the public records fast, in Chinese, on PostgreSQL as on SQLite.

Chinese is searched by substrings, and the commonest query is two characters ("养老", "教育").
PostgreSQL's trigram indexes (``pg_trgm``, created by a migration on the searched fields) serve
queries of three characters or more; for two, which a trigram cannot hold, every searchable
record keeps the pairs of adjacent characters of its searched fields (``search_grams``, space
separated, written whenever the record is saved, in bulk too), and a GIN index on that list
serves the query as "the list holds this pair". SQLite keeps a plain case-insensitive contains.

A search is always within a committee (a brand, or the committees a staff account sees), and
a common pair is held by rows of every county: the list also holds a token for the record's
committee and each committee above it (``@12``), so that "this pair, within that committee" is
one lookup in the same index, whatever the level — a county's 养老 among a province's. A query
of three characters or more asks the list for all its pairs and that token first, then the
trigram-served ``ILIKE`` for the exact text.
"""

from __future__ import annotations

from django.db import connection, models
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# A query shorter than this finds nothing worth listing and could use no index.
MIN_QUERY = 2

# The list of pairs as an array, for its GIN index (PostgreSQL; ``pairs_index_operations``).
PAIRS_FUNCTION = "shangliang_search_pairs"


def normalise(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def scope_token(committee_id: int) -> str:
    """The token of a committee in the list of pairs (never a pair: it is not alphanumeric)."""
    return f"@{committee_id}"


def committee_chains(committee_ids) -> dict[int, list[int]]:
    """{committee id: it and the committees above it}, in one query."""
    from .models import Committee

    rows = Committee.objects.filter(pk__in=set(committee_ids)).values_list(
        "pk", "parent_id", "parent__parent_id"
    )
    return {pk: [i for i in (pk, parent, grand) if i] for pk, parent, grand in rows}


def pairs_of(text: str) -> list[str]:
    """The pairs of ``text`` (a query), as ``grams`` keeps them."""
    return grams(text).split()


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
    holds their pairs of characters and its committees' tokens (see the module)."""

    search_fields: tuple[str, ...] = ()
    search_grams = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def search_committee_id(self) -> int | None:
        """The committee the record belongs to (its tokens are that one's and those above)."""
        return getattr(self, "committee_id", None)

    def refresh_search_grams(self, chains: dict[int, list[int]] | None = None) -> None:
        """``chains``: ``committee_chains`` already read for many records (a bulk write)."""
        committee_id = self.search_committee_id()
        if chains is None or committee_id not in chains:
            chains = committee_chains([committee_id] if committee_id else [])
        tokens = [scope_token(i) for i in chains.get(committee_id, ())]
        pairs = grams(*(getattr(self, f) or "" for f in self.search_fields))
        self.search_grams = " ".join(filter(None, [pairs, *tokens]))

    @classmethod
    def refresh_search_grams_of(cls, objs) -> None:
        """``refresh_search_grams`` for many records, their committees read once."""
        objs = list(objs)
        chains = committee_chains({o.search_committee_id() for o in objs} - {None})
        for obj in objs:
            obj.refresh_search_grams(chains)

    def save(self, *args, **kwargs):
        self.refresh_search_grams()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.search_fields):
            kwargs["update_fields"] = {*update_fields, "search_grams"}
        super().save(*args, **kwargs)


def refresh_scope(*, workstation=None, committee_ids=None) -> None:
    """Write again the tokens of the records of a workstation that moved to another committee,
    or of the committees that moved under another (``Workstation.save``, ``Committee.save``):
    a record's tokens name its committee and those above it."""
    from django.apps import apps

    for model in apps.get_models():
        if not issubclass(model, Searchable):
            continue
        names = {f.name for f in model._meta.get_fields()}
        if workstation is not None:
            if "workstation" not in names:
                continue
            rows = model.objects.filter(workstation=workstation)
        elif model._meta.model_name == "workstation" or "committee" in names:
            rows = model.objects.filter(committee_id__in=committee_ids)
        elif "workstation" in names:
            rows = model.objects.filter(workstation__committee_id__in=committee_ids)
        else:
            continue
        batch = []
        for row in rows.iterator(chunk_size=2000):
            batch.append(row)
            if len(batch) == 2000:
                model.refresh_search_grams_of(batch)
                model.objects.bulk_update(batch, ["search_grams"])
                batch = []
        if batch:
            model.refresh_search_grams_of(batch)
            model.objects.bulk_update(batch, ["search_grams"])


def matching(model, q: str, *, within=None, common: bool = False) -> Q:
    """A filter for the records of ``model`` whose searched fields contain ``q``: through the
    indexes on PostgreSQL (the pairs, and the trigrams for three characters or more), a
    contains on SQLite. ``within``: the committee searched in (its token narrows the index
    lookup, below a province; the caller still scopes the queryset).

    ``common``: the caller knows that ``q`` has many matches (it counted them). A phrase of
    three characters or more searched in a whole province is then matched by its text alone:
    PostgreSQL multiplies the frequencies of its pairs as if they were independent (老年 and
    年人 always come together), takes 老年人 for a phrase of 46 rows instead of 26,000 and sorts
    them all (0.3 s) instead of walking the newest rows until a page is full (2 ms)."""
    q = normalise(q)
    fields = model.search_fields
    if connection.vendor != "postgresql":
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": q})
        return condition
    table = model._meta.db_table
    # A province's token is on nearly every row of a province's site: reading its entry of the
    # index would cost more than the committee filter the caller applies anyway.
    scoped = within is not None and within.parent_id is not None
    pairs_only = len(q) == 2 and q.isalnum()  # the pair is the whole match
    wanted = [] if common and not scoped and not pairs_only else pairs_of(q)
    wanted += [scope_token(within.pk)] if scoped else []
    listed = (
        Q(
            RawSQL(
                f'{PAIRS_FUNCTION}("{table}"."search_grams") @> %s::text[]',
                (wanted,),
                output_field=BooleanField(),
            )
        )
        if wanted
        else Q()
    )
    if pairs_only:
        return listed
    # ILIKE on the column itself, which its trigram index serves (Django's icontains
    # compares UPPER(column), which that index does not).
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    condition = Q()
    for field in fields:
        column = model._meta.get_field(field).column
        condition |= Q(
            RawSQL(f'"{table}"."{column}" ILIKE %s', (pattern,), output_field=BooleanField())
        )
    return listed & condition


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


def pairs_index_operations(app_label: str, model_name: str):
    """The migration operations that index the list of pairs through ``PAIRS_FUNCTION``
    (PostgreSQL), in place of the ``string_to_array`` of ``search_index_operations``.

    The function is ``string_to_array(grams, ' ')``, declared as costly as it is: PostgreSQL
    costs a call of ``string_to_array`` as one comparison, while splitting a record's list takes
    microseconds, so it preferred checking a province's activities one by one for "养老"
    (100 ms) to reading the pair's entry in the index (25 ms). Measured at province scale: at
    200 comparisons it reads the index; at 10,000 it ANDs the index with any other one to spare
    itself the recheck, which costs more. Written in PL/pgSQL, which the planner does not inline
    (an inlined SQL function would lose its cost).
    """
    from django.db import migrations

    def index(apps, schema_editor, expression: str):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model(app_label, model_name)._meta.db_table
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {PAIRS_FUNCTION}(grams text) RETURNS text[] "
            "LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 200 "
            "AS $$ BEGIN RETURN string_to_array(grams, ' '); END $$"
        )
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_grams"')
        schema_editor.execute(f'CREATE INDEX "{table}_grams" ON "{table}" USING gin ({expression})')

    def forwards(apps, schema_editor):
        index(apps, schema_editor, f'{PAIRS_FUNCTION}("search_grams")')

    def backwards(apps, schema_editor):
        index(apps, schema_editor, "string_to_array(\"search_grams\", ' ')")

    return [migrations.RunPython(forwards, backwards)]


def scope_backfill_operation(app_label: str, model_name: str, through: str = ""):
    """The migration operation that appends its committees' tokens to each row's list of
    pairs. ``through``: the model ("app.Model") whose ``committee_id`` the row's committee is,
    joined on the row's ``<model>_id`` (an activity's workstation); "" for a row with a
    ``committee_id`` of its own."""
    from django.db import migrations

    def backfill(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table = model._meta.db_table
        link = f"{through.split('.')[-1].lower()}" if through else ""
        if schema_editor.connection.vendor == "postgresql":
            if through:
                other = apps.get_model(*through.split("."))._meta.db_table
                source = (
                    f'JOIN "{other}" s ON s.id = r."{link}_id" '
                    "JOIN workstations_committee c ON c.id = s.committee_id"
                )
            else:
                source = "JOIN workstations_committee c ON c.id = r.committee_id"
            schema_editor.execute(
                f"UPDATE \"{table}\" t SET search_grams = concat_ws(' ', "
                "NULLIF(t.search_grams, ''), '@' || c.id, '@' || c.parent_id, "
                f"'@' || p.parent_id) FROM \"{table}\" r {source} "
                "LEFT JOIN workstations_committee p ON p.id = c.parent_id WHERE r.id = t.id"
            )
            return
        committees = apps.get_model("workstations", "Committee").objects.values_list(
            "pk", "parent_id", "parent__parent_id"
        )
        chains = {pk: [i for i in (pk, parent, grand) if i] for pk, parent, grand in committees}
        path = f"{link}__committee_id" if through else "committee_id"
        rows = [
            model(pk=pk, search_grams=" ".join(filter(None, [pairs, *map("@{}".format, chain)])))
            for pk, pairs, committee_id in model.objects.values_list("pk", "search_grams", path)
            for chain in [chains.get(committee_id, [])]
        ]
        model.objects.bulk_update(rows, ["search_grams"], batch_size=2000)

    return migrations.RunPython(backfill, migrations.RunPython.noop)
