"""Spreadsheet import and export of the registers (django-import-export), tenant-aware.

Every app's ``resources.py`` builds on these, and the admins of the importable registers mix in
``admin.TenantImportExportMixin``:

- ``cells``: what a cell holds, read and written safely (no formula ever runs);
- ``files``: reading .xlsx and .csv uploads with clear messages;
- ``widgets``: what a clerk types, read (Chinese yes/no, dates, names in the committee);
- ``resources``: ``Column`` and ``TenantResource``, all-or-nothing imports with history;
- ``templates``: the blank template of a register;
- ``admin``: the import and export pages of the back office.
"""
