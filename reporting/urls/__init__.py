"""Pages of the reporting app under /<vendor_slug>/ (included by config/urls.py). Each area keeps
its routes in a module beside this one and is joined here."""

from reporting.urls import review, schedule, sellout, submissions

urlpatterns: list = [
    *review.urlpatterns,
    *schedule.urlpatterns,
    *sellout.urlpatterns,
    *submissions.urlpatterns,
]
