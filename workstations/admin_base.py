"""The tenant in the back office: one base for every model admin and inline.

A staff account sees its committee and the committees below it (``visible_to``); superusers see
everything. ``TenantAdmin`` applies that once, everywhere the admin reaches the database: the
changelist and the object views (another committee's object is a 404, as if it did not exist),
the choices of every foreign-key and many-to-many widget, the related filters in the sidebar,
autocomplete (which asks the related model's admin, hence its scoped queryset), the history
pages, and — behind the filtered choices — every save, which refuses an object that would land
in a committee the user cannot see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import tenancy, versions
from .models import Committee
from .photos import ACCEPT, process_photo
from .search import Searchable, matching, normalise
from .tenancy import TenantQuerySet, committee_of_user

# Related models whose __str__ reads another row: fetch it with the choices, not once per option.
CHOICE_SELECT_RELATED = {"workstations.standarditem": ("standard",)}
# How many entries of each inline's history the parent's history page shows.
INLINE_HISTORY_LIMIT = 100


def visible_committee_ids(request) -> frozenset[int] | None:
    """Ids of the committees the request's user may see, once per request; None means all."""
    ids = tenancy.visible_committee_ids(request.user)
    return None if ids is None else frozenset(ids)


def committee_path(model) -> str | None:
    """The lookup from ``model`` to its committee, or None if the model has no tenant queryset."""
    queryset = model._default_manager.all()
    return queryset.committee_path if isinstance(queryset, TenantQuerySet) else None


def committee_id_of(obj) -> int | None:
    """The committee an object belongs to, following its queryset's ``committee_path``."""
    if isinstance(obj, Committee):
        return obj.pk if obj.pk is not None else obj.parent_id
    path = committee_path(type(obj))
    if path is None:
        return None
    *relations, last = path.split("__")
    target = obj
    for name in relations:
        target = getattr(target, name, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id")


def users_visible_to(user) -> models.QuerySet:
    """Accounts of members and staff of the committees the user sees; all for superusers."""
    users = get_user_model().objects.all()
    if user.is_active and user.is_superuser:
        return users
    committees = Committee.objects.visible_to(user)
    # Both are reverse one-to-ones, so the joins cannot repeat a user.
    return users.filter(
        models.Q(member__committee__in=committees) | models.Q(staff_role__committee__in=committees)
    )


def visible_choices(model, user) -> models.QuerySet | None:
    """What the user may pick of ``model`` in a form, or None if the model is not tenant-owned."""
    if model is get_user_model():
        return users_visible_to(user)
    manager = model._default_manager
    if not hasattr(manager, "visible_to"):
        return None
    queryset = manager.visible_to(user)
    related = CHOICE_SELECT_RELATED.get(model._meta.label_lower)
    return queryset.select_related(*related) if related else queryset


def ensure_in_visible_committee(request, obj) -> None:
    """Refuse (PermissionDenied) a tenant-owned object of a committee the user cannot see."""
    ids = visible_committee_ids(request)
    if ids is None:
        return
    tenant_owned = isinstance(obj, Committee) or committee_path(type(obj)) is not None
    if tenant_owned and committee_id_of(obj) not in ids:
        raise PermissionDenied


def ensure_visible(request, obj) -> None:
    """Refuse (PermissionDenied) an object that is, or points into, a committee not visible.

    The form's choices are already filtered; this is the second lock, for whatever reaches a
    save without them (a forged inline, a form field a subclass forgot to scope).
    """
    ids = visible_committee_ids(request)
    if ids is None:
        return
    ensure_in_visible_committee(request, obj)
    if isinstance(obj, Committee):
        return  # its parent is above the user's reach by design
    for field in obj._meta.concrete_fields:
        if not field.many_to_one and not field.one_to_one:
            continue
        related_model = field.remote_field.model
        if related_model is not Committee and committee_path(related_model) is None:
            continue
        if getattr(obj, field.attname) is None:
            continue
        if committee_id_of(getattr(obj, field.name)) not in ids:
            raise PermissionDenied


class CleanPhotoForm(forms.ModelForm):
    """A form whose uploaded photos go through the photo pipeline, as the members' do: checked,
    turned upright, resized, and stripped of every metadata (a phone's photo carries where it
    was taken). ``photo_fields`` maps each photo field to its thumbnail field, or None."""

    photo_fields: dict[str, str | None] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.photo_fields:
            if name in self.fields:
                # Django's own "image/*" hides iPhone photos (.heic) from some file pickers.
                self.fields[name].widget.attrs["accept"] = ACCEPT

    def clean(self):
        cleaned = super().clean()
        for name, thumbnail in self.photo_fields.items():
            upload = cleaned.get(name)
            if not isinstance(upload, UploadedFile):
                continue
            try:
                processed = process_photo(upload)
            except ValidationError as error:
                self.add_error(name, error)
                continue
            cleaned[name] = processed.image
            if thumbnail:
                setattr(self.instance, thumbnail, processed.thumbnail)
        return cleaned


class VisibleChoicesFilter(admin.RelatedFieldListFilter):
    """A sidebar filter on a related field whose choices are the related rows the user may see
    (a small table: the workstations, the types), never a scan of the big list for the values
    it holds. A few choices are listed as links; more (a county's 320 workstations, a province's
    300 counties) are picked by typing, through the admin's autocomplete (the related model's
    admin answers, scoped to the user as everywhere), so that the page neither reads nor writes
    hundreds of rows it does not show.
    """

    listed_at_most = 30
    autocomplete = False

    def field_choices(self, field, request, model_admin):
        related = field.remote_field.model
        choices = visible_choices(related, request.user)
        if choices is None:
            return super().field_choices(field, request, model_admin)
        # Too many to list: known from a count that stops at the limit, before any row is read.
        if choices.order_by()[: self.listed_at_most + 1].count() > self.listed_at_most:
            if self._can_autocomplete(field, request, model_admin):
                self.autocomplete = True
                self.template = "admin/autocomplete_filter.html"
                self._picker = self._picker_form(field, request, model_admin, choices)
            return []
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = list(choices.order_by(*ordering)) if ordering else list(choices)
        return [(row.pk, str(row)) for row in rows]

    def _can_autocomplete(self, field, request, model_admin) -> bool:
        related_admin = model_admin.admin_site._registry.get(field.remote_field.model)
        return bool(
            related_admin is not None
            and related_admin.get_search_fields(request)
            and related_admin.has_view_permission(request)
        )

    def _picker_form(self, field, request, model_admin, choices) -> forms.Form:
        widget = AutocompleteSelect(field, model_admin.admin_site)
        picker = forms.ModelChoiceField(
            queryset=choices, required=False, widget=widget, label=self.title
        )
        form_class = type("AutocompleteFilterForm", (forms.Form,), {self.lookup_kwarg: picker})
        value = request.GET.get(self.lookup_kwarg)
        form = form_class(
            data={self.lookup_kwarg: value} if value else None, auto_id="id_filter_%s"
        )
        # The other parameters of the list (its search, other filters, order) are kept.
        form.kept = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in {self.lookup_kwarg, self.lookup_kwarg_isnull, "p", "e"}
            for value in values
        ]
        return form

    def has_output(self) -> bool:
        return self.autocomplete or super().has_output()

    def choices(self, changelist):
        if self.autocomplete:
            self.clear_url = changelist.get_query_string(
                remove=[self.lookup_kwarg, self.lookup_kwarg_isnull]
            )
            return iter(())
        return super().choices(changelist)

    @property
    def picker(self) -> forms.Form | None:
        return getattr(self, "_picker", None)

    @property
    def media(self) -> forms.Media | None:
        """The autocomplete's scripts, which ``TenantAdmin.changelist_view`` adds to the page."""
        if not self.autocomplete:
            return None
        return self._picker.media + forms.Media(
            js=["admin/js/jquery.init.js", "js/admin-filter.js"]
        )


class TenantScopingMixin:
    """What a model admin and an inline share: the scoped queryset and the scoped choices."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            choices = visible_choices(db_field.remote_field.model, request.user)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            choices = visible_choices(db_field.remote_field.model, request.user)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TenantInline(TenantScopingMixin):
    """Mix into an inline (before TabularInline/StackedInline) to scope its rows and choices.

    A tabular inline names its fields once, in the table's head, so each input of its rows
    carries its field's name for screen readers (``aria-label``), the delete box included.
    """

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not isinstance(self, admin.TabularInline):
            return formset

        class NamedFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                for field in form.fields.values():
                    # A related field's wrapper (the + and ✎ links) holds the widget drawn.
                    widget = field.widget
                    while field.label and widget is not None:
                        widget.attrs.setdefault("aria-label", str(field.label))
                        widget = getattr(widget, "widget", None)

        NamedFormSet.__name__ = formset.__name__
        return NamedFormSet


# At most this many related rows (workstations, members) whose name matches a search: a word
# found in more names than this is searched in the records' own fields.
RELATED_MATCHES = 2000
# A county's search holds at most this many matches by their ids (more: searched as it is).
MATCHES_HELD = 2000


# A list counts its rows up to this many: past it the list says "10000+" and pages on to its
# 200th page (the filters, the search and the dates narrow it further), and the count reads at
# most this many rows instead of a province's million.
COUNTED_AT_MOST = 10_000
# A searched list is counted up to this many: each match counted is a match looked up (a
# province's 养老 are 50,000 activities), and a clerk with more narrows the search.
SEARCH_COUNTED_AT_MOST = 1_000


@dataclass(frozen=True)
class HeldMatches:
    """What a county's search already knows of its matches (``_by_workstation``): how many,
    and the first and last of their dates (those of ``date_hierarchy``). Kept on the query,
    which its copies share (an ordering, a slice), and trusted only while no condition was
    added to it."""

    count: int
    ids: tuple = ()  # the matches' ids
    rows: object = None  # the list's rows, in its order, with its columns' joins
    dates_of: str | None = None  # the field of the dates, if they were read
    first: object = None
    last: object = None
    conditions: int = 0

    def keep(self, queryset) -> None:
        queryset.query.held_matches = replace(self, conditions=len(queryset.query.where.children))

    @staticmethod
    def of(queryset) -> HeldMatches | None:
        held = getattr(queryset.query, "held_matches", None)
        if held is None or held.conditions != len(queryset.query.where.children):
            return None
        return held


class CappedPaginator(Paginator):
    """Django's paginator, counting no further than ``counted_at_most`` rows (``capped`` then
    says that there are more; templates/admin/pagination.html shows it)."""

    capped = False

    def __init__(self, *args, counted_at_most: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted_at_most = COUNTED_AT_MOST if counted_at_most is None else counted_at_most

    @cached_property
    def count(self) -> int:
        at_most = self.counted_at_most
        held = HeldMatches.of(self.object_list)
        if held is not None:
            counted = held.count
        else:
            counted = self.object_list.order_by()[: at_most + 1].count()
        self.capped = counted > at_most
        return min(counted, at_most)

    def page(self, number):
        """A page of held matches (``HeldMatches``): its ids found first among the matches'
        ids alone, in the list's order, then its rows with what the columns show. Ordering
        a county's 800 matches for 养老 after joining each to its workstation, type and author
        took three times as long."""
        rows = self.object_list
        held = HeldMatches.of(rows)
        if held is None or held.rows is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # (The list's own rows, in its order, without their columns' joins.)
        narrow = held.rows.select_related(None).filter(pk__any_of=list(held.ids))
        ids = list(narrow.values_list("pk", flat=True)[bottom:top])
        return self._get_page(held.rows.filter(pk__any_of=ids), number, self)


class TenantAdmin(TenantScopingMixin, SimpleHistoryAdmin):
    """Base of every model admin: scoped to the tenant, with the history of every change.

    Every write through the back office bumps the version of the committees it touched (so no
    cached public page outlives it) and lets the app count again what it counts in the figures'
    summary: an app's admin names its ``tally_scope`` (the (committee id, day) pairs an object
    is counted in, read before and after the write) and ``tally_refresh``.
    """

    object_history_template = "admin/tenant_object_history.html"
    list_per_page = 50
    # Columns that only tell something to a user who sees several committees.
    committee_columns = ("committee",)
    # Big lists do not count every row a second time for the "show all" link, and count the
    # first time only up to COUNTED_AT_MOST.
    show_full_result_count = False
    paginator = CappedPaginator
    # The filters' counts ("show counts") would count every row of a province's list per choice.
    show_facets = admin.ShowFacets.NEVER
    tally_scope = None
    tally_refresh = None

    # Writes ---------------------------------------------------------------------------------

    def _stored(self, objects) -> list:
        """The objects as stored now (before a change), by their model."""
        found = []
        for obj in objects:
            if obj is not None and obj.pk is not None:
                stored = type(obj)._default_manager.filter(pk=obj.pk).first()
                if stored is not None:
                    found.append(stored)
        return found

    def _scope(self, objects) -> set:
        if self.tally_scope is None:
            return set()
        return set(type(self).tally_scope(objects))

    def _written(self, before: set, objects) -> None:
        """After a write: bump the committees' versions and count their months again."""
        objects = [o for o in objects if o is not None]
        committees = {committee_id_of(o) for o in objects} - {None}
        scope = before | self._scope(objects)
        if scope and self.tally_refresh is not None:
            type(self).tally_refresh(scope)
        committees |= {where[0] for where in scope}
        if committees:
            versions.bump(committees)

    # Objects ------------------------------------------------------------------------------

    def get_queryset(self, request):
        """The tenant's records; those of a county's (or a small city's) workstations are named
        by their workstations' ids (``tenancy.visible_workstation_ids``) rather than joined to
        their committee: the list then walks its ordering's index checking each row's own
        column, instead of looking up each row's workstation (half the time of a county's
        first page among a province's million activities)."""
        if committee_path(self.model) == "workstation__committee":
            workstations = tenancy.visible_workstation_ids(request.user)
            if workstations is not None:
                queryset = super(TenantScopingMixin, self).get_queryset(request)
                return queryset.filter(workstation_id__any_of=workstations)
        return super().get_queryset(request)

    def get_object(self, request, object_id, from_field=None):
        # Django redirects to the index with a message; another committee's object (or a
        # missing one, indistinguishably) is a plain 404 here.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def save_model(self, request, obj, form, change):
        ensure_visible(request, obj)
        before = self._scope(self._stored([obj])) if change else set()
        super().save_model(request, obj, form, change)
        self._written(before, [obj])

    def delete_model(self, request, obj):
        before = self._scope([obj])
        super().delete_model(request, obj)
        self._written(before, [])
        versions.bump({committee_id_of(obj)} - {None})

    def delete_queryset(self, request, queryset):
        objects = list(queryset)
        before = self._scope(objects)
        super().delete_queryset(request, queryset)
        self._written(before, [])
        versions.bump({committee_id_of(o) for o in objects} - {None})

    def save_related(self, request, form, formsets, change):
        for value in form.cleaned_data.values():
            if isinstance(value, models.QuerySet):  # the picks of a many-to-many field
                for picked in value:
                    ensure_in_visible_committee(request, picked)
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in [*instances, *formset.deleted_objects]:
            ensure_visible(request, obj)
        before = self._scope([*self._stored(instances), *formset.deleted_objects])
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            obj.save()
        formset.save_m2m()
        # The parent is counted again too: an outcome's trail changes what it counts.
        self._written(before, [*instances, form.instance])

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        committee = committee_of_user(request.user)
        try:
            field = self.model._meta.get_field("committee")
        except FieldDoesNotExist:
            return initial
        if committee is not None and field.is_relation and field.related_model is Committee:
            initial.setdefault("committee", committee.pk)
        return initial

    # Changelist ---------------------------------------------------------------------------

    def action_checkbox(self, obj):
        """Django's checkbox of a row, written here rather than through the form renderer's
        templates (a list of 50 rows rendered 50 widget templates: a tenth of the page)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if not issubclass(self.paginator, CappedPaginator):
            return super().get_paginator(
                request, queryset, per_page, orphans, allow_empty_first_page
            )
        searched = bool(request.GET.get(SEARCH_VAR, "").strip())
        return self.paginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            counted_at_most=SEARCH_COUNTED_AT_MOST if searched else COUNTED_AT_MOST,
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        changelist = context.get("cl")
        if changelist is not None:  # the scripts of the filters picked by typing
            for spec in changelist.filter_specs:
                media = getattr(spec, "media", None)
                if media is not None:
                    context["media"] = context["media"] + media
        return response

    def get_search_results(self, request, queryset, search_term):
        """A searchable model's own fields are searched through the search indexes
        (``workstations.search``), the others as Django does."""
        model = self.model
        term = search_term.strip()
        if not (issubclass(model, Searchable) and term):
            return super().get_search_results(request, queryset, search_term)
        others = [f for f in self.get_search_fields(request) if f not in model.search_fields]
        within = committee_of_user(request.user)
        condition = matching(model, term, within=within)
        common = False
        if (within is None or within.parent_id is None) and len(normalise(term)) > 2:
            # A phrase searched in a whole province: with more matches than the list counts,
            # it is matched by its text alone (``matching``'s ``common``: 0.9 s to 0.1 s for
            # 老年人 among a province's million activities).
            own = queryset.filter(condition).order_by()[: SEARCH_COUNTED_AT_MOST + 1]
            common = own.count() > SEARCH_COUNTED_AT_MOST
            if common:
                condition = matching(model, term, within=within, common=True)
        may_repeat = False
        for field in others:
            field = field.lstrip("^=@")
            found = _related_match(model, field, term, request.user)
            if found is None:
                condition |= Q(**{f"{field}__{contains_lookup(term)}": term})
                may_repeat = may_repeat or "__" in field
            else:
                condition |= found
        # A joined field searched as Django does (a reverse relation) can repeat a row: ask
        # for distinct rows then; the related matches above never repeat one.
        found = self._by_workstation(request, queryset.filter(condition))
        if common and HeldMatches.of(found) is None:  # counted: more than the list counts
            HeldMatches(count=SEARCH_COUNTED_AT_MOST + 1).keep(found)
        return found, may_repeat

    def _by_workstation(self, request, queryset):
        """A search among the records of a county's workstations names those workstations too
        (``tenancy.few_workstation_ids``)."""
        if committee_path(self.model) != "workstation__committee":
            return queryset
        if tenancy.visible_workstation_ids(request.user) is None:
            return queryset  # (else ``get_queryset`` named them)
        # The list asks three times (its page, its count, its dates): the matches are found
        # once, with their dates, and the page reads them by their ids alone (with the
        # search's conditions kept beside the ids, PostgreSQL would search again: 5 ms of 7);
        # their count and first and last dates are known already (``HeldMatches``). They
        # were found among the list's own rows, its filters applied.
        dated = self.date_hierarchy if "__" not in (self.date_hierarchy or "__") else None
        columns = ("pk", dated) if dated else ("pk",)
        matched = list(queryset.order_by().values_list(*columns)[: MATCHES_HELD + 1])
        if len(matched) > MATCHES_HELD:
            return queryset
        found = list(dict.fromkeys(row[0] for row in matched))  # a joined search may repeat one
        rows = self.get_queryset(request).order_by(*queryset.query.order_by)
        # The changelist's joins for its columns, chosen before it searched.
        rows.query.select_related = queryset.query.select_related
        held = rows.filter(pk__any_of=found)
        dates = [row[1] for row in matched if row[1] is not None] if dated else []
        HeldMatches(
            count=len(found),
            ids=tuple(found),
            rows=rows,
            dates_of=dated,
            first=min(dates) if dates else None,
            last=max(dates) if dates else None,
        ).keep(held)
        return held

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        ids = visible_committee_ids(request)
        if ids is not None and len(ids) <= 1:
            list_display = [c for c in list_display if c not in self.committee_columns]
        return list_display

    def get_list_filter(self, request):
        return [self._scoped_filter(item) for item in super().get_list_filter(request)]

    def _scoped_filter(self, item):
        """A related field's filter lists the related rows the user may see."""
        if not isinstance(item, str):
            return item
        try:
            fields = get_fields_from_path(self.model, item)
        except (FieldDoesNotExist, NotRelationField):
            return item
        if fields[-1].is_relation:
            return (item, VisibleChoicesFilter)
        return item

    # History ------------------------------------------------------------------------------

    def _visible_history(self, request, object_id):
        """The object's historical records, limited to those in a visible committee."""
        model = self.model
        history = getattr(model, model._meta.simple_history_manager_attribute)
        records = history.filter(**{model._meta.pk.attname: object_id})
        ids = visible_committee_ids(request)
        if ids is None:
            return records
        if model is Committee:
            return records.filter(**{f"{model._meta.pk.attname}__in": ids})
        path = committee_path(model)
        if path is None:
            return records.none()
        return records.filter(**{f"{path}__in": ids})

    def _history_object(self, request, object_id):
        """The object whose history is asked for, or None if it was deleted; 404 if not visible.

        A deleted object's history stays readable to those who could see it when it went.
        """
        try:
            return self.get_object(request, object_id)
        except Http404:
            try:
                object_id = self.model._meta.pk.to_python(object_id)
            except ValidationError:
                raise Http404 from None
            exists = self.model._default_manager.filter(pk=object_id).exists()
            if exists or not self._visible_history(request, object_id).exists():
                raise
            return None

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # The list names who made each change (``person_name``): their member comes along.
        qs = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return qs.select_related("history_user__member")

    def history_view(self, request, object_id, extra_context=None):
        obj = self._history_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["inline_histories"] = self.inline_histories(request, obj)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._history_object(request, unquote(object_id))
        # simple_history saves a posted revert for anyone who may merely view the history.
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def inline_histories(self, request, obj) -> list[dict]:
        """The history of the rows edited inline on this object's page (memberships, steps …)."""
        sections = []
        for inline in self.get_inline_instances(request, obj):
            model = inline.model
            manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
            if manager_name is None:
                continue
            fk = next(
                f
                for f in model._meta.concrete_fields
                if f.many_to_one
                and f.related_model is self.model
                and (inline.fk_name is None or f.name == inline.fk_name)
            )
            records = list(
                getattr(model, manager_name)
                .filter(**{fk.attname: obj.pk})
                .select_related("history_user__member")
                ._select_related_history_tracked_objs()
                .order_by("-history_date", "-history_id")[:INLINE_HISTORY_LIMIT]
            )
            pk_name = model._meta.pk.attname
            older_of: dict = {}
            for record in reversed(records):  # oldest first, so each meets its predecessor
                older = older_of.get(getattr(record, pk_name))
                if older is not None:
                    delta = record.diff_against(older, foreign_keys_are_objs=True)
                    helper = HistoricalRecordContextHelper(model, record)
                    record.history_delta_changes = helper.context_for_delta_changes(delta)
                older_of[getattr(record, pk_name)] = record
            sections.append({"opts": model._meta, "records": records})
        return sections


def contains_lookup(term: str) -> str:
    """``contains`` for a term with no letter that has a case (Chinese: 养老), which finds the
    same rows as ``icontains`` without upper-casing every row it reads; else ``icontains``."""
    return "contains" if term.upper() == term.lower() else "icontains"


def _related_match(model, field: str, term: str, user) -> Q | None:
    """``field`` (``author__name``) containing ``term`` as a filter that repeats no row and that
    an index serves: the few related rows that match are found first (``Member`` by name, among
    the user's committees'), then the records pointing at them, by the foreign key's index (or,
    for a many-to-many, by a subquery of ids). None for a path that is not one relation and one
    of its fields."""
    name, _sep, rest = field.partition("__")
    if not rest or "__" in rest:
        return None
    try:
        relation = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not (relation.is_relation and (relation.many_to_one or relation.many_to_many)):
        return None
    related = relation.related_model
    candidates = related._default_manager.all()
    if hasattr(candidates, "visible_to"):
        # A county's members, not a province's: read by the committee's index, and the first
        # RELATED_MATCHES of the county are not crowded out by other counties'.
        candidates = candidates.visible_to(user)
    if issubclass(related, Searchable) and tuple(related.search_fields) == (rest,):
        # Through the search's index (a member by name: 养老 among a province's 60,000).
        found = matching(related, term, within=committee_of_user(user))
    else:
        found = Q(**{f"{rest}__{contains_lookup(term)}": term})
    ids = list(candidates.filter(found).order_by().values_list("pk", flat=True)[:RELATED_MATCHES])
    if relation.many_to_one:
        return Q(**{f"{relation.attname}__in": ids})
    return Q(pk__in=model._default_manager.filter(**{f"{name}__in": ids}).values("pk"))
