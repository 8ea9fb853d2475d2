"""Pages of the review area under /<vendor_slug>/ (joined in reporting/urls/__init__.py)."""

from django.urls import path

from reporting.views import review

urlpatterns: list = [
    path("reports/", review.report_list, name="report-list"),
    path("reports/export/", review.report_export, name="report-export"),
    path("reports/<int:pk>/", review.report_detail, name="report-detail"),
    path("reports/<int:pk>/acknowledge/", review.report_acknowledge, name="report-acknowledge"),
    path("reports/<int:pk>/return/", review.report_return, name="report-return"),
    path("reports/<int:pk>/comment/", review.report_comment, name="report-comment"),
]
