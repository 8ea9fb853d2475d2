"""Pages of the partner's report form, under /<vendor_slug>/ (joined in reporting/urls)."""

from django.urls import path

from reporting.views import submissions

urlpatterns: list = [
    path("reports/<int:pk>/edit/", submissions.report_edit, name="report-edit"),
    path("reports/<int:pk>/autosave/", submissions.report_autosave, name="report-autosave"),
]
