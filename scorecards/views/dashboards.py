"""Pages of the dashboards area: the table of distributors' scorecards (and its export), one
distributor's scorecard, a partner's "my standing", the executive portfolio and the full
"needs attention" list."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partners import roles
from partners.markets import COUNTRY_CHOICES
from partners.platform.exports import table_response
from partners.platform.web import page_context, requires
from partners.selectors import profile as profile_selectors
from scorecards.models import PeriodKind, Rag
from scorecards.selectors import dashboards as sel

PAGE_SIZE = 25


def _period_context(request, choice: sel.PeriodChoice, extra: dict | None = None) -> dict:
    base = {k: v for k, v in (extra or {}).items() if v}
    return {
        "period": choice.current,
        "period_choices": choice.choices,
        "period_kind": choice.kind,
        "period_kinds": PeriodKind.choices,
        "period_query": urlencode({**base, **(choice.current.query() if choice.current else {})}),
    }


@require_GET
@requires(roles.is_staff_reader)
def scorecard_table(request, vendor_slug):
    """Vendor staff: every distributor's scorecard of a period (score, RAG overall and per
    family, red KPIs, change since the previous period), filtered, sorted and paginated; the
    results region is an htmx partial."""
    vendor, actor = request.vendor, request.membership
    choice = sel.period_choose(vendor=vendor, actor=actor, params=request.GET)
    filters = sel.TableFilters.from_query(request.GET)
    page = None
    if choice.current is not None:
        qs = sel.scorecard_table(vendor=vendor, actor=actor, period=choice.current, filters=filters)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "scorecards/dashboards/table.html"
    if request.htmx and request.htmx.target == "scorecard-results":
        template += "#results"
    period_query = choice.current.query() if choice.current else {}
    filter_query = {k: v for k, v in {**filters.query(), **period_query}.items() if v}
    columns = [
        ("name", _("Distributor")),
        ("score", _("Score")),
        ("rag", _("Overall")),
        ("commercial", _("Commercial")),
        ("execution", _("Execution")),
        ("operational", _("Operational")),
        ("red", _("Red KPIs")),
        ("trend", _("Change")),
    ]
    sort_links = []
    for key, label in columns:
        descending = filters.sort == key and not filters.descending
        query = {**filter_query, "sort": ("-" if descending else "") + key}
        sort_links.append(
            {
                "key": key,
                "label": label,
                "query": urlencode(query),
                "active": filters.sort == key,
                "descending": filters.descending,
            }
        )
    return render(
        request,
        template,
        {
            **page_context(request),
            **_period_context(request, choice),
            "page": page,
            "filters": filters,
            "filter_query": urlencode(filter_query),
            "sort_links": sort_links,
            "country_choices": COUNTRY_CHOICES,
            "owner_choices": profile_selectors.owner_choices(vendor=vendor, actor=actor),
            "rag_choices": Rag.choices,
        },
    )


@require_GET
@requires(roles.is_staff_reader)
def scorecard_export(request, vendor_slug):
    """The table's rows for its filters and period, all pages, as CSV (UTF-8 with BOM) or
    XLSX (``?format=xlsx``)."""
    vendor, actor = request.vendor, request.membership
    choice = sel.period_choose(vendor=vendor, actor=actor, params=request.GET)
    filters = sel.TableFilters.from_query(request.GET)
    header: list[str] = []
    rows: list[list] = []
    if choice.current is not None:
        header, rows = sel.scorecard_export_table(
            vendor=vendor, actor=actor, period=choice.current, filters=filters
        )
    period = choice.current.start.isoformat() if choice.current else "none"
    return table_response(
        header=header or [_("Distributor")],
        rows=rows,
        kind="xlsx" if request.GET.get("format") == "xlsx" else "csv",
        filename=f"scorecards-{choice.kind}-{period}",
        sheet_title=_("Scorecards"),
    )


def _scorecard(request, distributor):
    vendor, actor = request.vendor, request.membership
    choice = sel.period_choose(vendor=vendor, actor=actor, params=request.GET)
    page = sel.scorecard_page(
        vendor=vendor, actor=actor, distributor=distributor, period=choice.current
    )
    return render(
        request,
        "scorecards/dashboards/scorecard.html",
        {
            **page_context(request),
            **_period_context(request, choice),
            "page": page,
            "distributor": distributor,
            "is_mine": actor.is_distributor_role,
        },
    )


@require_GET
def scorecard_distributor(request, vendor_slug, pk):
    """One distributor's scorecard for a period: vendor staff any distributor's, a
    distributor's people only their own (another's is a 404)."""
    distributor = sel.distributor_for_scorecard_or_404(
        vendor=request.vendor, actor=request.membership, pk=pk
    )
    return _scorecard(request, distributor)


@require_GET
def scorecard_mine(request, vendor_slug):
    """A distributor's people: their own scorecard ("my standing"). Vendor staff have no
    scorecard of their own and go to the table."""
    actor = request.membership
    if not actor.is_distributor_role:
        return redirect("scorecard-table", vendor_slug=request.vendor.slug)
    distributor = sel.distributor_for_scorecard_or_404(
        vendor=request.vendor, actor=actor, pk=actor.distributor_id
    )
    return _scorecard(request, distributor)


@require_GET
@requires(roles.is_staff_reader)
def scorecard_portfolio(request, vendor_slug):
    """The executive's portfolio of a period: by country and by phase, RAG spread, revenue
    in the reporting currency, top and bottom movers."""
    vendor, actor = request.vendor, request.membership
    policy = sel.policy_get(vendor=vendor)
    choice = sel.period_choose(vendor=vendor, actor=actor, params=request.GET)
    portfolio = (
        sel.portfolio(vendor=vendor, actor=actor, period=choice.current, policy=policy)
        if choice.current
        else None
    )
    return render(
        request,
        "scorecards/dashboards/portfolio.html",
        {
            **page_context(request),
            **_period_context(request, choice),
            "portfolio": portfolio,
            "total_label": (
                sel.money_label(portfolio.total_revenue, portfolio.currency) if portfolio else ""
            ),
            "unconverted_labels": (
                [sel.money_label(v, c) for c, v in sorted(portfolio.unconverted.items())]
                if portfolio
                else []
            ),
        },
    )


@require_GET
@requires(roles.is_staff_reader)
def scorecard_attention(request, vendor_slug):
    """Everything that needs attention, most urgent first; a channel manager switches between
    their own distributors (``?scope=mine``) and all (own first)."""
    vendor, actor = request.vendor, request.membership
    scope = request.GET.get("scope", "")
    scope = scope if scope in ("mine", "all") else "all"
    items = sel.needs_attention(vendor=vendor, actor=actor, scope=scope)
    template = "scorecards/dashboards/attention.html"
    if request.htmx and request.htmx.target == "attention-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            "items": items,
            "scope": scope,
            "is_channel_manager": roles.is_channel_manager(actor),
            "today": timezone.localdate(),
        },
    )
