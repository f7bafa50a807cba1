"""Helpers for driving admin forms in tests: read the rendered form, post it back."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models.fields.files import FieldFile


def _form_data(data: dict, form) -> None:
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if value is None or isinstance(value, FieldFile):
            continue
        if isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)


def changeform_data(response) -> dict:
    """The POST data that saves a rendered change form (and its inlines) as it stands."""
    data: dict = {}
    _form_data(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            _form_data(data, form)
    return data


def relation_fields(response):
    """Every (name, field) picking model instances on the page: the form's and the inlines'.

    An inline row's hidden primary key is left out: Django checks it against the row's own
    formset when saving, not against the choices.
    """
    fields = list(response.context["adminform"].form.fields.items())
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        pk_name = formset.model._meta.pk.name
        for name, field in formset.empty_form.fields.items():
            if name != pk_name:
                fields.append((f"{formset.prefix}-{name}", field))
    return [(n, f) for n, f in fields if isinstance(f, forms.ModelChoiceField)]
