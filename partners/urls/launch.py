"""Pages for launch, under /<vendor_slug>/ (joined into tenant_urlpatterns)."""

from django.urls import path

from partners.views import launch

urlpatterns: list = [
    path("launch/template/", launch.launch_template, name="launch-template"),
    path("launch/template/reset/", launch.launch_template_reset, name="launch-template-reset"),
    path(
        "launch/template/items/new/",
        launch.launch_template_item_create,
        name="launch-template-item-create",
    ),
    path(
        "launch/template/items/<int:pk>/edit/",
        launch.launch_template_item_edit,
        name="launch-template-item-edit",
    ),
    path(
        "launch/template/items/<int:pk>/move/",
        launch.launch_template_item_move,
        name="launch-template-item-move",
    ),
    path(
        "launch/template/items/<int:pk>/delete/",
        launch.launch_template_item_delete,
        name="launch-template-item-delete",
    ),
    path("distributors/<int:pk>/launch/", launch.launch_checklist, name="launch-checklist"),
    path(
        "distributors/<int:pk>/launch/start/",
        launch.launch_checklist_create,
        name="launch-checklist-create",
    ),
    path("launch/items/<int:pk>/done/", launch.launch_item_done, name="launch-item-done"),
    path("launch/items/<int:pk>/owner/", launch.launch_item_owner, name="launch-item-owner"),
]
