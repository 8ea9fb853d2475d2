"""Pages of the scorecards app under /<vendor_slug>/ (included by config/urls.py). Each area keeps
its routes in a module beside this one and is joined here."""

from scorecards.urls import dashboards, exclusivity, plans, setup

urlpatterns: list = [
    *dashboards.urlpatterns,
    *setup.urlpatterns,
    *plans.urlpatterns,
    *exclusivity.urlpatterns,
]
