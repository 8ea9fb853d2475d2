"""The panels of the homes and the distributor page: needs attention, my standing, and the
distributor's scorecard."""

from __future__ import annotations

from django.utils import timezone

from partners import periods, roles
from partners.models import Distributor, Membership, Vendor
from scorecards.models import PeriodKind
from scorecards.selectors.dashboards.attention import PANEL_ITEMS, needs_attention
from scorecards.selectors.dashboards.periods import Period, period_label
from scorecards.selectors.dashboards.scorecard import scorecard_page
from scorecards.selectors.dashboards.table import scorecard_list_for_actor


def staff_attention_panel(*, vendor: Vendor, actor: Membership, **_kwargs) -> dict | None:
    """The "Needs attention" panel of the staff home: the first items of ``needs_attention``
    (a channel manager's own distributors first) and how many there are."""
    if not roles.is_staff_reader(actor):
        return None
    items = needs_attention(vendor=vendor, actor=actor)
    return {
        "items": items[:PANEL_ITEMS],
        "count": len(items),
        "is_channel_manager": roles.is_channel_manager(actor),
    }


def _latest_card(vendor: Vendor, actor: Membership, distributor: Distributor):
    """The distributor's scorecard of the latest month that has ended."""
    return (
        scorecard_list_for_actor(vendor=vendor, actor=actor)
        .filter(
            distributor=distributor,
            period_kind=PeriodKind.MONTH,
            period_start__lt=periods.month_start(timezone.localdate()),
        )
        .order_by("-period_start")
        .first()
    )


def my_standing_panel(*, vendor: Vendor, actor: Membership, distributor, **_kwargs) -> dict | None:
    """The "My standing" panel of a partner's home: the latest monthly scorecard's overall
    RAG and score and the three largest gaps (no rank, nothing of other distributors)."""
    if not actor.is_distributor_role or distributor.pk != actor.distributor_id:
        return None
    card = _latest_card(vendor, actor, distributor)
    if card is None:
        return {"scorecard": None, "gaps": [], "distributor": distributor}
    period = Period(
        PeriodKind.MONTH,
        card.period_start,
        period_label(PeriodKind.MONTH, card.period_start, vendor.fiscal_year_start_month),
    )
    page = scorecard_page(
        vendor=vendor,
        actor=actor,
        distributor=distributor,
        period=period,
        charts=False,
    )
    return {"scorecard": card, "period": period, "gaps": page.gaps[:3], "distributor": distributor}


def distributor_scorecard_panel(
    *, vendor: Vendor, actor: Membership, distributor, **_kwargs
) -> dict | None:
    """The scorecard summary on a distributor's page: the latest monthly scorecard (score,
    RAG overall and per family, red KPIs) with a link to the full scorecard."""
    if actor.is_distributor_role and distributor.pk != actor.distributor_id:
        return None
    card = _latest_card(vendor, actor, distributor)
    return {
        "scorecard": card,
        "distributor": distributor,
        # A month is named the same whatever the fiscal year.
        "period_label": period_label(PeriodKind.MONTH, card.period_start) if card else "",
    }
