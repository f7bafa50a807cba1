"""Spreadsheet columns of the member register (django-import-export). PLACEHOLDER — being written."""

from import_export import resources

from .models import Member


class MemberResource(resources.ModelResource):
    class Meta:
        model = Member
