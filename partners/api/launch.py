"""API viewsets for launch, under /api/v1/<vendor-slug>/."""


def register(router) -> None:
    """Add this module's viewsets to the API router (config/api.py calls it)."""
