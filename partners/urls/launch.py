"""Pages for launch, under /<vendor_slug>/ (joined into tenant_urlpatterns)."""

urlpatterns: list = []
