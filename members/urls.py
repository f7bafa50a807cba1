"""Public addresses of members ("public" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:committee>/members/<int:member>/", views.member_detail, name="member"),
    path("<slug:committee>/members/<int:member>/card/", views.member_card, name="member_card"),
]
