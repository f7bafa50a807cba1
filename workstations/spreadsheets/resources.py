"""The tenant resource every register's sheet derives from (django-import-export).

``TenantResource``: the importing committee and user, header checks naming the missing and
unknown columns, row errors keyed by column header and numbered as the spreadsheet numbers its
rows, all-or-nothing imports, bulk writes that still leave history, and exports in which no
cell can run as a formula. ``Column``: a column's Chinese header, its other spellings and its
explanation for the blank template.
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
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import Committee
from .cells import NO, YES, cell_text, is_blank, name_key, neutralise_formula
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
        return f"{text} ({values})" if text else values


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
    """An import result whose row numbers are the ones the spreadsheet shows (the header is
    row 1, so the first data row is row 2), and which lists its problems for the clerk."""

    def __init__(self, sheet_rows: Sequence[int] | None = None):
        super().__init__()
        self.sheet_rows = sheet_rows

    def sheet_row(self, number: int) -> int:
        return sheet_row(self.sheet_rows, number)

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(self.sheet_row(number), row, validation_error)

    def append_error_row(self, number, row, errors):
        super().append_error_row(self.sheet_row(number), row, errors)

    def problems(self) -> list[Problem]:
        """Every problem, file-wide first, then by row; empty when the import can go ahead."""
        found = [Problem(None, "", _error_text(e.error)) for e in self.base_errors]
        for row in self.error_rows:
            found += [Problem(row.number, "", _error_text(e.error)) for e in row.errors]
        for row in self.invalid_rows:
            for column, messages in row.error_dict.items():
                column = "" if column == NON_FIELD_ERRORS else column
                found += [Problem(row.number, column, str(m)) for m in messages]
        return sorted(found, key=lambda p: (p.row is not None, p.row or 0))


def _error_text(error: Exception) -> str:
    if isinstance(error, SpreadsheetError | ValidationError | PermissionDenied):
        return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return _("Unexpected error, nothing was saved: %(error)s") % {"error": error}


class TenantResource(resources.ModelResource):
    """A register's sheet, imported into one committee (``committee``) by one user (``user``).

    - Names of sectors, areas, workstations and members are looked up in that committee only.
    - Headers are checked first: a missing required column or an unknown one stops the import.
    - A file with any bad row writes nothing (one transaction, rolled back on any row error).
    - Importing the same file twice changes nothing the second time (rows matched by
      ``get_instance``, unchanged rows skipped).
    - Bulk writes go through simple-history, so every object written has its history record,
      with the importing user and the reason "import".
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
        batch_size = 1000
        chunk_size = 500
        # The library's diff deep-copies every row's object and renders an HTML diff of every
        # cell: a third of the time of a large import. Unchanged rows are found by comparing
        # with a snapshot of the columns' values instead (skip_row), and the preview shows the
        # first PREVIEW_ROWS new or changed rows (after_import_row).
        skip_diff = True

    def __init__(self, committee=None, user=None, **kwargs):
        super().__init__()
        self.committee = committee
        self.user = user
        self._import_fields = None
        for field in self.fields.values():
            if isinstance(field.widget, CommitteeWidgetMixin):
                field.widget.bind(self)
        self._sheet_rows = None
        self.reset()

    # -- import: the entry point ----------------------------------------------------------

    def reset(self) -> None:
        """Forget what a previous run of this resource learnt (a dry run before the real one)."""
        self._seen: dict[tuple, int] = {}
        self._instance = None
        self._before: dict | None = None
        self._previewed = 0
        for field in self.fields.values():
            if isinstance(field.widget, CommitteeWidgetMixin):
                field.widget.reset()

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """Import ``dataset`` into ``self.committee``; nothing is written if any row is bad.

        Returns a ``SheetResult``; ``result.problems()`` lists what is wrong, row by row.
        """
        if self.committee is None:
            raise ImproperlyConfigured("Pass the importing committee to the resource.")
        self.user = kwargs.get("user") or self.user
        if (
            self.user is not None
            and not Committee.objects.visible_to(self.user).filter(pk=self.committee.pk).exists()
        ):
            raise PermissionDenied
        self.reset()
        self._sheet_rows = getattr(dataset, "sheet_rows", None)
        problem = self.check_headers(dataset)
        if problem:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            self.handle_import_error(result, SpreadsheetError(problem), raise_errors)
            return result
        # All or nothing, whatever the caller asks: one transaction, rolled back on any bad row.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def get_result_class(self):
        # An instance method here (a classmethod in the library): the result needs the sheet's
        # row numbers of this import.
        sheet_rows = self._sheet_rows
        return lambda: SheetResult(sheet_rows)

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
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

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

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a stored object the row leaves as it is (so a second import changes nothing)."""
        if not self._meta.skip_unchanged or import_validation_errors or self._before is None:
            return False
        for field in self.get_import_fields():
            before = self._before[field.column_name]
            if isinstance(field.widget, widgets.ManyToManyWidget):
                if field.column_name not in row:
                    continue
                if sorted(o.pk for o in field.clean(row)) != sorted(o.pk for o in before or []):
                    return False
            elif field.get_value(instance) != before:
                return False
        return True

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type not in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            return
        self._previewed += 1
        if self._previewed <= PREVIEW_ROWS:
            row_result.diff = self.preview_cells(self._instance, self._before, row)

    def preview_cells(self, instance, before: dict | None, row) -> list:
        """The row's cells for the preview; a changed cell shows the old and the new value."""
        cells = []
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = (
                    field.clean(row)
                    if field.column_name in row
                    else (before or {}).get(field.column_name)
                )
            else:
                new = field.get_value(instance)
            shown = field.widget.render(new)
            old = None if before is None else field.widget.render(before[field.column_name])
            if old is None or old == shown:
                cells.append(shown)
            else:
                cells.append(format_html("<del>{}</del> <ins>{}</ins>", old, shown))
        return cells

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.validation_error is not None:
            row_result.validation_error = self.errors_by_column(row_result.validation_error)
        return row_result

    def import_instance(self, instance, row, **kwargs):
        """Set the row's values on the instance; collect every problem of the row at once."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if getattr(field, "required", False) and is_blank(row[field.column_name]):
                errors.setdefault(field.attribute or field.column_name, []).append(
                    _("This column must be filled in.")
                )
            elif isinstance(field.widget, widgets.ManyToManyWidget) and not field.readonly:
                # Saved after the row (save_m2m): check the names now, as a row error.
                try:
                    field.clean(row)
                except ValueError as error:
                    errors.setdefault(field.attribute, []).append(str(error))
        self.check_row(instance, row, errors, kwargs.get("row_number") or 0)
        if errors:
            raise ValidationError(errors)

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

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
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
            raise ValidationError(errors)

    def errors_by_column(self, error: ValidationError) -> ValidationError:
        """Key a row's errors by the column header the clerk sees, not by the model field."""
        columns = {}
        for field in self.fields.values():
            if field.attribute:
                columns.setdefault(field.attribute, field.column_name)
                columns.setdefault(field.attribute.split("__")[0], field.column_name)
        by_column: dict = {}
        error_dict = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {NON_FIELD_ERRORS: error.messages}
        )
        for key, messages in error_dict.items():
            column = columns.get(key) or columns.get(key.removesuffix("_id"))
            if column is None and key != NON_FIELD_ERRORS:
                column = self._verbose_name(key)
            by_column.setdefault(column or NON_FIELD_ERRORS, []).extend(messages)
        return ValidationError(by_column)

    def _verbose_name(self, key: str) -> str:
        try:
            return str(self._meta.model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            return key

    # -- saving, with history ---------------------------------------------------------------

    def before_save_instance(self, instance, row, **kwargs):
        # Read by simple-history on save(); bulk writes pass them explicitly.
        instance._history_user = self.user
        instance._change_reason = self.change_reason()
        if not self._meta.use_bulk:
            return
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

    # A dry run (the preview) checks every row in Python and writes nothing in bulk: the rules
    # the database would enforce (unique ID numbers, names …) are checked row by row already.

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.create_instances.clear()
        if self.create_instances:
            try:
                bulk_create_with_history(
                    self.create_instances,
                    self._meta.model,
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=self.change_reason(),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
        if self.update_instances:
            try:
                bulk_update_with_history(
                    self.update_instances,
                    self._meta.model,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.user,
                    default_change_reason=self.change_reason(),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if self._is_dry_run(kwargs) and self._meta.use_bulk:
            return  # nothing was written to build on
        if not result.has_errors() and not result.has_validation_errors():
            self.after_rows_saved(result, **kwargs)

    def after_rows_saved(self, result, **kwargs) -> None:
        """Write what depends on the rows' objects having been saved (see subclasses)."""

    # -- export -----------------------------------------------------------------------------

    def get_queryset(self):
        manager = self._meta.model.objects
        if self.user is not None:
            return manager.visible_to(self.user)
        if self.committee is not None:
            return manager.for_committee(self.committee, subtree=False)
        return manager.none()

    def export_queryset(self, queryset):
        """The export's queryset with what its columns read fetched up front (subclasses)."""
        return queryset

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        dataset = super().export(queryset=self.export_queryset(queryset), **kwargs)
        dataset.title = self.sheet_title
        return dataset

    def get_export_order(self):
        # Import-only columns (such as a default for another column) are not exported.
        return tuple(
            name
            for name in super().get_export_order()
            if getattr(self.fields.get(name), "export_column", True)
        )

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

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
