"""API of the dashboards area under /api/v1/<vendor-slug>/."""


def register(router) -> None:
    """Register this area's viewsets on the API router."""
