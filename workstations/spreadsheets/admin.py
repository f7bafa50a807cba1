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
  that a staff role grants or not (``members.backends``).

The resource side is ``workstations.spreadsheets.resources``.
"""

from __future__ import annotations

import logging

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
from import_export.forms import ConfirmImportForm, ImportForm

from ..models import Committee
from ..tenancy import committee_of_user
from . import streaming
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


class TenantImportExportMixin(ImportExportMixin):
    """Admin mixin for the importable registers (workstations, members, activities, outcomes)."""

    import_template_name = "admin/import_export/tenant_import.html"
    import_form_class = TenantImportForm
    confirm_form_class = TenantConfirmImportForm
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

    def process_result(self, result, request):
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

    def stream_export_view(self, request):
        """The whole list as the changelist shows it (its filters and search), every row the
        user may see, written as it is read: ``?format=xlsx`` (the default) or ``csv``."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        request.GET = request.GET.copy()
        file_format = "csv" if request.GET.pop("format", ["xlsx"])[0] == "csv" else "xlsx"
        queryset = self.get_export_queryset(request).order_by("pk")
        resource_class = self.get_export_resource_classes(request)[0]
        resource = resource_class(**self.get_export_resource_kwargs(request))
        committee = committee_of_user(request.user)
        name = "-".join(
            part
            for part in (
                resource.sheet_title or str(self.model._meta.verbose_name_plural),
                committee.name if committee else "",
                timezone.localdate().isoformat(),
            )
            if part
        )
        if file_format == "csv":
            return streaming.csv_response(resource, queryset, f"{name}.csv")
        return streaming.xlsx_response(
            resource, queryset, f"{name}.xlsx", title=resource.sheet_title
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if self.has_export_permission(request):
            app_label, model_name = self.get_model_info()
            extra_context["stream_export_url"] = reverse(
                f"admin:{app_label}_{model_name}_stream_export", current_app=self.admin_site.name
            )
        return super().changelist_view(request, extra_context)
