"""Sell-out pages under /<vendor_slug>/ (joined in reporting/urls/__init__.py)."""

from django.urls import path

from reporting.views import sellout

urlpatterns: list = [
    path("sales/", sellout.sales_line_list, name="sales-line-list"),
    path("sales/outlets/", sellout.sales_outlet_list, name="sales-outlet-list"),
    path("sales/uploads/", sellout.sales_upload_list, name="sales-upload-list"),
    path("sales/uploads/<int:pk>/", sellout.sales_upload_detail, name="sales-upload-detail"),
    path(
        "sales/uploads/<int:pk>/confirm/",
        sellout.sales_upload_confirm,
        name="sales-upload-confirm",
    ),
    path("sales/export/", sellout.sales_export, name="sales-export"),
]
