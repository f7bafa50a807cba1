"""Exports of any size written as they are read: a register of 200,000 activities leaves the
server as a stream, with flat memory.

- .csv: a ``StreamingHttpResponse`` of lines, each written as its row is read (UTF-8 with the
  byte-order mark, so that Excel on a Chinese system reads it).
- .xlsx: openpyxl's write-only workbook, rows appended as they are read and kept on disk by
  openpyxl, then the file sent from disk (a zip cannot be sent before it is finished).
- Columns are wide enough for Chinese, measured on the header and the first ``CHUNK`` rows
  (a Chinese character takes the room of two Latin ones).
- Above ``EXPORT_BACKGROUND_ROWS`` rows, either is written by a task into the private storage
  (``write_file``; ``workstations.spreadsheets.jobs``) and fetched from the downloads page.

Rows are read in chunks by ranges of ids, prefetches included, and each cell goes through the
resource's columns (``TenantResource.export_readers``), so no cell can run as a formula.
"""

from __future__ import annotations

import csv
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .cells import column_widths

CHUNK = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(resource, queryset, *, native: bool) -> Iterator[list]:
    """The header row, then every object's row, read ``CHUNK`` at a time by ranges of ids
    (each chunk with its prefetches and what ``export_chunk`` reads for it)."""
    yield resource.get_export_headers()
    readers = resource.export_readers(native=native)
    queryset = resource.filter_export(queryset).order_by("pk")
    last = None
    while True:
        chunk = list((queryset if last is None else queryset.filter(pk__gt=last))[:CHUNK])
        if not chunk:
            return
        resource.export_chunk(chunk)
        for obj in chunk:
            yield [read(obj) for read in readers]
        last = chunk[-1].pk


class _Line:
    """A file-like object whose write returns what was written (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(resource, queryset) -> Iterator[bytes]:
    """The .csv file, line by line (UTF-8 with the byte-order mark)."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode()
    for row in rows(resource, queryset, native=False):
        yield writer.writerow(["" if v is None else v for v in row]).encode("utf-8")


def set_column_widths(sheet, measured: Iterable[list]) -> None:
    """Give each column of ``sheet`` the room its longest value in ``measured`` needs (capped);
    a write-only sheet takes them before its first row."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(column_widths(measured), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def write_xlsx(resource, queryset, out: BinaryIO, *, title: str = "") -> None:
    """Write the .xlsx workbook into ``out``, rows appended as they are read; the widths of
    the columns are measured on the first ``CHUNK`` rows, held until then."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title or "Sheet1")
    sheet.freeze_panes = "A2"
    lines = rows(resource, queryset, native=True)
    first = list(itertools.islice(lines, CHUNK + 1))
    set_column_widths(sheet, first)
    for row in itertools.chain(first, lines):
        sheet.append(row)
    book.save(out)


def write_file(resource, queryset, out: BinaryIO, file_format: str, *, title: str = "") -> None:
    """Write the register as ``file_format`` ("xlsx" or "csv") into ``out`` (a task's export
    into the private storage: the same rows as the responses below)."""
    if file_format == "csv":
        for line in csv_lines(resource, queryset):
            out.write(line)
    else:
        write_xlsx(resource, queryset, out, title=title)


def csv_response(resource, queryset, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(resource, queryset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def xlsx_response(resource, queryset, filename: str, *, title: str = "") -> FileResponse:
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write_xlsx(resource, queryset, out, title=title)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
