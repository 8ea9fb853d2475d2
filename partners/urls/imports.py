"""Pages for imports, under /<vendor_slug>/ (joined into tenant_urlpatterns)."""

from django.urls import path

from partners.views import imports

urlpatterns: list = [
    path("distributors/import/", imports.import_page, name="distributor-import"),
    path(
        "distributors/import/template/<slug:kind>/",
        imports.import_template,
        name="distributor-import-template",
    ),
    path(
        "distributors/import/<int:pk>/", imports.import_preview, name="distributor-import-preview"
    ),
    path(
        "distributors/import/<int:pk>/confirm/",
        imports.import_confirm,
        name="distributor-import-confirm",
    ),
    path(
        "distributors/import/<int:pk>/discard/",
        imports.import_discard,
        name="distributor-import-discard",
    ),
    path("distributors/export/<slug:kind>/", imports.export, name="distributor-export"),
]
