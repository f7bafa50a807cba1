"""Cell widgets that read what a clerk types: Chinese yes/no and choice labels, dates such as
2024年5月1日, digits kept as text, and names looked up among the importing committee's own
records only."""

from __future__ import annotations

import datetime
import decimal
import re
import unicodedata

from django.utils.translation import gettext as _
from import_export import widgets

from .cells import EXCEL_EXACT_DIGITS, LIST_SEPARATORS, NO, YES, cell_text, is_blank, name_key


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
        if is_blank(value):
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
        if is_blank(value):
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
    """A date as typed in China: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, or a date cell;
    or the number Excel stores for a date (45628 for 2024-12-02), which a date cell shows once
    its format is lost (a copy as values, a .csv saved from it)."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
    # Excel's serial numbers of 1900-01-01 and 9999-12-31; a .csv holds one as up to 7 digits
    # (a time of day as a fraction), which no other accepted form can be.
    SERIAL_RANGE = (1, 2_958_465)
    SERIAL_TEXT = re.compile(r"\d{1,7}(\.\d+)?")

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value).replace(" ", "")
        if self.SERIAL_TEXT.fullmatch(text):  # a number cell, or its digits in a .csv
            return self.from_serial(decimal.Decimal(text))
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("Enter a date such as 2024-05-01."))

    def from_serial(self, number) -> datetime.date:
        """The date of an Excel serial number (openpyxl's reading, 1900 date system)."""
        from openpyxl.utils.datetime import from_excel

        low, high = self.SERIAL_RANGE
        if not low <= number <= high:
            raise ValueError(_("Enter a date such as 2024-05-01."))
        return from_excel(float(number)).date()

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else value.isoformat()


class YesNoWidget(widgets.Widget):
    """是 or 否 (also Y/N, 1/0, √/×). A blank cell leaves the stored value (or the default)."""

    TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "对"}
    FALSE = {"否", "n", "no", "false", "0", "×", "✗", "x", "不是"}

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
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
        if is_blank(value):
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
