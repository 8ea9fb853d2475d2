"""Pages of conditional exclusivity under /<vendor_slug>/scorecards/exclusivity/ (joined in
scorecards/urls/__init__.py)."""

from django.urls import path

from scorecards.views import exclusivity as views

urlpatterns: list = [
    path("scorecards/exclusivity/", views.verdict_list, name="verdict-list"),
    path("scorecards/exclusivity/mine/", views.exclusivity_mine, name="exclusivity-mine"),
    path("scorecards/exclusivity/rules/", views.exclusivity_rules, name="exclusivity-rules"),
    path("scorecards/exclusivity/verdicts/<int:pk>/", views.verdict_detail, name="verdict-detail"),
    path(
        "scorecards/exclusivity/verdicts/<int:pk>/override/",
        views.verdict_override,
        name="verdict-override",
    ),
    path("scorecards/exclusivity/verdicts/<int:pk>/hold/", views.verdict_hold, name="verdict-hold"),
    path(
        "scorecards/exclusivity/distributors/<int:pk>/",
        views.distributor_exclusivity,
        name="distributor-exclusivity",
    ),
    path(
        "scorecards/exclusivity/distributors/<int:pk>/qbr/",
        views.qbr_record,
        name="qbr-record",
    ),
    path(
        "scorecards/exclusivity/distributors/<int:pk>/timeline/",
        views.distributor_timeline_page,
        name="distributor-timeline",
    ),
]
