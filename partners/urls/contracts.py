"""Pages for contracts, under /<vendor_slug>/ (joined into tenant_urlpatterns)."""

urlpatterns: list = []
