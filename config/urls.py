from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from consultations.views import ActivitySitemap, ConsultationSitemap
from members.views import MemberSitemap
from outcomes.views import OutcomeSitemap
from workstations.views import CommitteeSitemap, WorkstationSitemap

from .views import healthz

admin.site.site_header = _("Shangliang back office")
admin.site.site_title = _("Shangliang")
admin.site.index_title = _("Register and records")

sitemaps = {
    "brands": CommitteeSitemap,
    "workstations": WorkstationSitemap,
    "activities": ActivitySitemap,
    "consultations": ConsultationSitemap,
    "outcomes": OutcomeSitemap,
    "members": MemberSitemap,
}

# The public portal, one namespace ("public:…") over the apps' URL modules. The order matters:
# fixed first segments (track/) come before "<committee>/…", and workstations.urls, which holds
# the brand home "<committee>/", comes last. Addresses of the site itself (admin/, i18n/, me/ …)
# are matched before the portal, so a committee must not take such a word as its slug.
public_patterns = [
    path("", include("consultations.urls")),
    path("", include("outcomes.urls")),
    path("", include("members.urls")),
    path("", include("workstations.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    # The member workspace and the sign-in pages, before the portal's "<committee>/".
    path("accounts/", include("members.account_urls")),
    path("me/", include("outcomes.workspace.urls")),
    path("office/", include("outcomes.office.urls")),
    path("", include((public_patterns, "public"))),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
