"""Pages for profile, under /<vendor_slug>/ (joined into tenant_urlpatterns)."""

from django.urls import path

from partners.views import profile as views

urlpatterns: list = [
    path("catalogue/product-lines/", views.product_line_list, name="product-line-list"),
    path(
        "catalogue/product-lines/<int:pk>/edit/",
        views.product_line_edit,
        name="product-line-edit",
    ),
    path("catalogue/territories/", views.territory_list, name="territory-list"),
    path("catalogue/territories/<int:pk>/edit/", views.territory_edit, name="territory-edit"),
    path("distributors/<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/active/", views.contact_set_active, name="contact-set-active"),
    path(
        "distributors/<int:pk>/brands/new/",
        views.carried_brand_create,
        name="carried-brand-create",
    ),
    path("brands/<int:pk>/remove/", views.carried_brand_remove, name="carried-brand-remove"),
    path("distributors/<int:pk>/status/", views.distributor_status, name="distributor-status"),
    path("distributors/<int:pk>/selection/", views.selection, name="selection"),
    path(
        "distributors/<int:pk>/selection/override/",
        views.selection_override,
        name="selection-override",
    ),
]
