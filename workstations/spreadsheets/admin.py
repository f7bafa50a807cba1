"""The import and export pages of the back office (django-import-export), tenant-aware.

The admins of the four registers (workstations, members, activities, outcomes) mix in
``TenantImportExportMixin`` and name their resource. The mixin gives them:

- import into one committee the user may see (chosen on the form when the user sees several),
  passed to the resource, which looks every name up in that committee only;
- an upload limit (``IMPORT_MAX_UPLOAD_MB``), .xlsx and .csv only, with clear messages for an
  empty file, a file that is not what its ending says, or wrong headers;
- a preview that lists every problem by spreadsheet row and column, and an import that writes
  nothing when any row is bad; the pending file of a preview is kept in the media storage
  (``IMPORT_EXPORT_TMP_STORAGE_CLASS``), so another app server can finish the import;
- a blank template of the register to download (``import/template/?format=xlsx|csv``);
- exports of what the user may see only, in which no cell runs as a formula;
- import and export rights as the permissions ``<app>.import_<model>`` / ``export_<model>``
  that a staff role grants or not (``members.backends``);
- a confirmed import of more than ``IMPORT_BACKGROUND_ROWS`` rows, and a download of the list
  of more than ``EXPORT_BACKGROUND_ROWS``, done by a task (``jobs``) through the same hooks, and
  followed on the office's downloads page.

The resource side is ``workstations.spreadsheets.resources``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm, ImportForm, SelectableFieldsExportForm
from import_export.signals import post_import

from ..models import Committee, SpreadsheetJob
from ..tenancy import committee_of_user
from . import jobs, streaming
from .files import FORMATS, NOT_XLSX, XLSX, XLSX_MAGIC, SpreadsheetError
from .resources import PREVIEW_ROWS
from .templates import blank_template

logger = logging.getLogger(__name__)


def max_upload_mb() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB


class TenantImportForm(ImportForm):
    """The upload: which committee to import into, and the file (its format from its ending)."""

    committee = forms.ModelChoiceField(
        queryset=Committee.objects.none(), label=gettext_lazy("Import into"), empty_label=None
    )
    field_order = ["resource", "committee", "import_file", "format"]

    def __init__(self, formats, resources, *, committees, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        committee = self.fields["committee"]
        committee.queryset = committees
        if len(committees) == 1:
            committee.widget = forms.HiddenInput()
            committee.initial = committees[0].pk
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx,.csv"
        self.fields["import_file"].help_text = _(".xlsx or .csv, up to %(limit)s MB.") % {
            "limit": max_upload_mb()
        }

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = max_upload_mb()
        if upload.size > limit * 1024 * 1024:
            raise ValidationError(
                _(
                    "This file is %(size).1f MB; files up to %(limit)s MB can be imported. "
                    "Split it into smaller files."
                )
                % {"size": upload.size / 1024 / 1024, "limit": limit}
            )
        if self._extension(upload.name) is None:
            raise ValidationError(_("Upload an .xlsx or .csv file."))
        if self._extension(upload.name) == "xlsx":
            head = upload.read(len(XLSX_MAGIC))
            upload.seek(0)
            if head != XLSX_MAGIC:
                raise ValidationError(NOT_XLSX)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None:
            extension = self._extension(upload.name)
            for index, file_format in enumerate(self.formats):
                if file_format().get_extension() == extension:
                    cleaned["format"] = str(index)
        return cleaned

    def _extension(self, name: str) -> str | None:
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        formats = {f().get_extension() for f in self.formats}
        return extension if extension in formats else None


class TenantConfirmImportForm(ConfirmImportForm):
    """The confirmation carries the committee again, checked again against the user's."""

    committee = forms.ModelChoiceField(
        queryset=Committee.objects.none(), widget=forms.HiddenInput()
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class TenantExportForm(SelectableFieldsExportForm):
    """The export page's form: the columns by their Chinese headers, .xlsx chosen already."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        extensions = [f().get_extension() for f in formats]
        if "xlsx" in extensions:
            self.initial.setdefault("format", str(extensions.index("xlsx")))
        self.fields["format"].choices = [c for c in self.fields["format"].choices if c[0]]
        for resource in resources:
            for name, column in resource.fields.items():
                field = self.fields.get(self.create_boolean_field_name(resource, name))
                if field is not None:
                    # The library writes "Id Number (身份证号)"; the clerk knows the header.
                    field.label = column.column_name


@dataclass(frozen=True)
class QueuedImport:
    """What the confirmation step returns for an import handed to a task (its ``job``)."""

    job: SpreadsheetJob
    rows: int


class TenantImportExportMixin(ImportExportMixin):
    """Admin mixin for the importable registers (workstations, members, activities, outcomes)."""

    import_template_name = "admin/import_export/tenant_import.html"
    import_form_class = TenantImportForm
    confirm_form_class = TenantConfirmImportForm
    export_form_class = TenantExportForm
    # Excel on a Chinese system reads a .csv as UTF-8 only with the byte-order mark.
    to_encoding = "utf-8-sig"

    # Our .xlsx and .csv readers, for import and export alike (the library's admin option).
    formats = FORMATS

    def get_urls(self):
        app_label, model_name = self.get_model_info()
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{app_label}_{model_name}_import_template",
            ),
            path(
                "export/all/",
                self.admin_site.admin_view(self.stream_export_view),
                name=f"{app_label}_{model_name}_stream_export",
            ),
            *super().get_urls(),
        ]

    # -- import -----------------------------------------------------------------------------

    def import_committees(self, request):
        return Committee.objects.visible_to(request.user).order_by("level", "name")

    def get_import_form_kwargs(self, request):
        kwargs = super().get_import_form_kwargs(request)
        kwargs["committees"] = self.import_committees(request)
        return kwargs

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["committees"] = self.import_committees(request)
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["committee"] = import_form.cleaned_data["committee"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        cleaned = getattr(kwargs.get("form"), "cleaned_data", None) or {}
        return {"committee": cleaned.get("committee"), "user": request.user}

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            context = response.context_data
            resource_class = self.get_import_resource_classes(request)[0]
            context["template_columns"] = resource_class().template_columns()
            context["max_upload_mb"] = max_upload_mb()
            context["preview_rows"] = PREVIEW_ROWS
            if context.get("result") is not None and not context.get("confirm_form"):
                # The preview found problems: the pending file will not be confirmed.
                self._discard_pending_file(context.get("form"))
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            message = str(e)
        else:
            logger.warning("Unreadable upload", exc_info=e)
            message = _(
                "This file could not be read as a spreadsheet. Save it as .xlsx or .csv and "
                "upload it again."
            )
        form.add_error("import_file", message)
        self._discard_pending_file(form)

    def _discard_pending_file(self, form) -> None:
        upload = (getattr(form, "cleaned_data", None) or {}).get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            self.get_tmp_storage_class()(name=name, **self.get_tmp_storage_class_kwargs()).remove()

    def process_dataset(self, dataset, form, request, **kwargs):
        """The confirmed import: in the request up to ``IMPORT_BACKGROUND_ROWS`` rows, by a
        task beyond (``import_queued``, which comes back here)."""
        if getattr(request, "queued_import", False) or len(dataset) <= (
            settings.IMPORT_BACKGROUND_ROWS
        ):
            return super().process_dataset(dataset, form, request, **kwargs)
        return self._queue_import(form, request, rows=len(dataset))

    def _import_tmp_storage(self, form, name: str | None = None):
        """The pending file of an import (the library's temporary storage, as it opens it)."""
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])](
            encoding=self.from_encoding
        )
        return self.get_tmp_storage_class()(
            name=name,
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        ), input_format

    def _queue_import(self, form, request, *, rows: int) -> QueuedImport:
        """Hand the previewed sheet to a task. The library removes its pending file as soon as
        the import returns, so the task gets a copy of its own."""
        from ..tasks import import_sheet

        pending, _format = self._import_tmp_storage(form, form.cleaned_data["import_file_name"])
        copy, _format = self._import_tmp_storage(form)
        copy.save(pending.read())
        confirm = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
        confirm["import_file_name"] = [copy.name]
        app_label, model_name = self.get_model_info()
        job = jobs.job_start(
            kind=SpreadsheetJob.Kind.IMPORT,
            title=form.cleaned_data.get("original_file_name") or copy.name,
            requested_by=request.user,
            committee=form.cleaned_data["committee"],
            task=import_sheet,
            kwargs={"model": f"{app_label}.{model_name}", "confirm": confirm},
        )
        return QueuedImport(job=job, rows=rows)

    def import_queued(self, request) -> dict:
        """The task's side of a queued import (``request`` carries the confirmation as it was
        posted): the library's confirmation step, run again as the staff member, with their
        rights checked again; returns the summary (``jobs.import_summary``). A transient error
        (the database, the storage) is raised so that the task tries again; the import is all
        or nothing, so a second try starts from a clean register."""
        from ..tasks import TRANSIENT_ERRORS

        request.queued_import = True
        if not self.has_import_permission(request):
            return jobs.refused_summary(_("You may no longer import into this register."))
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return jobs.refused_summary(
                " ".join(str(m) for errors in form.errors.values() for m in errors)
            )
        pending, input_format = self._import_tmp_storage(
            form, form.cleaned_data["import_file_name"]
        )
        dataset = input_format.create_dataset(pending.read())
        result = self.process_dataset(dataset, form, request)
        errors = [*result.base_errors, *(e for row in result.error_rows for e in row.errors)]
        for error in errors:
            if isinstance(error.error, TRANSIENT_ERRORS):
                raise error.error
        if not (result.has_errors() or result.has_validation_errors()):
            self.generate_log_entries(result, request)
            post_import.send(sender=None, model=self.model)
        pending.remove()
        return jobs.import_summary(result)

    def downloads_url(self, request) -> str:
        """The office's downloads page (config/office/downloads.py), where a staff member
        follows the exports and imports done for them in the background."""
        user = request.user
        committee = committee_of_user(user) or (
            Committee.objects.visible_to(user).filter(parent=None).order_by("pk").first()
        )
        if committee is None:
            app_label, model_name = self.get_model_info()
            return reverse(f"admin:{app_label}_{model_name}_changelist")
        return reverse("office:downloads", kwargs={"committee": committee.slug})

    def process_result(self, result, request):
        if isinstance(result, QueuedImport):
            messages.info(
                request,
                _(
                    "The sheet has %(rows)s rows: it is being imported in the background. "
                    "Its result will be on your downloads page."
                )
                % {"rows": result.rows},
            )
            return HttpResponseRedirect(self.downloads_url(request))
        # The confirmed import runs the checks again; if the register changed since the
        # preview and a row fails now, nothing was written: say so rather than "finished".
        if result.has_errors() or result.has_validation_errors():
            app_label, model_name = self.get_model_info()
            problems = result.problems() if hasattr(result, "problems") else []
            first = problems[0] if problems else None
            messages.error(
                request,
                _(
                    "Nothing was imported: %(count)s problems found, the first in row "
                    "%(row)s: %(message)s Upload the file again to see them all."
                )
                % {
                    "count": len(problems),
                    "row": first.row if first and first.row else "—",
                    "message": first.message if first else "",
                },
            )
            return HttpResponseRedirect(
                reverse(
                    f"admin:{app_label}_{model_name}_import",
                    current_app=self.admin_site.name,
                )
            )
        return super().process_result(result, request)

    def import_template_view(self, request):
        """The register's blank template: .xlsx (with explanations) or .csv."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
        resource_class = self.get_import_resource_classes(request)[0]
        resource = resource_class(**self.get_import_resource_kwargs(request))
        content_type = "text/csv; charset=utf-8" if file_format == "csv" else XLSX.CONTENT_TYPE
        response = HttpResponse(blank_template(resource, file_format), content_type=content_type)
        name = _("%(register)s (blank template)") % {
            "register": resource.sheet_title or self.model._meta.verbose_name_plural
        }
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.{file_format}")
        return response

    # -- export -----------------------------------------------------------------------------

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_queryset(self, request):
        # The changelist's filters and search apply; what the user may not see never does.
        return super().get_export_queryset(request).visible_to(request.user)

    def export_file_name(self, request, resource, extension: str) -> str:
        """An export's file name, in Chinese: the user's committee, the register and the day,
        e.g. 含山县政协-委员名册-2026-12-01.xlsx (no committee for a user who sees several)."""
        committee = committee_of_user(request.user)
        name = "-".join(
            part
            for part in (
                committee.name if committee else "",
                resource.sheet_title or str(self.model._meta.verbose_name_plural),
                timezone.localdate().isoformat(),
            )
            if part
        )
        return f"{name}.{extension}"

    def get_export_filename(self, request, queryset, file_format):
        # The library's hook for its export page; it writes the name into the header as it
        # is, which export_action then writes again for any browser (RFC 6266).
        resource_class = self.get_export_resource_classes(request)[0]
        resource = resource_class(**self.get_export_resource_kwargs(request))
        request.export_file_name = self.export_file_name(
            request, resource, file_format.get_extension()
        )
        return request.export_file_name

    def export_action(self, request):
        response = super().export_action(request)
        name = getattr(request, "export_file_name", None)
        if name and response.has_header("Content-Disposition"):
            response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def _export_parts(self, request, file_format: str):
        """The resource, the queryset (the changelist's filters and search, every row the user
        may see) and the file's name of a download of the whole list."""
        queryset = self.get_export_queryset(request).order_by("pk")
        resource_class = self.get_export_resource_classes(request)[0]
        resource = resource_class(**self.get_export_resource_kwargs(request))
        return resource, queryset, self.export_file_name(request, resource, file_format)

    def stream_export_view(self, request):
        """The whole list as the changelist shows it (its filters and search), every row the
        user may see, written as it is read: ``?format=xlsx`` (the default) or ``csv``. A list
        of more than ``EXPORT_BACKGROUND_ROWS`` rows is written by a task instead, and waits
        on the downloads page."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        request.GET = request.GET.copy()
        file_format = "csv" if request.GET.pop("format", ["xlsx"])[0] == "csv" else "xlsx"
        resource, queryset, filename = self._export_parts(request, file_format)
        limit = settings.EXPORT_BACKGROUND_ROWS
        if queryset[: limit + 1].count() > limit:
            return self._queue_export(request, file_format, filename)
        if file_format == "csv":
            return streaming.csv_response(resource, queryset, filename)
        return streaming.xlsx_response(resource, queryset, filename, title=resource.sheet_title)

    def _queue_export(self, request, file_format: str, filename: str) -> HttpResponseRedirect:
        from ..tasks import export_register

        app_label, model_name = self.get_model_info()
        jobs.job_start(
            kind=SpreadsheetJob.Kind.EXPORT,
            title=filename,
            requested_by=request.user,
            committee=committee_of_user(request.user),
            task=export_register,
            kwargs={
                "model": f"{app_label}.{model_name}",
                "params": {key: request.GET.getlist(key) for key in request.GET},
                "file_format": file_format,
            },
        )
        messages.info(
            request,
            _(
                "The list has more than %(limit)s rows: it is being written in the background "
                "and will be on your downloads page in a few minutes."
            )
            % {"limit": settings.EXPORT_BACKGROUND_ROWS},
        )
        return HttpResponseRedirect(self.downloads_url(request))

    def write_export(self, request, file_format: str, out) -> None:
        """The task's side of a queued download (``request`` carries the changelist's query):
        the same rows as ``stream_export_view``, written into ``out``, the right checked again."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource, queryset, _filename = self._export_parts(request, file_format)
        streaming.write_file(resource, queryset, out, file_format, title=resource.sheet_title)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_export_permission(request):
            app_label, model_name = self.get_model_info()
            extra_context["stream_export_url"] = reverse(
                f"admin:{app_label}_{model_name}_stream_export", current_app=self.admin_site.name
            )
        if self.has_export_permission(request) or self.has_import_permission(request):
            extra_context["downloads_url"] = self.downloads_url(request)
        return super().changelist_view(request, extra_context)
