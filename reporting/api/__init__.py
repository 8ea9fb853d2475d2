"""API viewsets of the reporting app under /api/v1/<vendor-slug>/; each area module has a
``register(router)``."""

from reporting.api import review, sellout, submissions


def register(router) -> None:
    """Register every area's viewsets on the API router."""
    submissions.register(router)
    review.register(router)
    sellout.register(router)
