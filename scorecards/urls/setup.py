"""Pages of the setup area under /<vendor_slug>/scorecards/ (joined in scorecards/urls/__init__.py)."""

urlpatterns: list = []
