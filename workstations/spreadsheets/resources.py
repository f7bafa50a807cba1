"""The tenant resource every register's sheet derives from (django-import-export).

``TenantResource``: the importing committee and user, header checks naming the missing and
unknown columns, row errors keyed by column header and numbered as the spreadsheet numbers its
rows, all-or-nothing imports written in bulk with their history (many-to-many columns
included), and exports in which no cell can run as a formula. ``Column``: a column's Chinese
header, its other spellings and its explanation for the blank template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.results import Result, RowResult

from .. import versions
from ..history import bulk_create_with_history, bulk_update_with_history
from ..models import Committee
from .cells import NO, YES, cell_text, control_character, is_blank, name_key, safe_cell
from .files import NO_ROWS, SpreadsheetError
from .widgets import ChoiceWidget, CommitteeWidgetMixin, TextWidget, YesNoWidget

# How many new or changed rows the preview shows cell by cell.
PREVIEW_ROWS = 500
# The reason recorded in the change history of every object an import writes.
CHANGE_REASON = "import"


class Column(fields.Field):
    """A column of a register's sheet: its Chinese header, other spellings of the header a
    clerk may use, whether it must be filled, and an explanation for the blank template."""

    def __init__(
        self,
        attribute=None,
        column_name=None,
        widget=None,
        *,
        required=False,
        help_text="",
        aliases=(),
        export=True,
        **kwargs,
    ):
        super().__init__(attribute=attribute, column_name=column_name, widget=widget, **kwargs)
        self.required = required
        self.help_text = help_text
        self.aliases = tuple(aliases)
        self.export_column = export

    def describe(self) -> str:
        """The explanation of the column for the blank template, with the values it accepts."""
        text = str(self.help_text)
        if isinstance(self.widget, ChoiceWidget):
            values = "、".join(self.widget.labels.values())
        elif isinstance(self.widget, YesNoWidget):
            values = f"{YES}/{NO}"
        else:
            return text
        return f"{text}（{values}）" if text else values


def sheet_row(sheet_rows: Sequence[int] | None, number: int) -> int:
    """The spreadsheet's number of the ``number``-th data row (the header being row 1)."""
    if sheet_rows and 0 < number <= len(sheet_rows):
        return sheet_rows[number - 1]
    return number + 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import: the spreadsheet row (None: the whole file), the column
    header (empty: the whole row) and what is wrong."""

    row: int | None
    column: str
    message: str


class SheetResult(Result):
    """An import result that numbers its rows as the spreadsheet shows them (the header is row
    1, so the first data row is row 2, and blank rows count) and lists its problems for the
    clerk. The library numbers the rows of the dataset; the spreadsheet's numbers are set
    after the import (``TenantResource.after_import``), as ``get_result_class`` is asked for a
    class and the library builds the result without arguments."""

    #: For each data row, its number in the spreadsheet (``files`` reads them with the rows).
    sheet_rows: Sequence[int] | None = None

    def sheet_row(self, number: int) -> int:
        return sheet_row(self.sheet_rows, number)

    def problems(self) -> list[Problem]:
        """Every problem, file-wide first, then by row; empty when the import can go ahead."""
        found = [Problem(None, "", _error_text(e.error)) for e in self.base_errors]
        for row in self.error_rows:
            number = self.sheet_row(row.number)
            found += [Problem(number, "", _error_text(e.error)) for e in row.errors]
        for row in self.invalid_rows:
            number = self.sheet_row(row.number)
            for column, messages in row.error_dict.items():
                column = "" if column == NON_FIELD_ERRORS else column
                found += [Problem(number, column, str(m)) for m in messages]
        return sorted(found, key=lambda p: (p.row is not None, p.row or 0))

    def is_good(self) -> bool:
        """No problem so far: neither a row nor the file was refused."""
        return not self.has_errors() and not self.has_validation_errors()


def _error_text(error: Exception) -> str:
    if isinstance(error, SpreadsheetError | ValidationError | PermissionDenied):
        return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return _("Unexpected error, nothing was saved: %(error)s") % {"error": error}


class TenantResource(resources.ModelResource):
    """A register's sheet, imported into one committee (``committee``) by one user (``user``).

    - Names of sectors, areas, workstations and members are looked up in that committee only.
    - Headers are checked first: a missing required column or an unknown one stops the import.
    - All or nothing, for any caller: the rows are written only once the whole sheet has been
      read and only if no row is bad (``Meta.batch_size = None`` hands them over at the end;
      ``bulk_create`` and ``bulk_update`` write nothing after a problem), in the import's
      transaction (``Meta.use_transactions``), which any error while writing rolls back.
      Callers need not pass ``rollback_on_validation_errors``.
    - Importing the same file twice changes nothing the second time (rows matched by
      ``get_instance``, unchanged rows skipped).
    - Every register is written in bulk through ``workstations.history``, so every object
      written has its history record, with the importing user and the reason "import", and
      many-to-many columns (participants, authors) are written with it, history included.
    - Exported text that a spreadsheet would run as a formula is neutralised.
    """

    #: Title of the exported sheet and name of the blank template.
    sheet_title = ""
    #: Foreign keys this resource fills from the committee's own records (already checked):
    #: left out of full_clean, which would otherwise query the database for each row.
    trusted_fields: tuple[str, ...] = ()
    #: Whether full_clean checks uniqueness and constraints with a query per row. Resources
    #: that import large sheets check uniqueness in Python instead (``check_row``).
    validate_in_db = True

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        import_id_fields = []
        use_bulk = True
        # None: bulk_create and bulk_update are called once, after every row has been read
        # (the library's documented bulk mode), so that a bad row anywhere writes nothing.
        batch_size = None
        chunk_size = 500
        # The library's diff deep-copies every row's object and renders an HTML diff of every
        # cell: a third of the time of a large import. Unchanged rows are found by comparing
        # with a snapshot of the columns' values instead (skip_row), and the preview shows the
        # first PREVIEW_ROWS new or changed rows (after_import_row).
        skip_diff = True

    def __init__(self, committee=None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.committee = committee
        self.user = user
        self._import_fields = None
        for field in self.fields.values():
            if isinstance(field.widget, CommitteeWidgetMixin):
                field.widget.bind(self)
        self.reset()

    @classmethod
    def get_result_class(cls):
        return SheetResult

    # -- import: the entry point ----------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Import ``dataset`` into ``self.committee``; nothing is written if any row is bad.

        Returns a ``SheetResult``; ``result.problems()`` lists what is wrong, row by row.

        The library's entry point, its arguments passed on as given, with what must happen
        before any row is read and has no hook of its own: an exception in ``before_import``
        is recorded and the rows are read all the same, so a refusal of the whole file (a
        committee the user may not see, wrong headers) would come with a problem on every row.
        """
        if self.committee is None:
            raise ImproperlyConfigured("Pass the importing committee to the resource.")
        self.user = kwargs.get("user") or self.user
        if (
            self.user is not None
            and not Committee.objects.visible_to(self.user).filter(pk=self.committee.pk).exists()
        ):
            raise PermissionDenied
        problem = self.check_headers(dataset)
        if problem:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            self.handle_import_error(result, SpreadsheetError(problem), raise_errors)
            return result
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def reset(self) -> None:
        """Forget what a previous run of this resource learnt (a dry run before the real one)."""
        self._seen: dict[tuple, int] = {}
        self._instance = None
        self._before: dict | None = None
        self._previewed = 0
        self._saving = False
        self._sheet_rows = None
        for field in self.fields.values():
            if isinstance(field.widget, CommitteeWidgetMixin):
                field.widget.reset()

    def before_import(self, dataset, **kwargs):
        """Start afresh, and keep the spreadsheet's row numbers of the rows; subclasses read
        the committee's register here, once for the whole sheet."""
        self.reset()
        self._sheet_rows = getattr(dataset, "sheet_rows", None)

    def sheet_row(self, row_number: int) -> int:
        return sheet_row(self._sheet_rows, row_number)

    # -- headers ----------------------------------------------------------------------------

    def check_headers(self, dataset) -> str:
        """Rename the headers to their canonical spelling; say what is wrong with them, if
        anything: unknown columns, missing required columns, a column given twice, no rows."""
        spellings = {}
        for field in self.get_import_fields():
            for spelling in (field.column_name, *getattr(field, "aliases", ())):
                spellings[name_key(spelling)] = field.column_name
        headers = [cell_text(h) for h in (dataset.headers or [])]
        if not headers:
            return _("The file has no header row.")
        canonical = [spellings.get(name_key(h), h) for h in headers]
        unknown = [
            h for h, c in zip(headers, canonical, strict=True) if name_key(c) not in spellings
        ]
        twice = sorted({c for c in canonical if canonical.count(c) > 1})
        missing = [
            f.column_name
            for f in self.get_import_fields()
            if getattr(f, "required", False) and f.column_name not in canonical
        ]
        messages = []
        if unknown:
            messages.append(_("Unknown columns: %(columns)s.") % {"columns": "、".join(unknown)})
        if missing:
            messages.append(
                _("Missing required columns: %(columns)s.") % {"columns": "、".join(missing)}
            )
        if twice:
            messages.append(
                _("Columns given more than once: %(columns)s.") % {"columns": "、".join(twice)}
            )
        if messages:
            expected = "、".join(f.column_name for f in self.get_import_fields())
            messages.append(
                _("The columns of this sheet are: %(columns)s.") % {"columns": expected}
            )
            return " ".join(messages)
        if len(dataset) == 0:
            return str(NO_ROWS)
        dataset.headers = canonical
        return ""

    # -- rows -------------------------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        """The stored object this row describes, or None for a new one (see subclasses)."""
        return None

    def get_import_fields(self):
        # Asked for several times per row by the library; the columns do not change.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def many_to_many_fields(self) -> list[fields.Field]:
        """The columns of a many-to-many field (participants, authors)."""
        return [
            f for f in self.get_import_fields() if isinstance(f.widget, widgets.ManyToManyWidget)
        ]

    def after_init_instance(self, instance, new, row, **kwargs):
        self._instance = instance
        self._before = None if new else self.column_values(instance)

    def column_values(self, instance) -> dict:
        """The instance's value of every column (the related objects of a many-to-many one)."""
        values = {}
        for field in self.get_import_fields():
            value = field.get_value(instance)
            if isinstance(field.widget, widgets.ManyToManyWidget) and value is not None:
                value = list(value.all())
            values[field.column_name] = value
        return values

    def stored(self, column: str):
        """The row's stored object's value of ``column`` before this row (None for a new one)."""
        return None if self._before is None else self._before[column]

    def related(self, instance, field: fields.Field) -> list:
        """The related objects a many-to-many column gives the instance (read from the row)."""
        return getattr(instance, "_sheet_related", {}).get(field.attribute, [])

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values on the instance; collect every problem of the row at once.

        The library leaves many-to-many columns to ``save_m2m``, which bulk mode skips: their
        related objects are read here, kept with the instance and written with it in bulk (a
        column the sheet leaves out, or a read-only one, keeps the stored ones, so that the
        history record of an update holds them too).
        """
        errors: dict = {}
        self.check_control_characters(row, errors)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if (
                field.column_name in row
                and getattr(field, "required", False)
                and is_blank(row[field.column_name])
            ):
                errors.setdefault(field.attribute or field.column_name, []).append(
                    _("This column must be filled in.")
                )
        instance._sheet_related = {}
        for field in self.many_to_many_fields():
            if field.readonly or field.column_name not in row:
                instance._sheet_related[field.attribute] = self.stored(field.column_name) or []
                continue
            try:
                instance._sheet_related[field.attribute] = list(field.clean(row))
            except ValueError as error:
                errors.setdefault(field.attribute, []).append(str(error))
        self.check_row(instance, row, errors, kwargs.get("row_number") or 0)
        if errors:
            raise ValidationError(errors)

    def check_control_characters(self, row, errors: dict) -> None:
        """Refuse a cell holding a control character (a null byte, a bell …), named, since the
        clerk cannot see it: pasted from another program, it would break later exports."""
        for field in self.get_import_fields():
            found = control_character(row.get(field.column_name))
            if found:
                errors.setdefault(field.attribute or field.column_name, []).append(
                    _(
                        "This cell contains an invisible control character (%(character)s); "
                        "delete the cell's content and type it again."
                    )
                    % {"character": found}
                )

    def check_row(self, instance, row, errors: dict, row_number: int) -> None:
        """Add the row's problems that span fields or rows (duplicates); see subclasses."""
        committee_column = self.fields.get("committee_name")
        if committee_column is not None and committee_column.column_name in row:
            named = cell_text(row[committee_column.column_name])
            if named and name_key(named) != name_key(self.committee.name):
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("This row belongs to %(named)s, but the file is imported into %(committee)s.")
                    % {"named": named, "committee": self.committee.name}
                )

    def seen_before(self, key: tuple, row_number: int) -> int | None:
        """The sheet row that already had ``key`` in this file, or None (and remember it)."""
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = self.sheet_row(row_number)
        return None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a stored object the row leaves as it is (so a second import changes nothing).

        ``original`` is None (``skip_diff``): the row is compared with the snapshot of the
        stored object's columns taken when it was found (``after_init_instance``).
        """
        if not self._meta.skip_unchanged or import_validation_errors or self._before is None:
            return False
        for field in self.get_import_fields():
            before = self._before[field.column_name]
            if isinstance(field.widget, widgets.ManyToManyWidget):
                now = self.related(instance, field)
                if sorted(o.pk for o in now) != sorted(o.pk for o in before or []):
                    return False
            elif field.get_value(instance) != before:
                return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The row's problems and the model's own rules, keyed by the column header the clerk
        sees rather than by the model field."""
        errors = dict(import_validation_errors or {})
        if self._meta.clean_model_instances:
            try:
                instance.full_clean(
                    exclude=set(errors) | set(self.trusted_fields),
                    validate_unique=self.validate_in_db,
                    validate_constraints=self.validate_in_db,
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(self.errors_by_column(errors))

    def errors_by_column(self, errors: dict) -> dict[str, list[str]]:
        """A row's errors by the column header the clerk sees, not by the model field."""
        columns = {}
        for field in self.fields.values():
            if field.attribute:
                columns.setdefault(field.attribute, field.column_name)
                columns.setdefault(field.attribute.split("__")[0], field.column_name)
        by_column: dict = {}
        for key, messages in ValidationError(errors).message_dict.items():
            column = columns.get(key) or columns.get(key.removesuffix("_id"))
            if column is None and key != NON_FIELD_ERRORS:
                column = self._verbose_name(key)
            by_column.setdefault(column or NON_FIELD_ERRORS, []).extend(messages)
        return by_column

    def _verbose_name(self, key: str) -> str:
        try:
            return str(self._meta.model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            return key

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type not in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            return
        self._previewed += 1
        if self._previewed <= PREVIEW_ROWS:
            row_result.diff = self.preview_cells(self._instance, self._before)

    def preview_cells(self, instance, before: dict | None) -> list:
        """The row's cells for the preview; a changed cell shows the old and the new value."""
        cells = []
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = self.related(instance, field)
            else:
                new = field.get_value(instance)
            shown = field.widget.render(new)
            old = None if before is None else field.widget.render(before[field.column_name])
            if old is None or old == shown:
                cells.append(shown)
            else:
                cells.append(format_html("<del>{}</del> <ins>{}</ins>", old, shown))
        return cells

    # -- saving, in bulk, with history --------------------------------------------------------

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None and hasattr(instance, "updated_at"):
            instance.updated_at = timezone.now()  # bulk_update does not run auto_now

    def change_reason(self) -> str:
        return CHANGE_REASON

    def get_bulk_update_fields(self):
        """The model fields an update writes: the columns' attributes, and the update time."""
        concrete = {f.name: f.attname for f in self._meta.model._meta.concrete_fields}
        names = []
        for field in self.get_import_fields():
            name = (field.attribute or "").split("__")[0]
            if not field.readonly and name in concrete and name not in names:
                names.append(name)
        if "updated_at" in concrete:
            names.append("updated_at")
        return names

    # The library calls these once, after every row has been read (Meta.batch_size = None).
    # A dry run (the preview) writes nothing: the rules the database would enforce (unique ID
    # numbers, names …) are checked row by row already.

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._save(self.create_instances, self.save_new, dry_run, raise_errors, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._save(self.update_instances, self.save_changed, dry_run, raise_errors, result)

    def _save(self, pending: list, write, dry_run: bool, raise_errors: bool, result) -> None:
        objs = list(pending)
        pending.clear()
        self._saving = not dry_run and result is not None and result.is_good()
        if not objs or not self._saving:
            return
        try:
            write(objs)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def related_lists(self, objs) -> dict[str, list[list]]:
        """For each many-to-many column, the related objects of each object, in order."""
        return {
            field.attribute: [self.related(obj, field) for obj in objs]
            for field in self.many_to_many_fields()
        }

    def save_new(self, objs: list) -> None:
        """Create the sheet's new objects (overridden where a service writes them)."""
        bulk_create_with_history(
            objs,
            self._meta.model,
            user=self.user,
            reason=self.change_reason(),
            m2m=self.related_lists(objs),
        )

    def save_changed(self, objs: list) -> None:
        """Write the sheet's changes to stored objects (overridden where a service does)."""
        bulk_update_with_history(
            objs,
            self._meta.model,
            self.get_bulk_update_fields(),
            user=self.user,
            reason=self.change_reason(),
            m2m=self.related_lists(objs),
        )

    def after_import(self, dataset, result, **kwargs):
        result.sheet_rows = self._sheet_rows
        if self._saving and result.is_good():
            self.after_rows_saved(result, **kwargs)
            self.after_written()
        super().after_import(dataset, result, **kwargs)

    def after_rows_saved(self, result, **kwargs) -> None:
        """Write what depends on the rows' objects having been saved (see subclasses)."""

    def after_written(self) -> None:
        """Once the import is written: what it changes in the figures is counted again (see
        subclasses), and the committee's cached pages become stale."""
        versions.bump([self.committee.pk])

    # -- export -----------------------------------------------------------------------------

    def get_queryset(self):
        manager = self._meta.model.objects
        if self.user is not None:
            return manager.visible_to(self.user)
        if self.committee is not None:
            return manager.for_committee(self.committee, subtree=False)
        return manager.none()

    def after_export(self, queryset, dataset, **kwargs):
        dataset.title = self.sheet_title

    def get_export_order(self):
        # Import-only columns (such as a default for another column) are not exported.
        return tuple(
            name
            for name in super().get_export_order()
            if getattr(self.fields.get(name), "export_column", True)
        )

    def export_chunk(self, objs: list) -> None:
        """Before a chunk of a streamed export is written: read what its rows need, one query
        per need (see subclasses)."""

    def export_readers(self, *, native: bool) -> list:
        """One function per exported column, from an object to its cell (formula-safe), for
        streamed exports: the library's ``export_field`` looks the column's method and path up
        again for every cell, which 200,000 rows cannot afford. The same rules: a
        ``dehydrate_<column>`` method when there is one, else the attribute path and the
        column's widget."""
        readers = []
        for field in self.get_export_fields():
            method = getattr(self, f"dehydrate_{self.get_field_name(field)}", None)
            if callable(method):
                readers.append(lambda obj, method=method: safe_cell(method(obj)))
                continue
            path = field.attribute.split("__") if field.attribute else []
            render = field.widget.render

            def read(obj, path=path, render=render):
                value = obj
                for name in path:
                    value = getattr(value, name, None)
                    if value is None:
                        break
                if path and callable(value) and not hasattr(value, "all"):
                    value = value()
                return safe_cell(render(value if path else None, force_native_type=native))

            readers.append(read)
        return readers

    def export_field(self, field, instance, **kwargs):
        # Here, where text is still told from numbers and dates, rather than in the file
        # format: the library's own escaping (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT) turns
        # every cell into text and only strips a leading "=".
        return safe_cell(super().export_field(field, instance, **kwargs))

    # -- the blank template -------------------------------------------------------------------

    def template_columns(self) -> list[Column]:
        return [f for f in self.get_import_fields() if not f.readonly]


def committee_column(attribute: str = "committee") -> Column:
    """The export-only column naming each row's committee (a city's export spans counties).
    On import it may be left as exported; a row naming another committee is refused."""
    return Column(
        attribute=attribute,
        column_name="所属政协",
        widget=TextWidget(),
        readonly=True,
        help_text=gettext_lazy("Filled in by the export; leave it or delete the column."),
    )
