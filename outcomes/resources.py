"""Spreadsheet columns of the outcome register (django-import-export). PLACEHOLDER — being written."""

from import_export import resources

from .models import Outcome


class OutcomeResource(resources.ModelResource):
    class Meta:
        model = Outcome
