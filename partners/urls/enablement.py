"""Pages for enablement, under /<vendor_slug>/ (joined into tenant_urlpatterns)."""

from django.urls import path

from partners.views import enablement as views

urlpatterns: list = [
    path("trainings/", views.training_list, name="training-list"),
    path("trainings/new/", views.training_create, name="training-create"),
    path("trainings/coverage/", views.training_coverage, name="training-coverage"),
    path("trainings/<int:pk>/", views.training_detail, name="training-detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training-edit"),
    path(
        "trainings/<int:pk>/attendees/",
        views.training_attendees_add,
        name="training-attendees-add",
    ),
    path(
        "trainings/attendance/<int:pk>/edit/",
        views.attendance_edit,
        name="training-attendance-edit",
    ),
    path(
        "trainings/attendance/<int:pk>/remove/",
        views.attendance_remove,
        name="training-attendance-remove",
    ),
    path("sales-kit/", views.sales_kit_list, name="sales-kit-list"),
    path("sales-kit/new/", views.sales_kit_upload, name="sales-kit-upload"),
    path("sales-kit/<int:pk>/edit/", views.sales_kit_edit, name="sales-kit-edit"),
    path("sales-kit/<int:pk>/remove/", views.sales_kit_remove, name="sales-kit-remove"),
    path("sales-kit/<int:pk>/download/", views.sales_kit_download, name="sales-kit-download"),
]
