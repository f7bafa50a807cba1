"""Public addresses of brands and workstations. Included by config/urls.py under the "public"
namespace, last: ``<committee>/`` matches any single path segment."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:committee>/", views.brand_home, name="brand_home"),
    path("<slug:committee>/search/", views.search, name="search"),
    path("<slug:committee>/workstations/", views.workstation_list, name="workstation_list"),
    path(
        "<slug:committee>/workstations/<slug:workstation>/",
        views.workstation_detail,
        name="workstation",
    ),
    path(
        "<slug:committee>/workstations/<slug:workstation>/poster/",
        views.workstation_poster,
        name="workstation_poster",
    ),
]
