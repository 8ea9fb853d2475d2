"""Pages of corrective action plans: the staff list (suggested, open, due for review, closed),
a partner's own plans, opening a plan by hand, one plan's page (its actions, adding one,
ticking one's own, opening a suggestion) and the review with its outcome."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partners import roles
from partners import selectors as partner_selectors
from partners.platform.web import CountedPaginator, apply_errors, page_context, requires
from scorecards import permissions
from scorecards.forms.plans import ActionForm, ActionStatusForm, PlanGapForm, ReviewForm
from scorecards.models import PlanOutcome, PlanStatus
from scorecards.selectors import exclusivity as exclusivity_selectors
from scorecards.selectors import plans as sel
from scorecards.services import plans as services


def _detail(vendor, plan_id):
    return redirect("plan-detail", vendor_slug=vendor.slug, pk=plan_id)


PAGE_SIZE = 25


@require_GET
@requires(roles.is_staff_reader)
def plan_list(request, vendor_slug):
    """Vendor staff: plans by view (``?view=suggested|open|due|closed``; open by default),
    25 to a page (``?page=``)."""
    vendor, actor = request.vendor, request.membership
    view = request.GET.get("view", "open")
    view = view if view in sel.LIST_VIEWS else "open"
    today = timezone.localdate()
    counts = sel.plan_counts(vendor=vendor, actor=actor, today=today)
    # The view's size is already in the counts: no second count of the same rows.
    page = CountedPaginator(
        sel.plan_staff_list(vendor=vendor, actor=actor, view=view, today=today),
        PAGE_SIZE,
        count=counts[view],
    ).get_page(request.GET.get("page"))
    page.object_list = sel.with_trigger_when(vendor, page.object_list)
    return render(
        request,
        "scorecards/plans/list.html",
        {
            **page_context(request),
            "page": page,
            "counts": counts,
            "view": view,
            "today": today,
            "filter_query": urlencode({"view": view}),
        },
    )


@require_GET
def plan_mine(request, vendor_slug):
    """A distributor's people: their own distributor's plans (staff go to the list)."""
    vendor, actor = request.vendor, request.membership
    if actor.is_staff_role:
        return redirect("plan-list", vendor_slug=vendor.slug)
    plans = list(
        sel.plan_list_for_actor(vendor=vendor, actor=actor)
        .select_related("distributor")
        .order_by("status", "-created_at", "-id")
    )
    # With no plan, the page says "keep it that way" only when exclusivity is not at risk.
    at_risk = (
        {}
        if plans
        else exclusivity_selectors.partner_exclusivity_at_risk(vendor=vendor, actor=actor)
    )
    return render(
        request,
        "scorecards/plans/mine.html",
        {**page_context(request), "plans": plans, "at_risk": at_risk},
    )


@requires(roles.is_editor)
def plan_create(request, vendor_slug, pk):
    """Open a plan by hand for a distributor, saying what the gap is."""
    vendor, actor = request.vendor, request.membership
    distributor = partner_selectors.distributor_get_for_actor_or_404(
        vendor=vendor, actor=actor, pk=pk
    )
    form = PlanGapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_open(
                vendor=vendor, actor=actor, distributor=distributor, gap=form.cleaned_data["gap"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan opened. The review is due in 30 days."))
            return _detail(vendor, plan.pk)
    return render(
        request,
        "scorecards/plans/create.html",
        {**page_context(request), "form": form, "distributor": distributor},
    )


def _plan_page(request, plan, *, action_form=None, gap_form=None):
    vendor, actor = request.vendor, request.membership
    page = sel.plan_page(vendor=vendor, actor=actor, plan=plan)
    if action_form is None and page.can_add:
        action_form = ActionForm(
            owners=sel.owner_choices(vendor=vendor, distributor_id=plan.distributor_id)
        )
    if gap_form is None and page.can_manage and plan.status == PlanStatus.SUGGESTED:
        gap_form = PlanGapForm(required=False, initial={"gap": plan.gap})
    return render(
        request,
        "scorecards/plans/detail.html",
        {
            **page_context(request),
            "page": page,
            "plan": plan,
            "action_form": action_form,
            "gap_form": gap_form,
            "status_choices": cast(
                forms.ChoiceField, ActionStatusForm.base_fields["status"]
            ).choices,
        },
    )


@require_GET
def plan_detail(request, vendor_slug, pk):
    """One plan: staff any, a distributor's people their own distributor's opened plans."""
    plan = sel.plan_get_for_actor_or_404(vendor=request.vendor, actor=request.membership, pk=pk)
    return _plan_page(request, plan)


@require_POST
@requires(roles.is_editor)
def plan_open(request, vendor_slug, pk):
    """Accept a suggested plan (its gap may be reworded)."""
    vendor, actor = request.vendor, request.membership
    plan = sel.plan_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = PlanGapForm(request.POST, required=False)
    if form.is_valid():
        try:
            services.plan_open(vendor=vendor, actor=actor, plan=plan, gap=form.cleaned_data["gap"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan opened. The review is due in 30 days."))
            return _detail(vendor, plan.pk)
    return _plan_page(request, plan, gap_form=form)


@require_POST
@requires(roles.is_editor)
def plan_action_add(request, vendor_slug, pk):
    """Add an action (refused with a message beside the form when the plan has three)."""
    vendor, actor = request.vendor, request.membership
    plan = sel.plan_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = ActionForm(
        request.POST, owners=sel.owner_choices(vendor=vendor, distributor_id=plan.distributor_id)
    )
    if form.is_valid():
        try:
            services.action_add(vendor=vendor, actor=actor, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Action added."))
            return _detail(vendor, plan.pk)
    return _plan_page(request, plan, action_form=form)


@require_POST
@requires(roles.is_contributor)
def plan_action_status(request, vendor_slug, pk):
    """Set an action's status: managers any action, a distributor's person only the actions
    they own (for them another person's action is not there: a 404 that changes nothing)."""
    vendor, actor = request.vendor, request.membership
    action = sel.action_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    if not permissions.may_set_status(actor, action):
        raise Http404
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_update(
                vendor=vendor, actor=actor, action=action, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Action updated."))
    else:
        messages.error(request, _("Choose a status."))
    return _detail(vendor, action.plan_id)


@requires(roles.is_editor)
def plan_review(request, vendor_slug, pk):
    """Review an open plan: outcome and reason; a new date when extended; the scope lines
    that end when the scope is reduced (through a contract amendment)."""
    vendor, actor = request.vendor, request.membership
    plan = sel.plan_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    contracts = sel.reducible_contracts(vendor=vendor, distributor_id=plan.distributor_id)
    form = ReviewForm(request.POST or None, contracts=contracts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reducing = data["outcome"] == PlanOutcome.SCOPE_REDUCED
        contract = form.contract() if reducing else None
        if reducing and data["end_lines"] and contract is None:
            form.add_error("end_lines", _("Choose lines of one contract."))
        else:
            try:
                services.plan_review(
                    vendor=vendor,
                    actor=actor,
                    plan=plan,
                    outcome=data["outcome"],
                    reason=data["reason"],
                    review_on=data["review_on"],
                    contract=contract,
                    end_line_ids=[line.pk for line in data["end_lines"]] if reducing else [],
                    effective_on=data["effective_on"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "contract" in exc.error_dict:
                    exc.error_dict["end_lines"] = exc.error_dict.pop("contract")
                apply_errors(form, exc)
            else:
                messages.success(request, _("Review recorded."))
                return _detail(vendor, plan.pk)
    return render(
        request,
        "scorecards/plans/review.html",
        {
            **page_context(request),
            "plan": plan,
            "form": form,
            "contracts": contracts,
        },
    )
