"""API viewsets of the scorecards app under /api/v1/<vendor-slug>/; each area module has a
``register(router)``."""

from scorecards.api import dashboards, exclusivity, setup


def register(router) -> None:
    """Register every area's viewsets on the API router."""
    setup.register(router)
    dashboards.register(router)
    exclusivity.register(router)
