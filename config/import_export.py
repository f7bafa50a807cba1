"""Spreadsheet import and export for the back office (django-import-export), tenant-aware.

PLACEHOLDER — being written: formula-safe export, size limit, safe .xlsx, shared temp storage,
committee passed to the resources, Chinese error messages.
"""

from import_export.admin import ImportExportMixin


class TenantImportExportMixin(ImportExportMixin):
    """Admin mixin for the importable models (workstations, members, activities, outcomes)."""
