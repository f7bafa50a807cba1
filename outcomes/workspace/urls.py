"""/me/: the member workspace (namespace "me"): the desk and outcomes here, activities, the
convener's queue and consultations from ``consultations.workspace.urls``."""

from django.urls import include, path

from . import desk, outcomes

app_name = "me"

urlpatterns = [
    path("", desk.desk, name="desk"),
    path("outcomes/", outcomes.outcome_list, name="outcome_list"),
    path("outcomes/new/", outcomes.outcome_new, name="outcome_new"),
    path("outcomes/<int:pk>/", outcomes.outcome_detail, name="outcome_detail"),
    path("outcomes/<int:pk>/edit/", outcomes.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/submit/", outcomes.outcome_submit_view, name="outcome_submit"),
    path(
        "consultations/<int:pk>/report/",
        outcomes.consultation_report,
        name="consultation_report",
    ),
    path("", include("consultations.workspace.urls")),
]
