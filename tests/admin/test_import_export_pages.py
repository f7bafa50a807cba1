"""The import and export pages as a clerk sees them: in Chinese, with buttons that say what
they do, .xlsx chosen already, and files named after the committee and the day."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

IMPORT = "admin:members_member_import"
EXPORT = "admin:members_member_export"
STREAM = "admin:members_member_stream_export"
LONG_WORKPLACE = "安徽省马鞍山市含山县人民医院心血管内科"


def content_text(response) -> str:
    """The visible text of the page's content, without its tags, scripts and hidden fields."""
    html = response.content.decode()
    start = html.index(">", html.index('id="content"')) + 1
    content = html[start : html.index("<!-- END Content")]
    content = re.sub(r"<(script|style).*?</\1>", "", content, flags=re.S)
    values = re.findall(r'type="submit"[^>]*value="([^"]*)"', content)
    return " ".join([re.sub(r"<[^>]+>", " ", content), *values])


def file_name(response) -> str:
    header = response["Content-Disposition"]
    match = re.search(r"filename\*=utf-8''([^;]+)", header)
    return unquote(match.group(1)) if match else header


def export_data(client) -> dict:
    form = client.get(reverse(EXPORT)).context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.label and name != "resource"}
    data.update(format=form.initial["format"], resource="0")
    return data


def test_the_import_button_says_import(register, login):
    page = login(register.staff).get(reverse(IMPORT))

    assert 'value="导入"' in page.content.decode()
    assert "报送" not in content_text(page)


def test_the_export_button_says_export(register, login):
    page = login(register.staff).get(reverse(EXPORT))

    assert 'value="导出"' in page.content.decode()
    assert "报送" not in content_text(page)


@pytest.mark.parametrize("url", [IMPORT, EXPORT])
def test_the_pages_have_no_english_left(register, login, url):
    text = content_text(login(register.staff).get(reverse(url)))

    assert re.findall(r"\b(?!xlsx\b|csv\b|MB\b)[A-Za-z]{2,}\b", text) == []


def test_the_export_format_is_xlsx_by_default(register, login):
    form = login(register.staff).get(reverse(EXPORT)).context["form"]

    assert form["format"].value() == "0"
    assert dict(form.fields["format"].choices)["0"] == "xlsx"


def test_the_export_columns_are_listed_by_their_headers(register, login):
    form = login(register.staff).get(reverse(EXPORT)).context["form"]

    labels = [f.label for f in form.fields.values() if getattr(f, "is_selectable_field", False)]
    assert "身份证号" in labels
    assert all(not re.search(r"[A-Za-z]", label) for label in labels)


def test_the_export_files_name_says_committee_register_and_day(register, login):
    client = login(register.staff)

    response = client.post(reverse(EXPORT), export_data(client))

    today = timezone.localdate().isoformat()
    assert file_name(response) == f"{register.committee.name}-委员名册-{today}.xlsx"


def test_the_whole_lists_file_name_says_committee_register_and_day(register, login):
    response = login(register.staff).get(reverse(STREAM), {"format": "csv"})

    today = timezone.localdate().isoformat()
    assert file_name(response) == f"{register.committee.name}-委员名册-{today}.csv"


def sheet_width(content: bytes, header: str) -> float:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    letter = next(c.column_letter for c in sheet[1] if c.value == header)
    return sheet.column_dimensions[letter].width


def test_the_exported_columns_are_wide_enough_for_chinese(register, login):
    MemberFactory(committee=register.committee, workplace=LONG_WORKPLACE)
    client = login(register.staff)

    response = client.post(reverse(EXPORT), export_data(client))

    assert sheet_width(response.content, "工作单位") >= 2 * len(LONG_WORKPLACE)


def test_the_whole_lists_columns_are_wide_enough_for_chinese(register, login):
    MemberFactory(committee=register.committee, workplace=LONG_WORKPLACE)

    response = login(register.staff).get(reverse(STREAM), {"format": "xlsx"})

    content = b"".join(response.streaming_content)
    assert sheet_width(content, "工作单位") >= 2 * len(LONG_WORKPLACE)


def test_an_exported_columns_width_is_capped(register, login):
    MemberFactory(committee=register.committee, workplace="县" * 100)  # its longest: 100

    response = login(register.staff).get(reverse(STREAM), {"format": "xlsx"})

    assert sheet_width(b"".join(response.streaming_content), "工作单位") <= 60
