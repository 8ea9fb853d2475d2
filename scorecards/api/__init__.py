"""API viewsets of the scorecards app under /api/v1/<vendor-slug>/; each area module has a
``register(router)``."""

from scorecards.api import dashboards, exclusivity, plans, setup


def register(router) -> None:
    """Register every area's viewsets on the API router."""
    setup.register(router)
    dashboards.register(router)
    plans.register(router)
    exclusivity.register(router)
