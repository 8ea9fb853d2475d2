"""Pages of the dashboards area under /<vendor_slug>/scorecards/ (joined in scorecards/urls/__init__.py)."""

from django.urls import path

from scorecards.views import dashboards

urlpatterns: list = [
    path("scorecards/", dashboards.scorecard_table, name="scorecard-table"),
    path("scorecards/export/", dashboards.scorecard_export, name="scorecard-export"),
    path("scorecards/mine/", dashboards.scorecard_mine, name="scorecard-mine"),
    path("scorecards/portfolio/", dashboards.scorecard_portfolio, name="scorecard-portfolio"),
    path("scorecards/attention/", dashboards.scorecard_attention, name="scorecard-attention"),
    path(
        "scorecards/distributors/<int:pk>/",
        dashboards.scorecard_distributor,
        name="scorecard-distributor",
    ),
]
