"""/office/: the staff dashboards (namespace "office")."""

from django.urls import path

from . import assessment, board, downloads, figures, landing, ledgers, points

app_name = "office"

urlpatterns = [
    path("", landing.index, name="index"),
    path("<slug:committee>/", landing.home, name="home"),
    path("<slug:committee>/rhythm/", board.board, name="board"),
    path("<slug:committee>/rhythm.xlsx", board.board_xlsx, name="board_xlsx"),
    path("<slug:committee>/figures/", figures.figures, name="figures"),
    path("<slug:committee>/figures/statistics.xlsx", figures.statistics_xlsx, name="statistics"),
    path("<slug:committee>/points/", points.ranking, name="points"),
    path("<slug:committee>/points.xlsx", points.ranking_xlsx, name="points_xlsx"),
    path("<slug:committee>/points/<int:pk>/", points.member_ledger, name="member"),
    path("<slug:committee>/points/<int:pk>/print/", points.member_print, name="member_print"),
    path("<slug:committee>/points/<int:pk>/record.xlsx", points.member_xlsx, name="member_xlsx"),
    path("<slug:committee>/assessment/", assessment.ranking, name="assessment"),
    path("<slug:committee>/assessment.xlsx", assessment.ranking_xlsx, name="assessment_xlsx"),
    path("<slug:committee>/assessment/<int:pk>/adjust/", assessment.adjust, name="adjust"),
    path("<slug:committee>/ledgers/", ledgers.ledgers, name="ledgers"),
    path(
        "<slug:committee>/ledgers/month.xlsx",
        ledgers.committee_ledger_xlsx,
        name="committee_ledger_xlsx",
    ),
    path("<slug:committee>/downloads/", downloads.downloads, name="downloads"),
]
