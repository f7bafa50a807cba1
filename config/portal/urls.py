"""Every public address, in the "public" namespace.

The order matters: fixed first segments (``track/``) come before ``<committee>/…``. Addresses of
the site itself (``admin/``, ``me/``, ``office/`` …) are matched in ``config/urls.py`` before
these, so a committee cannot take such a word as its address (``RESERVED_SLUGS``).
"""

from django.urls import path

from . import (
    activities,
    brands,
    consultations,
    members,
    messages,
    outcomes,
    search,
    styles,
    workstations,
)

app_name = "public"

W = "<slug:committee>/workstations/<slug:workstation>"

urlpatterns = [
    path("", brands.home, name="home"),
    path("brands.css", styles.brand_styles, name="brand_styles"),
    path("track/", messages.track, name="track"),
    path("track/rate/", messages.rate, name="message_rate"),
    path("<slug:committee>/", brands.brand_home, name="brand_home"),
    path("<slug:committee>/search/", search.search, name="search"),
    path("<slug:committee>/feed/", activities.ActivityFeed(), name="feed"),
    path("<slug:committee>/workstations/", workstations.workstation_list, name="workstation_list"),
    path(f"{W}/", workstations.workstation_detail, name="workstation"),
    path(f"{W}/poster/", workstations.workstation_poster, name="workstation_poster"),
    path(f"{W}/message/", messages.message_form, name="message_form"),
    path(f"{W}/message/sent/", messages.message_sent, name="message_sent"),
    path("<slug:committee>/activities/", activities.activity_list, name="activity_list"),
    path("<slug:committee>/activities/<int:pk>/", activities.activity_detail, name="activity"),
    path(
        "<slug:committee>/consultations/<int:pk>/",
        consultations.consultation_detail,
        name="consultation",
    ),
    path("<slug:committee>/outcomes/", outcomes.outcome_list, name="outcome_list"),
    path("<slug:committee>/outcomes/<int:pk>/", outcomes.outcome_detail, name="outcome"),
    path("<slug:committee>/members/<int:member>/", members.member_detail, name="member"),
    path("<slug:committee>/members/<int:member>/card/", members.member_card, name="member_card"),
]
