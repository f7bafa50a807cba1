"""Public addresses of outcomes ("public" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:committee>/outcomes/", views.outcome_list, name="outcome_list"),
    path("<slug:committee>/outcomes/<int:pk>/", views.outcome_detail, name="outcome"),
]
