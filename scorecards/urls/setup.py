"""Pages of the setup area under /<vendor_slug>/scorecards/ (joined in scorecards/urls/__init__.py)."""

from django.urls import path

from scorecards.views import setup

urlpatterns: list = [
    path("scorecards/kpis/", setup.kpi_list, name="kpi-list"),
    path("scorecards/kpis/start/", setup.kpi_catalogue_start, name="kpi-catalogue-start"),
    path("scorecards/kpis/new/", setup.kpi_create, name="kpi-create"),
    path("scorecards/kpis/<int:pk>/edit/", setup.kpi_edit, name="kpi-edit"),
    path("scorecards/kpis/<int:pk>/active/", setup.kpi_set_active, name="kpi-set-active"),
    path("scorecards/templates/", setup.template_list, name="template-list"),
    path("scorecards/templates/new/", setup.template_create, name="template-create"),
    path("scorecards/templates/<int:pk>/edit/", setup.template_edit, name="template-edit"),
    path("scorecards/templates/assign/<int:pk>/", setup.template_assign, name="template-assign"),
    path("scorecards/targets/", setup.target_grid, name="target-grid"),
    path("scorecards/targets/export/", setup.target_export, name="target-export"),
    path("scorecards/targets/import/", setup.target_import_page, name="target-import"),
    path("scorecards/ramps/", setup.ramp_list, name="ramp-list"),
    path("scorecards/ramps/<int:pk>/delete/", setup.ramp_delete, name="ramp-delete"),
    path("scorecards/entries/", setup.kpi_entry_list, name="kpi-entry-list"),
    path("scorecards/rates/", setup.exchange_rate_list, name="exchange-rate-list"),
    path(
        "scorecards/rates/<int:pk>/delete/", setup.exchange_rate_delete, name="exchange-rate-delete"
    ),
    path("scorecards/settings/", setup.scorecard_settings, name="scorecard-settings"),
]
