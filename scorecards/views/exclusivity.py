"""Pages of conditional exclusivity: the vendor's rules, the verdicts of a quarter, one verdict
with its evidence (override and hold), a distributor's exclusivity (standing during the quarter,
past verdicts, recording a QBR held) and its timeline.

Vendor staff read everything; vendor admins change the rules and override verdicts; vendor
admins and channel managers hold revokes and record QBRs; a distributor's people read their own
distributor's exclusivity page, timeline and verdicts (another's is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners import periods, roles
from partners.markets import COUNTRY_CHOICES
from partners.models import Role
from partners.platform.web import apply_errors, form_post, page_context, requires
from partners.selectors import profile as profile_selectors
from scorecards import exclusivity_words as words
from scorecards.forms.exclusivity import (
    ExclusivityRulesForm,
    QbrMeetingForm,
    VerdictHoldForm,
    VerdictOverrideForm,
)
from scorecards.models import ExclusivityVerdict, VerdictOutcome
from scorecards.selectors import exclusivity as sel
from scorecards.selectors.plans import plans_for_verdict
from scorecards.selectors.timeline import distributor_timeline
from scorecards.services import exclusivity as services
from scorecards.services.qbr import qbr_meeting_record

PAGE_SIZE = 50


# --- rules --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(roles.is_staff_reader)
def exclusivity_rules(request, vendor_slug):
    """The vendor's exclusivity rules: vendor staff read them, vendor admins change them."""
    vendor, actor = request.vendor, request.membership
    if request.method == "POST" and not roles.is_vendor_admin(actor):
        raise PermissionDenied
    rules = sel.exclusivity_rules_get(vendor=vendor)
    form = ExclusivityRulesForm(request.POST or None, instance=rules)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.exclusivity_rules_update(
                    vendor=vendor,
                    actor=actor,
                    **{name: form.cleaned_data[name] for name in services.RULE_FIELDS},
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Exclusivity rules saved."))
                return redirect("exclusivity-rules", vendor_slug=vendor.slug)
        status = 400
    return render(
        request,
        "scorecards/exclusivity/rules.html",
        {**page_context(request), "form": form, "can_edit": roles.is_vendor_admin(actor)},
        status=status,
    )


# --- verdicts -----------------------------------------------------------------------------------


@require_GET
@requires(roles.is_staff_reader)
def verdict_list(request, vendor_slug):
    """The verdicts of a fiscal quarter, filtered by outcome, country and owner, with the
    number per outcome."""
    vendor, actor = request.vendor, request.membership
    quarter, quarters = sel.verdict_quarters(
        vendor=vendor, actor=actor, wanted=request.GET.get("quarter", "")
    )
    filters = sel.VerdictFilters.from_query(request.GET)
    page = None
    counts: dict = {}
    if quarter is not None:
        verdicts, counts = sel.verdict_list(
            vendor=vendor, actor=actor, quarter_start=quarter.start, filters=filters
        )
        page = Paginator(verdicts, PAGE_SIZE).get_page(request.GET.get("page"))
    base_query = {k: v for k, v in filters.query().items() if v and k != "outcome"}
    if quarter is not None:
        base_query["quarter"] = quarter.start.isoformat()
    outcome_links = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "query": urlencode({**base_query, "outcome": value}),
            "active": filters.outcome == value,
        }
        for value, label in VerdictOutcome.choices
    ]
    return render(
        request,
        "scorecards/exclusivity/verdict_list.html",
        {
            **page_context(request),
            "quarter": quarter,
            "quarters": quarters,
            "filters": filters,
            "page": page,
            "filter_query": urlencode(
                {**base_query, "outcome": filters.outcome} if filters.outcome else base_query
            ),
            "outcome_links": outcome_links,
            "all_query": urlencode(base_query),
            "total": sum(counts.values()),
            "country_choices": COUNTRY_CHOICES,
            "owner_choices": profile_selectors.owner_choices(vendor=vendor, actor=actor),
            "outcome_choices": VerdictOutcome.choices,
        },
    )


def _revenue_counted(verdict: ExclusivityVerdict, quarter: str) -> str:
    """What the verdict's revenue counts (the line's product line, not all sales)."""
    revenue = next((i for i in verdict.evidence if i.get("condition") == "revenue"), None)
    if revenue is None or not revenue.get("checked", True):
        return ""
    product_line = revenue.get("product_line") or verdict.scope_line.product_line.name
    return words.revenue_counted_words(product_line=product_line, quarter=quarter)


def _verdict_page(request, verdict: ExclusivityVerdict, *, override_form=None, hold_form=None):
    vendor, actor = request.vendor, request.membership
    scope = str(verdict.scope_line)
    quarter = sel.quarter_label(vendor=vendor, quarter_start=verdict.quarter_start)
    can_override = roles.is_vendor_admin(actor) and verdict.applied_at is None
    can_hold = (
        roles.is_editor(actor)
        and verdict.effective_outcome == VerdictOutcome.REVOKE
        and verdict.applied_at is None
    )
    status = (
        400 if (override_form and override_form.errors) or (hold_form and hold_form.errors) else 200
    )
    return render(
        request,
        "scorecards/exclusivity/verdict_detail.html",
        {
            **page_context(request),
            "verdict": verdict,
            "scope": scope,
            "quarter": quarter,
            "distributor": verdict.distributor,
            "sentence": words.outcome_sentence(
                outcome=verdict.effective_outcome,
                scope=scope,
                quarter=quarter,
                effective_on=verdict.takes_effect_on,
                applied=verdict.applied_at is not None,
            ),
            "evidence": words.verdict_evidence_lines(verdict, quarter=quarter),
            "revenue_counted": _revenue_counted(verdict, quarter),
            "plans": list(plans_for_verdict(vendor=vendor, actor=actor, verdict=verdict)),
            "is_staff": roles.is_staff_reader(actor),
            "can_override": can_override,
            "can_hold": can_hold,
            "override_form": override_form
            or VerdictOverrideForm(initial={"outcome": verdict.effective_outcome}),
            "hold_form": hold_form or VerdictHoldForm(),
        },
        status=status,
    )


@require_GET
def verdict_detail(request, vendor_slug, pk):
    """One verdict: its outcome in a sentence, the evidence in words, when it takes effect, and
    for vendor staff the override and hold (with their forms for those who may)."""
    verdict = sel.verdict_get_for_actor_or_404(
        vendor=request.vendor, actor=request.membership, pk=pk
    )
    return _verdict_page(request, verdict)


def _verdict_form_post(request, pk, *, allowed: bool, form_class, service, done: str, slot: str):
    """The shape both verdict forms share: the role first (a 403 whatever the id), then the
    verdict within reach, then the service; on a refusal the verdict page again with the
    person's input and the errors beside the fields (``slot`` names the form on that page)."""
    vendor, actor = request.vendor, request.membership
    if not allowed:
        raise PermissionDenied
    verdict = sel.verdict_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = form_class(request.POST)
    if form_post(form, lambda data: service(vendor=vendor, actor=actor, verdict=verdict, **data)):
        messages.success(request, done)
        return redirect("verdict-detail", vendor_slug=vendor.slug, pk=verdict.pk)
    return _verdict_page(request, verdict, **{slot: form})


@require_POST
def verdict_override(request, vendor_slug, pk):
    """A vendor admin replaces the verdict's outcome, with a reason (audited)."""
    return _verdict_form_post(
        request,
        pk,
        allowed=roles.is_vendor_admin(request.membership),
        form_class=VerdictOverrideForm,
        service=services.verdict_override,
        done=_("Verdict overridden."),
        slot="override_form",
    )


@require_POST
def verdict_hold(request, vendor_slug, pk):
    """A vendor admin or channel manager holds a revoke until a date, with a reason."""
    return _verdict_form_post(
        request,
        pk,
        allowed=roles.is_editor(request.membership),
        form_class=VerdictHoldForm,
        service=services.verdict_hold,
        done=_("Revoke held."),
        slot="hold_form",
    )


# --- a distributor's exclusivity ----------------------------------------------------------------


def _distributor_page(request, distributor, *, qbr_form=None):
    vendor, actor = request.vendor, request.membership
    standing = sel.exclusivity_standing(
        vendor=vendor, distributor=distributor, as_of=distributor.local_today()
    )
    verdicts = list(
        sel.verdicts_for_actor(vendor=vendor, actor=actor).filter(distributor=distributor)[:40]
    )
    fiscal = vendor.fiscal_year_start_month
    for v in verdicts:
        v.quarter = periods.fiscal_quarter_label(v.quarter_start, fiscal)  # type: ignore[attr-defined]
    return render(
        request,
        "scorecards/exclusivity/distributor.html",
        {
            **page_context(request),
            "distributor": distributor,
            "standing": standing,
            "verdicts": verdicts,
            "timeline": distributor_timeline(
                vendor=vendor, actor=actor, distributor=distributor, limit=5
            ),
            "is_staff": roles.is_staff_reader(actor),
            "can_record_qbr": roles.is_editor(actor),
            "qbr_form": qbr_form or QbrMeetingForm(),
        },
        status=400 if qbr_form is not None and qbr_form.errors else 200,
    )


@require_GET
def distributor_exclusivity(request, vendor_slug, pk):
    """A distributor's exclusivity: each exclusive line's standing in the quarter under way,
    past verdicts, the latest events; staff may record a QBR held."""
    distributor = sel.distributor_for_exclusivity_or_404(
        vendor=request.vendor, actor=request.membership, pk=pk
    )
    return _distributor_page(request, distributor)


@require_POST
def qbr_record(request, vendor_slug, pk):
    """Record that a QBR with the distributor was held (vendor admins, channel managers)."""
    vendor, actor = request.vendor, request.membership
    if not roles.is_editor(actor):  # the role first: a 403 whatever the id
        raise PermissionDenied
    distributor = sel.distributor_for_exclusivity_or_404(vendor=vendor, actor=actor, pk=pk)
    form = QbrMeetingForm(request.POST)
    if form.is_valid():
        try:
            qbr_meeting_record(
                vendor=vendor,
                actor=actor,
                distributor=distributor,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("QBR recorded."))
            return redirect("distributor-exclusivity", vendor_slug=vendor.slug, pk=distributor.pk)
    return _distributor_page(request, distributor, qbr_form=form)


@require_GET
def distributor_timeline_page(request, vendor_slug, pk):
    """Everything that happened to the distributor's exclusivity and contracts, newest first
    (a distributor's people see their own, without the vendor's internal notes)."""
    vendor, actor = request.vendor, request.membership
    distributor = sel.distributor_for_exclusivity_or_404(vendor=vendor, actor=actor, pk=pk)
    return render(
        request,
        "scorecards/exclusivity/timeline.html",
        {
            **page_context(request),
            "distributor": distributor,
            "entries": distributor_timeline(vendor=vendor, actor=actor, distributor=distributor),
            "is_staff": roles.is_staff_reader(actor),
        },
    )


@require_GET
def exclusivity_mine(request, vendor_slug):
    """The "Exclusivity" menu: a distributor's people go to their own distributor's
    exclusivity page; a channel manager to the verdicts of the distributors they own ("only
    my distributors", which they may untick); other vendor staff to all verdicts."""
    actor = request.membership
    if actor.is_distributor_role:
        return redirect(
            "distributor-exclusivity", vendor_slug=request.vendor.slug, pk=actor.distributor_id
        )
    url = reverse("verdict-list", kwargs={"vendor_slug": request.vendor.slug})
    if actor.role == Role.CHANNEL_MANAGER:
        url += "?" + urlencode({"mine": "1"})
    return redirect(url)
