"""Pages of corrective action plans under /<vendor_slug>/ (joined in scorecards/urls/__init__.py)."""

from django.urls import path

from scorecards.views import plans

urlpatterns: list = [
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/mine/", plans.plan_mine, name="plan-mine"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/open/", plans.plan_open, name="plan-open"),
    path("plans/<int:pk>/actions/", plans.plan_action_add, name="plan-action-add"),
    path("plans/<int:pk>/review/", plans.plan_review, name="plan-review"),
    path("plan-actions/<int:pk>/status/", plans.plan_action_status, name="plan-action-status"),
    path("distributors/<int:pk>/plans/new/", plans.plan_create, name="plan-create"),
]
