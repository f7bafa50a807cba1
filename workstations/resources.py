"""Spreadsheet columns of the workstation register (django-import-export). PLACEHOLDER — being written."""

from import_export import resources

from .models import Workstation


class WorkstationResource(resources.ModelResource):
    class Meta:
        model = Workstation
