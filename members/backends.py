"""Who signs in, and what a staff account may do.

- Members sign in with their username or their mobile number (``UsernameOrMobileBackend``);
  django-axes counts failed attempts under the account's username (``axes_username``), however
  the person typed it.
- Staff permissions come from the staff role (``StaffRoleBackend``): a role grants model
  permissions in our four apps; the import and export rights are two flags on the role.
  Superusers keep every permission through Django's own ModelBackend. Which rows a permission
  reaches is the tenant's business (``visible_to``), not this backend's.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest

MOBILE_LENGTH = 11


def normalise_identifier(raw: str | None) -> str:
    """What the person typed, tidied: full-width digits made plain; a mobile number's spaces
    and dashes dropped ("139 0000 0001" → "13900000001")."""
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    compact = text.replace(" ", "").replace("-", "")
    if is_mobile(compact):
        return compact
    return text


def is_mobile(text: str) -> bool:
    return len(text) == MOBILE_LENGTH and text.isdigit() and text.startswith("1")


def users_for_mobile(mobile: str):
    """The distinct accounts a mobile number could mean: the account named by it, and the
    accounts of the members whose register entry carries it."""
    user_model = get_user_model()
    return user_model._default_manager.filter(
        Q(**{user_model.USERNAME_FIELD: mobile}) | Q(member__mobile=mobile)
    ).distinct()


class AmbiguousMobile(PermissionDenied):
    """A mobile number that belongs to more than one account; signing in with it is refused."""


class UsernameOrMobileBackend(ModelBackend):
    """Authenticates by username as usual, or by an 11-digit mobile number.

    A mobile number matches the account whose username it is and the account of the member on
    the register with that number. When it matches more than one account the attempt is refused
    outright (``PermissionDenied`` stops Django trying the later backends), so that nobody signs
    into somebody else's account by a number two people share.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        identifier = normalise_identifier(username)
        if not is_mobile(identifier) or password is None:
            return None  # a plain username: ModelBackend, next in line, handles it
        candidates = list(users_for_mobile(identifier)[:2])
        if len(candidates) > 1:
            raise AmbiguousMobile("This mobile number belongs to more than one account.")
        if not candidates:
            # Run the hasher anyway so that a missing number takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request: HttpRequest | None, credentials: dict | None = None) -> str:
    """The name django-axes counts failed sign-ins under: the account's username, whether the
    person typed the username or the mobile number, so both count towards one lock-out."""
    field = get_user_model().USERNAME_FIELD
    raw = None
    if credentials:
        raw = credentials.get(field) or credentials.get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username") or request.POST.get(field)
    identifier = normalise_identifier(raw)
    if is_mobile(identifier):
        matches = list(users_for_mobile(identifier)[:2])
        if len(matches) == 1:
            return matches[0].get_username()
    return identifier


# --- Staff roles ----------------------------------------------------------------------------

APPS = ("workstations", "members", "consultations", "outcomes")
# Models whose rows only a superuser edits (the tree of committees, the staff roles).
SUPERUSER_MODELS = {"workstations.committee", "members.staffrole"}
# The models with a spreadsheet import and export, and their apps.
IMPORTABLE = {
    "workstation": "workstations",
    "member": "members",
    "activity": "consultations",
    "outcome": "outcomes",
}


@cache
def _model_perms(actions: tuple[str, ...]) -> frozenset[str]:
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    perms = set()
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            # History is written by the history library and read from the object's page; its
            # tables are no one's to edit.
            if issubclass(model, HistoricalChanges):
                continue
            name = model._meta.model_name
            if f"{app_label}.{name}" in SUPERUSER_MODELS:
                continue
            for action in actions:
                perms.add(f"{app_label}.{action}_{name}")
    return frozenset(perms)


def permissions_for_role(role) -> set[str]:
    """All permissions the given ``members.StaffRole`` grants."""
    from members.models import StaffRole

    if role.role == StaffRole.Role.READER:
        perms = set(_model_perms(("view",)))
    elif role.role == StaffRole.Role.CLERK:
        perms = set(_model_perms(("view", "add", "change")))
    else:
        perms = set(_model_perms(("view", "add", "change", "delete")))
        # An office administrator may edit their own committee's brand and intro (the admin
        # keeps it to their own committee and to those fields), and see who works in the office.
        perms |= {"workstations.change_committee", "members.view_staffrole"}
    perms.add("workstations.view_committee")
    for model, app in IMPORTABLE.items():
        if role.can_import and role.role != StaffRole.Role.READER:
            perms.add(f"{app}.import_{model}")
        if role.can_export:
            perms.add(f"{app}.export_{model}")
    return perms


class StaffRoleBackend(BaseBackend):
    """Grants a staff account the permissions of its role. Authentication is left to others."""

    def get_user(self, user_id):
        # A session may name this backend (force_login picks the first one listed): load the
        # user as Django's own backend does, rather than BaseBackend's "nobody".
        return ModelBackend().get_user(user_id)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or not user_obj.is_staff:
            return set()
        if not hasattr(user_obj, "_staff_role_perm_cache"):
            role = getattr(user_obj, "staff_role", None)
            user_obj._staff_role_perm_cache = permissions_for_role(role) if role else set()
        return user_obj._staff_role_perm_cache

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
