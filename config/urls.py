from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from partners.urls import account_urlpatterns, tenant_urlpatterns

urlpatterns = [
    path("i18n/setlang/", set_language, name="set-language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/<slug:vendor_slug>/", include("config.api")),
    *account_urlpatterns,
    path("<slug:vendor_slug>/", include(tenant_urlpatterns)),
    path("<slug:vendor_slug>/", include("reporting.urls")),
    path("<slug:vendor_slug>/", include("scorecards.urls")),
]

handler404 = "partners.views.errors.not_found"
handler403 = "partners.views.errors.forbidden"
handler500 = "partners.views.errors.server_error"
