"""API viewsets of the reporting app under /api/v1/<vendor-slug>/; each area module has a
``register(router)``."""

from . import sellout


def register(router) -> None:
    """Register every area's viewsets on the API router."""
    sellout.register(router)
