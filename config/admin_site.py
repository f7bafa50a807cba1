"""The back office's admin site: Django's, with the list of apps and models built once per
set of permissions instead of on every page.

Django builds that list (the sidebar of every admin page, the index) by asking each of the
forty registered admins for its permissions and reversing four addresses each: a sixth of an
activity list's time. What it shows depends only on the account's permissions (every admin's
``has_*_permission`` without an object reads them, and whether the account is active or a
superuser), the language and the address prefix, so it is kept per process under those.
"""

from __future__ import annotations

import threading

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix
from django.utils.translation import get_language

# Distinct permission sets are a handful per site (a county's clerk, a province's, a
# superuser); past this many kept lists the memo starts again.
KEPT_AT_MOST = 256


class SiteAdmin(admin.AdminSite):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, list] = {}
        self._lock = threading.Lock()

    def register(self, *args, **kwargs):
        self._app_lists = {}
        return super().register(*args, **kwargs)

    def unregister(self, *args, **kwargs):
        self._app_lists = {}
        return super().unregister(*args, **kwargs)

    def get_app_list(self, request, app_label=None):
        user = request.user
        key = (
            app_label,
            user.is_active,
            user.is_superuser,
            frozenset(user.get_all_permissions()),
            get_language(),
            get_script_prefix(),
        )
        found = self._app_lists.get(key)
        if found is None:
            found = super().get_app_list(request, app_label)
            with self._lock:
                if len(self._app_lists) >= KEPT_AT_MOST:
                    self._app_lists = {}
                self._app_lists[key] = found
        return found


class SiteAdminConfig(AdminConfig):
    default_site = "config.admin_site.SiteAdmin"
