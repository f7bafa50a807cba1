"""Public addresses of activities, consultations and residents' messages ("public" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="message_rate"),
    path("<slug:committee>/feed/", views.ActivityFeed(), name="feed"),
    path("<slug:committee>/activities/", views.activity_list, name="activity_list"),
    path("<slug:committee>/activities/<int:pk>/", views.activity_detail, name="activity"),
    path(
        "<slug:committee>/consultations/<int:pk>/",
        views.consultation_detail,
        name="consultation",
    ),
    path(
        "<slug:committee>/workstations/<slug:workstation>/message/",
        views.message_form,
        name="message_form",
    ),
    path(
        "<slug:committee>/workstations/<slug:workstation>/message/sent/",
        views.message_sent,
        name="message_sent",
    ),
]
