"""Fixtures for the spreadsheet import and export: sheets built in memory, the 含山 register
(sectors, areas, activity types), and a helper that imports a sheet as the admin would."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from config.importing import read_spreadsheet
from consultations.services import committee_seed_activity_types
from tests.factories import PASSWORD
from workstations.models import Area
from workstations.services import committee_seed_organisation_defaults


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked in English (their ids), whatever the zh_Hans catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def login():
    """login(user) → a client signed in as that user, whose browser asks for English pages."""

    def _login(user) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


def xlsx_bytes(rows: list[list], title: str = "Sheet1") -> bytes:
    """An .xlsx workbook whose first sheet holds ``rows`` (the first row: the headers)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def sheet(rows: list[list], file_name: str = "sheet.xlsx"):
    """The dataset the admin would read from an upload of ``rows``."""
    data = csv_bytes(rows) if file_name.endswith(".csv") else xlsx_bytes(rows)
    return read_spreadsheet(data, file_name)


@pytest.fixture
def register(hanshan, huimin):
    """含山 and 惠民 with the usual sectors and activity types, and a town each."""
    for county in (hanshan, huimin):
        committee_seed_organisation_defaults(committee=county.committee)
        committee_seed_activity_types(committee=county.committee)
        Area.objects.create(committee=county.committee, name="城关镇", kind=Area.Kind.TOWN)
    return hanshan


@pytest.fixture
def run_import():
    """run_import(ResourceClass, committee, user, rows_or_dataset) → (dry-run result, result).

    As the admin does: a dry run for the preview, then the real import if the preview is clean.
    """

    def _run(resource_class, committee, user, rows, file_name="sheet.xlsx"):
        dataset = rows if not isinstance(rows, list) else sheet(rows, file_name)
        preview = resource_class(committee=committee, user=user).import_data(
            dataset, dry_run=True, user=user, file_name=file_name
        )
        if preview.has_errors() or preview.has_validation_errors():
            return preview, None
        result = resource_class(committee=committee, user=user).import_data(
            dataset, dry_run=False, user=user, file_name=file_name
        )
        return preview, result

    return _run
