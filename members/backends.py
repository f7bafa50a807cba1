"""Staff permissions from the staff role: what a committee's office account may do.

A role grants model permissions in our four apps; the import and export rights are two flags on
the role. Superusers keep every permission through Django's own ModelBackend. Which rows a
permission reaches is the tenant's business (``visible_to``), not this backend's.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.backends import BaseBackend, ModelBackend

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
