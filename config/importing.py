"""Spreadsheet import and export shared by the registers (django-import-export), tenant-aware.

What every register's resource (``*/resources.py``) gets from here:

- reading .xlsx (openpyxl, which parses through defusedxml) and .csv (UTF-8 or GBK) into a
  dataset with clear messages for a file that is not a sheet, is empty or is too long;
- cell widgets that read what a clerk types: Chinese yes/no and choice labels, dates such as
  2024年5月1日, names looked up among the importing committee's own records only;
- ``TenantResource``: the importing committee and user, header checks naming the missing and
  unknown columns, row errors keyed by column header and numbered as the spreadsheet numbers
  its rows, all-or-nothing imports, bulk writes that still leave history, and exports in which
  no cell can run as a formula;
- the blank template of each register (.xlsx with a sheet explaining the columns, or .csv).

The admin side (forms, views, permissions) is ``config.import_export``.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tablib
from django.conf import settings
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
from import_export.formats import base_formats
from import_export.results import Result, RowResult
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

logger = logging.getLogger(__name__)

# A cell starting with one of these is run as a formula by Excel, WPS or LibreOffice (OWASP,
# "CSV injection"). The library's own escaping only strips a leading "=".
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The sheet of the blank template that explains the columns; never read as data.
INSTRUCTIONS_SHEET = "说明"
# Separators a clerk uses between several names in one cell.
LIST_SEPARATORS = re.compile(r"[;；、,，/\n]+")
# Excel keeps 15 significant digits: a longer number typed into a number cell is already wrong.
EXCEL_EXACT_DIGITS = 15
XLSX_MAGIC = b"PK\x03\x04"
NOT_XLSX = gettext_lazy(
    "This file is not a valid .xlsx spreadsheet. Open it in Excel or WPS, save it as .xlsx "
    "(or .csv) and upload it again."
)
NO_ROWS = gettext_lazy("The file has column headers but no rows to import.")
# How many new or changed rows the preview shows cell by cell.
PREVIEW_ROWS = 500
# The reason recorded in the change history of every object an import writes.
CHANGE_REASON = "import"


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 20_000)


def neutralise_formula(value):
    """Prefix text a spreadsheet would run as a formula with a single quote (OWASP advice).

    Only text is touched: a real number (even a negative one) or a date stays what it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_text(value) -> str:
    """A cell as trimmed text: whole numbers without ".0", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def name_key(value) -> str:
    """What two spellings of one name have in common: full-width forms folded, no spaces.

    Chinese lists often pad two-character names ("张  伟"); the register holds "张伟".
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value))).casefold()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- Reading files -----------------------------------------------------------------------------


class SpreadsheetError(Exception):
    """A file or sheet that cannot be imported; the message is written for the clerk."""


def _dataset_from_rows(rows: Iterable[Sequence]) -> tablib.Dataset:
    """Build a dataset from a sheet's rows: the first non-blank row holds the headers.

    Blank rows are left out, so ``dataset.sheet_rows`` keeps, for every data row, the row number
    the spreadsheet shows, for the error messages.
    """
    rows = iter(rows)
    header, header_row = None, 0
    for number, raw in enumerate(rows, 1):
        if any(not _is_blank(v) for v in raw):
            header, header_row = list(raw), number
            break
    if header is None:
        raise SpreadsheetError(_("The file is empty: it has neither column headers nor rows."))
    headers = [cell_text(v) for v in header]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    if "" in headers:
        column = headers.index("") + 1
        raise SpreadsheetError(
            _("Column %(column)s of the header row has no name.") % {"column": column}
        )
    dataset = tablib.Dataset(headers=headers)
    sheet_rows = []
    limit = max_rows()
    for number, raw in enumerate(rows, header_row + 1):
        values = list(raw)
        if any(not _is_blank(v) for v in values[width:]):
            raise SpreadsheetError(
                _("Row %(row)s has a value in a column without a header.") % {"row": number}
            )
        values = values[:width] + [None] * (width - len(values))
        if all(_is_blank(v) for v in values):
            continue
        if len(sheet_rows) >= limit:
            raise SpreadsheetError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": limit}
            )
        dataset.append([v.strip() if isinstance(v, str) else v for v in values])
        sheet_rows.append(number)
    if not sheet_rows:
        raise SpreadsheetError(NO_ROWS)
    dataset.sheet_rows = sheet_rows
    return dataset


def read_xlsx(data: bytes) -> tablib.Dataset:
    """The first sheet of an .xlsx workbook (other than the template's explanations)."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        # openpyxl parses through defusedxml only when it is installed; without it, refuse.
        raise ImproperlyConfigured("defusedxml must be installed to read .xlsx files safely.")
    not_xlsx = str(NOT_XLSX)
    if not data.startswith(XLSX_MAGIC):
        raise SpreadsheetError(not_xlsx)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a broken zip or broken XML inside it
        logger.info("Unreadable .xlsx upload: %r", error)
        raise SpreadsheetError(not_xlsx) from error
    try:
        sheets = [s for s in book.worksheets if s.title != INSTRUCTIONS_SHEET] or book.worksheets
        if not sheets or not hasattr(sheets[0], "iter_rows"):
            raise SpreadsheetError(_("The workbook has no worksheet."))
        return _dataset_from_rows(sheets[0].iter_rows(values_only=True))
    except SpreadsheetError:
        raise
    except Exception as error:
        logger.info("Unreadable .xlsx upload: %r", error)
        raise SpreadsheetError(not_xlsx) from error
    finally:
        book.close()


def read_csv(data: bytes | str) -> tablib.Dataset:
    """A .csv file in UTF-8 (with or without BOM) or GBK, as Excel on a Chinese system saves it."""
    if isinstance(data, bytes):
        if data.startswith(XLSX_MAGIC):
            raise SpreadsheetError(
                _("This is an .xlsx workbook, not a .csv file: upload it with the .xlsx ending.")
            )
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                data = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SpreadsheetError(_("This .csv file is neither UTF-8 nor GBK text."))
    if "\x00" in data:
        raise SpreadsheetError(_("This file is not a .csv text file."))
    try:
        return _dataset_from_rows(csv.reader(io.StringIO(data, newline="")))
    except csv.Error as error:
        raise SpreadsheetError(
            _("This .csv file could not be read: %(error)s") % {"error": error}
        ) from error


def read_spreadsheet(data: bytes, file_name: str) -> tablib.Dataset:
    """Read an uploaded .xlsx or .csv file by its ending."""
    if file_name.lower().endswith(".xlsx"):
        return read_xlsx(data)
    if file_name.lower().endswith(".csv"):
        return read_csv(data)
    raise SpreadsheetError(_("Upload an .xlsx or .csv file."))


def _export_dataset(dataset: tablib.Dataset, format_name: str):
    # Cells were made formula-safe by the resource (TenantResource.export_field), which knows a
    # number from text; the library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT would turn every
    # cell into text (None into "None") and only strip "=", so it is bypassed here.
    return dataset.export(format_name)


class XLSX(base_formats.XLSX):
    """.xlsx read safely (first data sheet, clear errors) and written without lossy escaping."""

    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        from openpyxl.utils.exceptions import IllegalCharacterError

        try:
            return _export_dataset(dataset, "xlsx")
        except IllegalCharacterError:
            self._escape_illegal_chars(dataset)
            return _export_dataset(dataset, "xlsx")


class CSV(base_formats.CSV):
    """.csv read as UTF-8 or GBK, with clear errors."""

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def export_data(self, dataset, **kwargs):
        return _export_dataset(dataset, "csv")


FORMATS = [XLSX, CSV]


# --- Widgets: what a clerk types, read -------------------------------------------------------


class TextWidget(widgets.Widget):
    """Text. With ``keep_blank``, a blank cell leaves the stored value as it is."""

    def __init__(self, keep_blank: bool = False):
        super().__init__(coerce_to_string=True)
        self.keep_blank = keep_blank

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text and self.keep_blank:
            return None
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class CodeWidget(TextWidget):
    """Digits kept as text (mobiles, ID numbers): spaces and dashes dropped, X upper-cased.

    A long number typed into a number cell has lost its last digits in Excel; it is refused.
    """

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float | int) and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(_("Enter the digits only."))
            if len(str(int(value))) > EXCEL_EXACT_DIGITS:
                raise ValueError(
                    _(
                        "The spreadsheet stored this as a number and rounded its last digits. "
                        "Format the column as text and type it again."
                    )
                )
        text = re.sub(r"[\s\-]", "", cell_text(value)).upper()
        if not text and self.keep_blank:
            return None
        return text


class IntWidget(widgets.Widget):
    """A whole number; rendered as a number, so a negative one is not taken for a formula."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = cell_text(value).replace(",", "")
        if re.fullmatch(r"-?\d{1,9}", text):
            return int(text)
        raise ValueError(_("Enter a whole number."))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        try:
            return decimal.Decimal(cell_text(value))
        except decimal.InvalidOperation as error:
            raise ValueError(_("Enter a number.")) from error

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DateWidget(widgets.Widget):
    """A date as typed in China: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, or a date cell."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value).replace(" ", "")
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("Enter a date such as 2024-05-01."))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


YES, NO = "是", "否"


class YesNoWidget(widgets.Widget):
    """是 or 否 (also Y/N, 1/0, √/×). A blank cell leaves the stored value (or the default)."""

    TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "对"}
    FALSE = {"否", "n", "no", "false", "0", "×", "✗", "x", "不是"}

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = name_key(value)
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write %(yes)s or %(no)s.") % {"yes": YES, "no": NO})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return YES if value else NO


class ChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (or an alias, or the stored code).

    ``labels`` maps each stored value to the label written in the sheet; ``aliases`` maps other
    spellings a clerk may use to a stored value.
    """

    def __init__(
        self,
        labels: dict[str, str],
        aliases: dict[str, str] | None = None,
        *,
        keep_blank: bool = False,
    ):
        super().__init__()
        self.labels = labels
        self.keep_blank = keep_blank
        self.lookup = {name_key(code): code for code in labels}
        self.lookup.update({name_key(label): code for code, label in labels.items()})
        self.lookup.update({name_key(alias): code for alias, code in (aliases or {}).items()})

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            return None if self.keep_blank else ""
        code = self.lookup.get(name_key(value))
        if code is None:
            raise ValueError(
                _("“%(value)s” is not a known value; write one of: %(choices)s.")
                % {"value": cell_text(value), "choices": "、".join(self.labels.values())}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class CommitteeWidgetMixin:
    """A widget that looks names up among the importing committee's records only.

    The resource binds it to itself (``bind``); the committee's records are read once per
    import into a dictionary, so a large sheet costs one query per column, not one per row.
    """

    resource = None
    _cache = None

    def bind(self, resource) -> None:
        self.resource = resource
        self.reset()

    def reset(self) -> None:
        self._cache = None

    @property
    def committee(self):
        return self.resource.committee if self.resource is not None else None

    def not_found(self, text: str, model) -> ValueError:
        return ValueError(
            _("“%(name)s” was not found among the %(things)s of %(committee)s.")
            % {
                "name": text,
                "things": model._meta.verbose_name_plural,
                "committee": self.committee,
            }
        )


class NamedForeignKeyWidget(CommitteeWidgetMixin, widgets.ForeignKeyWidget):
    """A sector, area, workstation or activity type named in the sheet, in this committee.

    Names are unique within a committee for all of these (database constraints).
    """

    def __init__(self, model, committee_path: str = "committee"):
        super().__init__(model, field="name")
        self.committee_path = committee_path

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(**{self.committee_path: self.committee})

    def by_name(self) -> dict:
        if self._cache is None:
            self._cache = {name_key(obj.name): obj for obj in self.get_queryset(None, None)}
        return self._cache

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        obj = self.by_name().get(name_key(text))
        if obj is None:
            raise self.not_found(text, self.model)
        return obj

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class MemberNamesWidget(CommitteeWidgetMixin, widgets.ManyToManyWidget):
    """Members named in one cell, separated by 、 or ；. Names are not unique in a committee, so
    a name two members share is written with the mobile (or its last four digits) in brackets:
    张伟（1234）."""

    ENTRY = re.compile(r"^(?P<name>.+?)\s*(?:[(（]\s*(?P<mobile>\d+)\s*[)）])?$")

    def __init__(self, model):
        super().__init__(model, separator="、", field="name")

    def members_by_name(self) -> dict:
        if self._cache is None:
            self._cache = {}
            for member in self.model.objects.filter(committee=self.committee).only(
                "pk", "name", "mobile", "committee_id"
            ):
                self._cache.setdefault(name_key(member.name), []).append(member)
        return self._cache

    def clean(self, value, row=None, **kwargs):
        found = []
        for entry in LIST_SEPARATORS.split(cell_text(value)):
            entry = unicodedata.normalize("NFKC", entry).strip()
            if not entry:
                continue
            match = self.ENTRY.match(entry)
            name, mobile = match["name"], match["mobile"]
            candidates = self.members_by_name().get(name_key(name), [])
            if mobile:
                candidates = [m for m in candidates if m.mobile.endswith(mobile)]
            if not candidates:
                raise self.not_found(entry, self.model)
            if len(candidates) > 1:
                raise ValueError(
                    _(
                        "Several members are called “%(name)s”; add the mobile in brackets, "
                        "e.g. %(example)s."
                    )
                    % {"name": name, "example": f"{name}（{candidates[0].mobile[-4:] or '1234'}）"}
                )
            if candidates[0] not in found:
                found.append(candidates[0])
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        members = value.all() if hasattr(value, "all") else value
        return self.separator.join(m.name for m in members)


# --- Columns and the tenant resource -----------------------------------------------------------


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
        from workstations.models import Committee

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
            if getattr(field, "required", False) and _is_blank(row[field.column_name]):
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


def blank_template(resource: TenantResource, file_format: str) -> bytes:
    """A register's blank template: its headers only; an .xlsx has a second sheet explaining
    each column. Cells of the digit columns (mobile, ID number) are formatted as text."""
    columns = resource.template_columns()
    headers = [c.column_name for c in columns]
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out).writerow(headers)
        # The BOM lets Excel on a Chinese system open the file as UTF-8.
        return out.getvalue().encode("utf-8-sig")
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = resource.sheet_title or "Sheet1"
    sheet.append(headers)
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="B71C1C" if column.required else None)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, 2 * len(column.column_name) + 4)
        if isinstance(column.widget, CodeWidget):
            # Text, so that Excel keeps every digit of an ID number typed into the column.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet(INSTRUCTIONS_SHEET)
    notes.append(["列名", "必填", "说明"])
    for column in columns:
        notes.append([column.column_name, YES if column.required else "", column.describe()])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 100
    for cell in notes[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
