"""Demo data of the scorecards app (called by ``manage.py demo_data`` for each demo vendor)."""


def demo_seed(vendor) -> None:
    """Nothing yet."""
