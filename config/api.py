"""The API router: every app registers its viewsets here, under /api/v1/<vendor-slug>/."""

from rest_framework.routers import DefaultRouter

from partners.api import (
    DistributorViewSet,
    MeViewSet,
    contracts,
    enablement,
    imports,
    launch,
    profile,
)
from reporting import api as reporting_api
from scorecards import api as scorecards_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("me", MeViewSet, basename="me")
router.register("distributors", DistributorViewSet, basename="distributor")
for _area in (profile, contracts, launch, enablement, imports):
    _area.register(router)
reporting_api.register(router)
scorecards_api.register(router)

app_name = "api"
urlpatterns = router.urls
