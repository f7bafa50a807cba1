"""The site's addresses: the back office, the member workspace and sign-in pages, the staff
dashboards, the sitemap, and the public portal last (its ``<committee>/`` takes any word the
site does not use itself)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import files
from .portal.cache import cached_site_page
from .portal.sitemaps import SITEMAPS
from .portal.sitemaps import index as sitemap_index
from .portal.sitemaps import section as sitemap_section
from .views import healthz, healthz_ready, switch_language, switch_text_size

admin.site.site_header = _("Shangliang back office")
admin.site.site_title = _("Shangliang")
admin.site.index_title = _("Register and records")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", healthz_ready, name="healthz_ready"),
    path("admin/", admin.site.urls),
    # Private files: the right checked, then on to a short-lived signed address (config.files).
    path("files/signed/<str:token>", files.signed_file, name="private_file_signed"),
    path("files/<path:name>", files.private_file, name="private_file"),
    path("i18n/switch/", switch_language, name="switch_language"),
    path("text-size/", switch_text_size, name="switch_text_size"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        cached_site_page(sitemap_index),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached_site_page(sitemap_section),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # The member workspace and the sign-in pages, before the portal's "<committee>/".
    path("accounts/", include("config.me.account_urls")),
    path("me/", include("config.me.urls")),
    path("office/", include("config.office.urls")),
    path("", include("config.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
