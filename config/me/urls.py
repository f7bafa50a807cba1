"""/me/: the member workspace (namespace "me"): the desk, a member's activity logs, the
convener's queue, consultations step by step, and outcomes."""

from django.urls import path

from . import activities, app, consultations, desk, outcomes, queue

app_name = "me"

urlpatterns = [
    path("", desk.desk, name="desk"),
    # The workspace on the home screen
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service_worker"),
    # Activities
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/new/", activities.activity_start, name="activity_start"),
    path("w/<int:workstation>/activities/new/", activities.activity_new, name="activity_new"),
    path("photos/", activities.activity_photo_upload, name="activity_photo_upload"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/submit/", activities.activity_submit_view, name="activity_submit"),
    # The convener's queue
    path("queue/", queue.queue, name="queue"),
    path("queue/<int:pk>/", queue.review, name="review"),
    path("queue/<int:pk>/approve/", queue.approve, name="approve"),
    path("queue/<int:pk>/return/", queue.return_to_member, name="return"),
    # Consultations
    path("consultations/", consultations.consultation_list, name="consultation_list"),
    path(
        "w/<int:workstation>/consultations/new/",
        consultations.consultation_open_view,
        name="consultation_open",
    ),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation_detail"),
    path(
        "consultations/<int:pk>/steps/<int:step>/",
        consultations.consultation_step,
        name="consultation_step",
    ),
    path(
        "consultations/<int:pk>/media/",
        consultations.consultation_media,
        name="consultation_media",
    ),
    path(
        "consultations/<int:pk>/report/",
        outcomes.consultation_report,
        name="consultation_report",
    ),
    # Outcomes
    path("outcomes/", outcomes.outcome_list, name="outcome_list"),
    path("outcomes/new/", outcomes.outcome_new, name="outcome_new"),
    path("outcomes/<int:pk>/", outcomes.outcome_detail, name="outcome_detail"),
    path("outcomes/<int:pk>/edit/", outcomes.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/submit/", outcomes.outcome_submit_view, name="outcome_submit"),
]
