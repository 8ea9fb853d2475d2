"""Pages of the reporting schedule under /<vendor_slug>/ (joined in reporting.urls)."""

from django.urls import path

from reporting.views import schedule

urlpatterns: list = [
    path("reporting/calendar/", schedule.reporting_calendar, name="reporting-calendar"),
    path(
        "reporting/calendar/closures/new/",
        schedule.reporting_closure_create,
        name="reporting-closure-create",
    ),
    path(
        "reporting/calendar/closures/<int:pk>/delete/",
        schedule.reporting_closure_delete,
        name="reporting-closure-delete",
    ),
    path("reports/link/<str:token>/", schedule.report_link, name="report-link"),
    path("reports/<int:pk>/via-link/", schedule.report_link_form, name="report-link-form"),
    path(
        "reports/<int:pk>/via-link/autosave/",
        schedule.report_link_autosave,
        name="report-link-autosave",
    ),
    path("feeds/due-dates/<str:token>.ics", schedule.due_date_feed, name="due-date-feed"),
    path(
        "distributors/<int:pk>/due-date-feed/",
        schedule.due_date_feed_page,
        name="due-date-feed-page",
    ),
    path(
        "distributors/<int:pk>/due-date-feed/rotate/",
        schedule.due_date_feed_rotate,
        name="due-date-feed-rotate",
    ),
]
