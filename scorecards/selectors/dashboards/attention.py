"""The "needs attention" list of the staff home: one SQL query over the kinds of things to do,
and the table of those kinds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy

from partners import roles
from partners.models import (
    Contract,
    Distributor,
    Membership,
    ProductLine,
    ScopeLine,
    Territory,
    Vendor,
)
from scorecards.labels import attainment_label
from scorecards.models import (
    CorrectivePlan,
    ExclusivityVerdict,
    Kpi,
    KpiActual,
    PeriodKind,
    Scorecard,
)
from scorecards.models.catalogue import kpi_name_in_language
from scorecards.selectors.dashboards.periods import period_label

ATTENTION_WINDOW_DAYS = 45  # reports and checklist items due longer ago than this drop off
NOTICE_AHEAD_DAYS = 60  # contracts whose notice deadline falls within this many days
ATTENTION_LIMIT = 50  # rows read per kind (the list is "what to do next", not an archive)
PANEL_ITEMS = 10


@dataclass
class AttentionItem:
    """One reason a distributor needs attention, with a link to where to act."""

    kind: str  # a key of ATTENTION_KINDS
    severity: int  # 0 most urgent
    day: dt.date  # when it became (or becomes) due: older first within a severity
    distributor_id: int
    distributor_name: str
    mine: bool
    why: str
    url: str

    @property
    def badge(self) -> str:
        """The short word on the item's badge."""
        return str(ATTENTION_KINDS[self.kind].badge)

    @property
    def tone(self) -> str:
        """The badge's colour: "bad" for what cannot wait, "warn" for what is due, none for
        the red KPIs (the scorecard's own colours say the rest)."""
        if self.severity <= URGENT_SEVERITY:
            return "bad"
        return "warn" if self.severity == URGENT_SEVERITY + 1 else ""


@dataclass(frozen=True)
class AttentionKind:
    """How one kind of attention item reads, where it links and how urgent it is.

    ``sentence`` is formatted with the row's words (see ``_attention_words``); ``url_name``
    takes the vendor's slug and the row's ``ref`` (the distributor's id when
    ``by_distributor``). An item becomes as urgent as a missed report (``URGENT_SEVERITY``)
    when its day is at most ``urgent_ahead`` days away or at least ``urgent_after`` days past."""

    sentence: object
    url_name: str
    severity: int
    badge: object
    by_distributor: bool = False
    urgent_ahead: int | None = None
    urgent_after: int | None = None

    def severity_on(self, day: dt.date, today: dt.date) -> int:
        """The item's severity given its day."""
        if self.urgent_ahead is not None and (day - today).days <= self.urgent_ahead:
            return URGENT_SEVERITY
        if self.urgent_after is not None and (today - day).days >= self.urgent_after:
            return URGENT_SEVERITY
        return self.severity


URGENT_SEVERITY = 3  # up to here a badge is red
ATTENTION_KINDS: dict[str, AttentionKind] = {
    # A revoke names the last exclusive day (the day before it takes effect), as the contract,
    # the distributor page and the verdict do.
    # What threatens a distributor's exclusivity comes first: a revoke about to take effect,
    # then a warning (the next unmet quarter revokes), then a plan waiting to be opened.
    "revoke": AttentionKind(
        gettext_lazy(
            "%(scope)s stays exclusive until %(date)s unless the revoke is held or overridden"
        ),
        "verdict-detail",
        0,
        gettext_lazy("revoke"),
    ),
    "warn": AttentionKind(
        gettext_lazy("Exclusivity warning for %(scope)s in %(quarter)s"),
        "verdict-detail",
        1,
        gettext_lazy("warning"),
    ),
    "plan_suggested": AttentionKind(
        gettext_lazy("Corrective plan suggested (%(trigger)s): open it to agree actions"),
        "plan-detail",
        2,
        gettext_lazy("suggested plan"),
    ),
    "missed": AttentionKind(
        gettext_lazy("%(kind)s of %(period)s missed"), "report-detail", 3, gettext_lazy("missed")
    ),
    "notice": AttentionKind(
        gettext_lazy("Contract %(reference)s: notice deadline %(date)s"),
        "contract-detail",
        4,
        gettext_lazy("notice"),
        urgent_ahead=30,
    ),
    "plan_review": AttentionKind(
        gettext_lazy("Corrective plan review due on %(date)s"),
        "plan-detail",
        4,
        gettext_lazy("plan review"),
        urgent_after=7,
    ),
    "late": AttentionKind(
        gettext_lazy("%(kind)s of %(period)s overdue"), "report-detail", 4, gettext_lazy("overdue")
    ),
    "returned": AttentionKind(
        gettext_lazy("%(kind)s of %(period)s returned, not resubmitted"),
        "report-detail",
        4,
        gettext_lazy("returned"),
    ),
    "launch_overdue": AttentionKind(
        gettext_lazy("Launch task overdue: %(title)s"),
        "launch-checklist",
        4,
        gettext_lazy("launch"),
        by_distributor=True,
    ),
    "red_kpi": AttentionKind(
        gettext_lazy("%(kpi)s red in %(period)s (%(measure)s)"),
        "scorecard-distributor",
        5,
        gettext_lazy("red KPI"),
        by_distributor=True,
    ),
}


_SCOPE_NAME = """CASE WHEN %(ja)s AND t.name_ja <> '' THEN t.name_ja ELSE t.name END || ' × ' ||
        CASE WHEN %(ja)s AND pl.name_ja <> '' THEN pl.name_ja ELSE pl.name END"""

_ATTENTION_SQL = """
(SELECT 'missed' AS kind, r.id AS ref, r.kind AS sub, r.period_start AS period,
        (r.due_at AT TIME ZONE 'UTC')::date AS day, d.id AS distributor_id, d.name,
        d.owner_id, '' AS title, '' AS default_key, NULL::numeric AS figure,
        NULL::numeric AS value, NULL::numeric AS base
   FROM {report} r JOIN {distributor} d ON d.id = r.distributor_id
  WHERE r.vendor_id = %(vendor)s AND r.due_at >= %(since)s AND r.due_at < %(now)s
    AND r.missed_at IS NOT NULL AND r.status <> ALL(%(handed_in)s) {mine}
  ORDER BY r.due_at, r.id LIMIT %(limit)s)
UNION ALL
(SELECT 'late', r.id, r.kind, r.period_start, (r.due_at AT TIME ZONE 'UTC')::date, d.id,
        d.name, d.owner_id, '', '', NULL, NULL, NULL
   FROM {report} r JOIN {distributor} d ON d.id = r.distributor_id
  WHERE r.vendor_id = %(vendor)s AND r.due_at >= %(since)s AND r.due_at < %(now)s
    AND r.missed_at IS NULL AND r.submitted_at IS NULL AND r.status <> ALL(%(handed_in)s)
    {mine}
  ORDER BY r.due_at, r.id LIMIT %(limit)s)
UNION ALL
(SELECT 'returned', r.id, r.kind, r.period_start,
        (coalesce(r.reviewed_at, r.due_at) AT TIME ZONE 'UTC')::date, d.id, d.name,
        d.owner_id, '', '', NULL, NULL, NULL
   FROM {report} r JOIN {distributor} d ON d.id = r.distributor_id
  WHERE r.vendor_id = %(vendor)s AND r.status = 'returned' {mine}
  ORDER BY r.reviewed_at, r.id LIMIT %(limit)s)
UNION ALL
(SELECT 'notice', c.id, '', NULL, c.ends_on - c.notice_days, d.id, d.name, d.owner_id,
        c.reference, '', NULL, NULL, NULL
   FROM {contract} c JOIN {distributor} d ON d.id = c.distributor_id
  WHERE c.vendor_id = %(vendor)s AND c.status = 'active'
    AND c.ends_on - c.notice_days BETWEEN %(today)s AND %(notice_until)s {mine}
  ORDER BY c.ends_on - c.notice_days, c.id LIMIT %(limit)s)
UNION ALL
(SELECT 'launch_overdue', i.id, '', NULL, i.due_on, d.id, d.name, d.owner_id, i.title,
        i.default_key, NULL, NULL, NULL
   FROM {item} i JOIN {checklist} l ON l.id = i.checklist_id
   JOIN {distributor} d ON d.id = l.distributor_id
  WHERE i.vendor_id = %(vendor)s AND i.done_at IS NULL
    AND i.due_on < %(today)s AND i.due_on >= %(launch_since)s {mine}
  ORDER BY i.due_on, i.id LIMIT %(limit)s)
UNION ALL
(SELECT 'red_kpi', a.id, k.unit, a.period_start, a.period_start, d.id, d.name, d.owner_id,
        k.name, k.name_ja, a.attainment, a.value, a.base
   FROM {actual} a JOIN {kpi} k ON k.id = a.kpi_id
   JOIN {distributor} d ON d.id = a.distributor_id
  WHERE a.vendor_id = %(vendor)s AND a.period_kind = 'month' AND a.rag = 'red'
    AND a.period_start = (SELECT max(s.period_start) FROM {scorecard} s
                           WHERE s.vendor_id = %(vendor)s AND s.period_kind = 'month'
                             AND s.period_start < date_trunc('month', %(today)s::date)) {mine}
  ORDER BY a.attainment NULLS FIRST, a.id LIMIT %(limit)s)
UNION ALL
(SELECT 'plan_review', p.id, '', NULL, p.review_on, d.id, d.name, d.owner_id, '', '', NULL,
        NULL, NULL
   FROM {plan} p JOIN {distributor} d ON d.id = p.distributor_id
  WHERE p.vendor_id = %(vendor)s AND p.status = 'open' AND p.review_on <= %(today)s {mine}
  ORDER BY p.review_on, p.id LIMIT %(limit)s)
UNION ALL
(SELECT 'plan_suggested', p.id, p.trigger, NULL, (p.created_at AT TIME ZONE 'UTC')::date,
        d.id, d.name, d.owner_id, '', '', NULL, NULL, NULL
   FROM {plan} p JOIN {distributor} d ON d.id = p.distributor_id
  WHERE p.vendor_id = %(vendor)s AND p.status = 'suggested' {mine}
  ORDER BY p.created_at, p.id LIMIT %(limit)s)
UNION ALL
(SELECT 'revoke', v.id, '', v.quarter_start, v.effective_on - 1, d.id, d.name, d.owner_id,
        {scope_name}, '', NULL, NULL, NULL
   FROM {verdict} v JOIN {distributor} d ON d.id = v.distributor_id
   JOIN {scope_line} sl ON sl.id = v.scope_line_id
   JOIN {territory} t ON t.id = sl.territory_id
   JOIN {product_line} pl ON pl.id = sl.product_line_id
  WHERE v.vendor_id = %(vendor)s AND v.applied_at IS NULL AND v.effective_on >= %(today)s
    AND (v.overridden_outcome = 'revoke' OR (v.overridden_outcome = '' AND v.outcome = 'revoke'))
    AND (v.held_until IS NULL OR v.held_until < %(today)s) {mine}
  ORDER BY v.effective_on, v.id LIMIT %(limit)s)
UNION ALL
(SELECT 'warn', v.id, '', v.quarter_start, v.quarter_end, d.id, d.name, d.owner_id,
        {scope_name}, '', NULL, NULL, NULL
   FROM {verdict} v JOIN {distributor} d ON d.id = v.distributor_id
   JOIN {scope_line} sl ON sl.id = v.scope_line_id
   JOIN {territory} t ON t.id = sl.territory_id
   JOIN {product_line} pl ON pl.id = sl.product_line_id
  WHERE v.vendor_id = %(vendor)s
    AND (v.overridden_outcome = 'warn' OR (v.overridden_outcome = '' AND v.outcome = 'warn'))
    AND v.quarter_start = (SELECT max(w.quarter_start) FROM {verdict} w
                            WHERE w.vendor_id = %(vendor)s AND w.quarter_end < %(today)s)
    {mine}
  ORDER BY v.id LIMIT %(limit)s)
"""


def _attention_words(row: tuple, *, today: dt.date, fiscal_start_month: int) -> dict:
    """The words an attention sentence may use, from one row of ``_ATTENTION_SQL``."""
    from partners.models import LaunchChecklistItem
    from reporting.models import ReportKind
    from scorecards.models import PlanTrigger

    kind, _ref, sub, period, day, _d, _name, _owner, title, key, figure, value, base = row
    words = {
        "date": date_format(day),
        "period": date_format(period) if period else "",
        "scope": title,
        "reference": title,
        "kind": dict(ReportKind.choices).get(sub, sub),
        "trigger": dict(PlanTrigger.choices).get(sub, sub),
    }
    if kind == "launch_overdue":
        words["title"] = LaunchChecklistItem(title=title, default_key=key).display_title
    elif kind == "red_kpi":
        words["kpi"] = kpi_name_in_language(title, key)
        words["period"] = period_label(PeriodKind.MONTH, period)
        words["measure"] = attainment_label(value=value, base=base, attainment=figure, unit=sub)
    elif kind == "warn":
        words["quarter"] = period_label(PeriodKind.QUARTER, period, fiscal_start_month)
    return words


def needs_attention(
    *, vendor: Vendor, actor: Membership, scope: str = "", today: dt.date | None = None
) -> list[AttentionItem]:
    """What needs a channel manager's attention, most urgent first: exclusivity revokes still
    to take effect (not held), warnings of the latest quarter judged, suggested corrective
    plans nobody has opened, missed reports, notice deadlines of contracts within 60 days (the
    nearest 30 days as urgent as a missed report), reports overdue and not handed in, returned
    reports not resubmitted, overdue launch checklist items (due in the last 45 days),
    corrective plans whose review is due and red KPIs of the latest month that has ended.
    ``ATTENTION_KINDS`` holds each kind's sentence, link and severity.

    A channel manager's own distributors (``Distributor.owner``) come first; ``scope="mine"``
    keeps only those. Vendor admins and executives see everyone's, with no "mine". One SQL
    statement (at most 50 rows of each kind), whatever the number of distributors."""
    from django.db import connection
    from django.urls import reverse

    from partners.models import LaunchChecklist, LaunchChecklistItem
    from reporting.models import Report
    from reporting.models.reports import HANDED_IN_STATUSES

    if not roles.is_staff_reader(actor):
        return []
    now = timezone.now()
    today = today or timezone.localdate()
    is_cm = roles.is_channel_manager(actor)
    params: dict[str, Any] = {
        "vendor": vendor.id,
        "now": now,
        "since": now - dt.timedelta(days=ATTENTION_WINDOW_DAYS),
        "today": today,
        "notice_until": today + dt.timedelta(days=NOTICE_AHEAD_DAYS),
        "launch_since": today - dt.timedelta(days=ATTENTION_WINDOW_DAYS),
        "handed_in": [str(status) for status in HANDED_IN_STATUSES],
        "limit": ATTENTION_LIMIT,
        "actor": actor.pk,
        "ja": (get_language() or "en").startswith("ja"),
    }
    sql = _ATTENTION_SQL.format(
        report=Report._meta.db_table,
        distributor=Distributor._meta.db_table,
        contract=Contract._meta.db_table,
        item=LaunchChecklistItem._meta.db_table,
        checklist=LaunchChecklist._meta.db_table,
        actual=KpiActual._meta.db_table,
        kpi=Kpi._meta.db_table,
        scorecard=Scorecard._meta.db_table,
        plan=CorrectivePlan._meta.db_table,
        verdict=ExclusivityVerdict._meta.db_table,
        scope_line=ScopeLine._meta.db_table,
        territory=Territory._meta.db_table,
        product_line=ProductLine._meta.db_table,
        scope_name=_SCOPE_NAME,
        mine="AND d.owner_id = %(actor)s" if is_cm and scope == "mine" else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    fiscal_start_month = vendor.fiscal_year_start_month
    items = []
    for row in rows:
        kind, ref, _sub, period, day, distributor_id, name, owner_id = row[:8]
        spec = ATTENTION_KINDS[kind]
        url = reverse(
            spec.url_name, args=[vendor.slug, distributor_id if spec.by_distributor else ref]
        )
        if kind == "red_kpi":
            url += f"?period_kind=month&period={period.isoformat()}"
        words = _attention_words(row, today=today, fiscal_start_month=fiscal_start_month)
        items.append(
            AttentionItem(
                kind=kind,
                severity=spec.severity_on(day, today),
                day=day,
                distributor_id=distributor_id,
                distributor_name=name,
                mine=is_cm and owner_id == actor.pk,
                why=str(spec.sentence) % words,
                url=url,
            )
        )
    items.sort(key=lambda i: (not i.mine, i.severity, i.day, i.distributor_name))
    return items
