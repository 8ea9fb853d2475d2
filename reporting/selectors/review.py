"""Reads for reviewing reports: the review inbox, one report's page (versions and reviews), the
reporting-discipline measure and the panels on the distributor page and the staff home."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.db import connection
from django.db.models import Count, F, Field, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import periods, roles
from partners.models import Distributor, Membership, Vendor
from partners.platform.exports import moment_cell, moment_header
from partners.selectors import distributor_name_q
from reporting import measures
from reporting.models import (
    MonthlySummary,
    Report,
    ReportKind,
    ReportReview,
    ReportStatus,
    ReportVersion,
    WeeklyBlockerTag,
    WeeklyUpdate,
)
from reporting.models.reports import AWAITING_REVIEW_STATUSES, HANDED_IN_STATUSES
from reporting.selectors.reports import report_get_for_actor_or_404, report_list_for_actor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WAITING = "waiting"  # the inbox's default: submitted and resubmitted
ALL = "all"
MISSED = "missed"
LATE = "late"
STATUS_FILTERS = (WAITING, ALL, MISSED, LATE, *ReportStatus.values)
DISCIPLINE_WEEKS = 13
# Weekly rows due longer ago than 13 + this many weeks are not read for the 13-week figures.
WINDOW_SLACK_WEEKS = 4


# --- the inbox -----------------------------------------------------------------------------------


@dataclass
class InboxFilters:
    """The inbox's filters as parsed from a query string (bad values are ignored)."""

    distributor: int | None = None
    distributor_name: str = ""  # part of the display or legal name
    country: str = ""
    status: str = WAITING
    kind: str = ""
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    mine: bool = False

    @classmethod
    def from_query(cls, params, *, default_status: str = WAITING) -> InboxFilters:
        def date(name):
            try:
                return dt.date.fromisoformat(params.get(name, "").strip())
            except ValueError:
                return None

        distributor = params.get("distributor", "").strip()
        status = params.get("status", default_status) or ALL
        kind = params.get("kind", "")
        return cls(
            distributor=int(distributor) if distributor.isdigit() else None,
            distributor_name=params.get("q", "").strip()[:100],
            country=params.get("country", "").strip().upper()[:2],
            status=status if status in STATUS_FILTERS else default_status,
            kind=kind if kind in ReportKind.values else "",
            period_from=date("period_from"),
            period_to=date("period_to"),
            mine=params.get("mine", "") in ("1", "on", "true"),
        )

    def query(self) -> dict:
        """The filters as query-string values (for pagination and export links)."""
        return {
            "distributor": self.distributor or "",
            "q": self.distributor_name,
            "country": self.country,
            "status": self.status,
            "kind": self.kind,
            "period_from": self.period_from.isoformat() if self.period_from else "",
            "period_to": self.period_to.isoformat() if self.period_to else "",
            "mine": "1" if self.mine else "",
        }


def _status_q(status: str) -> Q:
    if status == ALL:
        return Q()
    if status == WAITING:
        return Q(status__in=AWAITING_REVIEW_STATUSES)
    if status == MISSED:
        return Q(missed_at__isnull=False)
    if status == LATE:
        return Q(submitted_at__gt=F("due_at"))
    return Q(status=status)


def _filtered(vendor: Vendor, actor: Membership, filters: InboxFilters) -> QuerySet[Report]:
    qs = report_list_for_actor(vendor=vendor, actor=actor)
    if filters.distributor:
        qs = qs.filter(distributor_id=filters.distributor)
    if filters.distributor_name:
        qs = qs.filter(distributor_name_q(filters.distributor_name, path="distributor__"))
    if filters.country:
        qs = qs.filter(distributor__country=filters.country)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.period_from:
        qs = qs.filter(period_end__gte=filters.period_from)
    if filters.period_to:
        qs = qs.filter(period_start__lte=filters.period_to)
    if filters.mine and actor.is_staff_role:
        qs = qs.filter(distributor__owner=actor)
    return qs


def report_inbox(
    *, vendor: Vendor, actor: Membership, filters: InboxFilters | None = None
) -> QuerySet[Report]:
    """Reports within the person's reach narrowed by ``filters`` (default: waiting for review),
    with what a row shows (distributor, its channel manager, who submitted) joined in, so a page
    of rows costs one query whatever its length. Waiting reports come oldest due first (the
    queue); other views newest period first (each order has its index)."""
    filters = filters or InboxFilters()
    qs = (
        _filtered(vendor, actor, filters)
        .filter(_status_q(filters.status))
        .select_related("distributor", "distributor__owner__user", "submitted_by__user")
    )
    if filters.status == WAITING:
        return qs.order_by("due_at", "id")
    return qs.order_by("-period_start", "-id")


# Statuses whose counts the inbox shows: what needs attention. (Acknowledged, late and "all"
# are years of history; counting them on every page view would scan the vendor's reports.)
COUNTED_FILTERS = (
    WAITING,
    ReportStatus.SUBMITTED,
    ReportStatus.RESUBMITTED,
    ReportStatus.RETURNED,
    ReportStatus.DRAFT,
    ReportStatus.PENDING,
    MISSED,
)


def report_inbox_counts(
    *, vendor: Vendor, actor: Membership, filters: InboxFilters | None = None
) -> dict[str, int]:
    """How many reports each status filter that needs attention would show with the other
    filters kept: ``{"waiting": n, "submitted": n, ..., "missed": n}`` (see
    ``COUNTED_FILTERS``). One query of independent scalar counts, each served by its own
    index (the waiting and missed partial indexes, vendor-status-due), so the cost follows the
    counted rows, not the vendor's years of history."""
    filters = filters or InboxFilters()
    base = _filtered(vendor, actor, filters).order_by()

    def count(key):
        # Count the vendor column (in every index) so each count can be an index-only scan.
        rows = base.filter(_status_q(key)).values("vendor").annotate(n=Count("vendor")).values("n")
        return Coalesce(Subquery(rows[:1]), 0)

    row = (
        Vendor.objects.filter(pk=vendor.pk)
        .annotate(**{f"count_{key}": count(key) for key in COUNTED_FILTERS})
        .values(*(f"count_{key}" for key in COUNTED_FILTERS))
        .first()
    ) or {}
    return {key: row.get(f"count_{key}", 0) for key in COUNTED_FILTERS}


def inbox_distributor_get(*, vendor: Vendor, actor: Membership, pk: int | None):
    """The distributor an inbox is narrowed to (``?distributor=<id>``), if within reach."""
    if not pk:
        return None
    qs = Distributor.objects.filter(vendor=vendor, pk=pk)
    if actor.is_distributor_role:
        qs = qs.filter(pk=actor.own_distributor_id)
    return qs.only("id", "name").first()


# --- one report ----------------------------------------------------------------------------------


@dataclass
class ReportPage:
    report: Report
    versions: list[ReportVersion]
    version: ReportVersion | None  # the one shown (latest unless ?version=N)
    data: dict  # the shown content's fields
    reviews: list[ReportReview] = field(default_factory=list)


def report_page(*, vendor: Vendor, actor: Membership, pk, version: int | None = None) -> ReportPage:
    """A report within reach (404 otherwise) with its versions and review history, and the
    content of the version asked for (the latest when ``version`` is None or unknown). Before
    any submission the content is the current draft's (staff see a draft only as "not handed
    in")."""
    report = report_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    versions = list(
        ReportVersion.objects.filter(report=report)
        .select_related("submitted_by__user")
        .order_by("number")
    )
    reviews = list(
        ReportReview.objects.filter(report=report)
        .select_related("author__user")
        .order_by("created_at", "id")
    )
    shown = None
    if versions:
        shown = next((v for v in versions if v.number == version), versions[-1])
    data = dict(shown.data) if shown else {}
    return ReportPage(report=report, versions=versions, version=shown, data=data, reviews=reviews)


def review_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[ReportReview]:
    """Review steps on the reports the person reaches, newest first."""
    reports = report_list_for_actor(vendor=vendor, actor=actor)
    return (
        ReportReview.objects.filter(vendor=vendor, report__in=reports.values("id"))
        .select_related("author__user", "report")
        .order_by("-created_at", "-id")
    )


# --- export ----------------------------------------------------------------------------------------


WEEKLY_CONTENT_FIELDS = [
    f.name
    for f in WeeklyUpdate._meta.concrete_fields
    if f.name not in ("id", "vendor", "report", "updated_at")
]
MONTHLY_CONTENT_FIELDS = [
    f.name
    for f in MonthlySummary._meta.concrete_fields
    if f.name not in ("id", "vendor", "report", "updated_at")
]


def _display(name: str, value):
    """A content value as a reader sees it (blockers as "tag: text", lists joined)."""
    if value is None or value == "":
        return ""
    if name == "blockers" and isinstance(value, list):
        tags = dict(WeeklyBlockerTag.choices)
        return "; ".join(
            f"{tags.get(b.get('tag', ''), b.get('tag', ''))}: {b.get('text', '')}"
            if isinstance(b, dict)
            else str(b)
            for b in value
        )
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def content_rows(kind: str, data: dict) -> list[tuple[StrOrPromise, object, str]]:
    """``(label, value, field name)`` of every content field of a ``kind`` report, from a
    version's ``data`` (missing fields are empty)."""
    model, names = (
        (WeeklyUpdate, WEEKLY_CONTENT_FIELDS)
        if kind == ReportKind.WEEKLY
        else (MonthlySummary, MONTHLY_CONTENT_FIELDS)
    )
    rows = []
    for name in names:
        raw = data.get(name)
        value = (raw or []) if name in ("blockers", "priorities") else _display(name, raw)
        rows.append((cast(Field, model._meta.get_field(name)).verbose_name, value, name))
    return rows


def report_export_table(
    *, vendor: Vendor, actor: Membership, filters: InboxFilters
) -> tuple[list[str], list[list]]:
    """Header and rows of the export of the reports the inbox ``filters`` select (one query):
    the report's columns, then every weekly and monthly content column from its latest
    submission (empty for a report not handed in, or of the other kind)."""
    latest = ReportVersion.objects.filter(
        report=OuterRef("pk"), number=OuterRef("version_count")
    ).values("data")[:1]
    qs = (
        report_inbox(vendor=vendor, actor=actor, filters=filters)
        .annotate(latest_data=Subquery(latest))
        .order_by("period_start", "distributor__name", "kind", "id")
    )
    header = [
        str(_("Distributor")),
        str(_("Country")),
        str(_("Kind")),
        str(_("Period from")),
        str(_("Period to")),
        moment_header(_("Due")),
        str(_("Status")),
        moment_header(_("First submitted")),
        moment_header(_("Last submitted")),
        str(_("Late")),
        moment_header(_("Missed")),
        str(_("Versions")),
        *(
            f"{_('Weekly')}: {cast(Field, WeeklyUpdate._meta.get_field(n)).verbose_name}"
            for n in WEEKLY_CONTENT_FIELDS
        ),
        *(
            f"{_('Monthly')}: {cast(Field, MonthlySummary._meta.get_field(n)).verbose_name}"
            for n in MONTHLY_CONTENT_FIELDS
        ),
    ]
    yes, no = str(_("yes")), str(_("no"))
    moment = moment_cell

    rows = []
    for report in qs.iterator(chunk_size=2000):
        data = report.latest_data or {}
        weekly = report.kind == ReportKind.WEEKLY
        rows.append(
            [
                report.distributor.name,
                report.distributor.country,
                str(report.get_kind_display()),
                report.period_start.isoformat(),
                report.period_end.isoformat(),
                moment(report.due_at),
                str(report.get_status_display()),
                moment(report.submitted_at),
                moment(report.last_submitted_at),
                yes if report.is_late else no,
                moment(report.missed_at),
                report.version_count,
                *(_cell(n, data.get(n)) if weekly else "" for n in WEEKLY_CONTENT_FIELDS),
                *("" if weekly else _cell(n, data.get(n)) for n in MONTHLY_CONTENT_FIELDS),
            ]
        )
    return header, rows


def _cell(name: str, value):
    value = _display(name, value)
    if isinstance(value, int | float | str):
        return value
    return str(value)


# --- reporting discipline --------------------------------------------------------------------------


@dataclass(frozen=True)
class Discipline:
    """One distributor's reporting discipline (see ``reporting_discipline``)."""

    distributor_id: int
    weeks_due: int = 0
    weeks_on_time: int = 0
    weeks_late: int = 0
    weeks_missed: int = 0
    quarter_start: dt.date | None = None
    quarter_weeks_due: int = 0
    quarter_on_time: int = 0
    quarter_late: int = 0
    quarter_missed: int = 0
    months_due: int = 0
    months_handed_in: int = 0
    months_missed: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def weeks_on_time_rate(self) -> float | None:
        """Share of the last 13 weekly updates due that came in on time (None: none due)."""
        return self._rate(self.weeks_on_time, self.weeks_due)

    @property
    def quarter_on_time_rate(self) -> float | None:
        return self._rate(self.quarter_on_time, self.quarter_weeks_due)

    @property
    def weeks_on_time_percent(self) -> int | None:
        rate = self.weeks_on_time_rate
        return None if rate is None else round(rate * 100)

    @property
    def quarter_on_time_percent(self) -> int | None:
        rate = self.quarter_on_time_rate
        return None if rate is None else round(rate * 100)


_AS_OF = "%(as_of)s"
_DISCIPLINE_SQL = """
WITH weekly AS (
    SELECT r.distributor_id, r.kind, r.period_start, r.due_at, r.submitted_at, r.missed_at,
           row_number() OVER (PARTITION BY r.distributor_id ORDER BY r.period_start DESC) AS rn
      FROM {report} r
     WHERE r.vendor_id = %(vendor)s AND r.kind = 'weekly' AND {due}
       AND (r.due_at >= %(recent)s OR r.period_start >= %(q_start)s) {only_r}
),
weekly_totals AS (
    SELECT w.distributor_id,
           count(*) FILTER (WHERE rn <= %(weeks)s) AS weeks_due,
           count(*) FILTER (WHERE rn <= %(weeks)s AND {w_on_time}) AS weeks_on_time,
           count(*) FILTER (WHERE rn <= %(weeks)s AND {w_late}) AS weeks_late,
           count(*) FILTER (WHERE rn <= %(weeks)s AND {w_missed}) AS weeks_missed,
           count(*) FILTER (WHERE {w_quarter}) AS quarter_weeks_due,
           count(*) FILTER (WHERE {w_quarter} AND {w_on_time}) AS quarter_on_time,
           count(*) FILTER (WHERE {w_quarter} AND {w_late}) AS quarter_late,
           count(*) FILTER (WHERE {w_quarter} AND {w_missed}) AS quarter_missed
      FROM weekly w
     GROUP BY w.distributor_id
),
monthly_totals AS (
    SELECT r.distributor_id,
           count(*) FILTER (WHERE {due}) AS months_due,
           count(*) FILTER (WHERE {handed_in}) AS months_handed_in,
           count(*) FILTER (WHERE {missed}) AS months_missed
      FROM {report} r
      JOIN {distributor} rd ON rd.id = r.distributor_id AND rd.vendor_id = r.vendor_id
     WHERE r.vendor_id = %(vendor)s AND {m_quarter} {only_r}
     GROUP BY r.distributor_id
)
SELECT d.id,
       coalesce(w.weeks_due, 0), coalesce(w.weeks_on_time, 0), coalesce(w.weeks_late, 0),
       coalesce(w.weeks_missed, 0), coalesce(w.quarter_weeks_due, 0),
       coalesce(w.quarter_on_time, 0), coalesce(w.quarter_late, 0),
       coalesce(w.quarter_missed, 0), coalesce(m.months_due, 0),
       coalesce(m.months_handed_in, 0), coalesce(m.months_missed, 0)
  FROM {distributor} d
  LEFT JOIN weekly_totals w ON w.distributor_id = d.id
  LEFT JOIN monthly_totals m ON m.distributor_id = d.id
 WHERE d.vendor_id = %(vendor)s {only}
 ORDER BY d.id
"""
# The measures of ``reporting.measures``, over the report rows (``r``) and the due weekly rows
# (``w``) of the statement above.
_DISCIPLINE_MEASURES = {
    "due": measures.due("r", _AS_OF),
    "handed_in": measures.handed_in("r", _AS_OF),
    "missed": measures.missed("r", _AS_OF),
    "w_on_time": measures.on_time("w", _AS_OF),
    "w_late": measures.late("w", _AS_OF),
    "w_missed": measures.missed("w", _AS_OF),
    "w_quarter": measures.weekly_in("w", "%(q_start)s", "%(q_next)s"),
    "m_quarter": measures.monthly_in("r", "rd.time_zone", "%(q_start)s", "%(q_next)s"),
}


def reporting_discipline(
    *,
    vendor: Vendor,
    actor: Membership,
    as_of: dt.datetime | None = None,
    distributor_ids=None,
    quarter_start: dt.date | None = None,
) -> dict[int, Discipline]:
    """Reporting discipline of every distributor within reach (or of ``distributor_ids`` among
    them), in one set-based SQL statement.

    What counts as due, on time, late, handed in and missed, and which reports belong to a
    quarter, is the rule of ``reporting.measures`` (the scorecard KPIs use the same), as of
    ``as_of`` (default: now):

    * **13 weeks**: each distributor's last 13 weekly updates due (by period, newest first),
      among those due in the last 17 weeks (fewer when fewer rows exist, e.g. a distributor
      that has not been reporting for long).
    * **on time**, **late**, **missed**: a report can be both missed and, if handed in
      afterwards, late. Due reports that are none of these are overdue but still within grace.
    * **on-time rate**: on time / due (None when nothing was due).
    * **quarter**: the vendor's *fiscal* quarter holding ``as_of``'s date (or the quarter
      beginning ``quarter_start``): its weekly updates due, and its monthly summaries due
      (those falling due in it), with how many were handed in and how many missed.
    """
    as_of = as_of or timezone.now()
    if quarter_start is None:
        quarter_start = periods.quarter_start(
            timezone.localdate(as_of), vendor.fiscal_year_start_month
        )
    params: dict[str, Any] = {
        "vendor": vendor.id,
        "as_of": as_of,
        "weeks": DISCIPLINE_WEEKS,
        "q_start": quarter_start,
        "q_next": periods.period_shift(periods.QUARTER, quarter_start, 1),
        # Only recent rows can be among the last 13 weeks (the window function then ranks a
        # few dozen rows per distributor, not years of them).
        "recent": as_of - dt.timedelta(weeks=DISCIPLINE_WEEKS + WINDOW_SLACK_WEEKS),
    }
    only = only_r = ""
    if actor.is_distributor_role:
        params["ids"] = [actor.distributor_id]
        only, only_r = "AND d.id = ANY(%(ids)s)", "AND r.distributor_id = ANY(%(ids)s)"
    if distributor_ids is not None:
        params["only_ids"] = [int(i) for i in distributor_ids]
        only += " AND d.id = ANY(%(only_ids)s)"
        only_r += " AND r.distributor_id = ANY(%(only_ids)s)"
    sql = _DISCIPLINE_SQL.format(
        report=Report._meta.db_table,
        distributor=Distributor._meta.db_table,
        only=only,
        only_r=only_r,
        **_DISCIPLINE_MEASURES,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        row[0]: Discipline(
            distributor_id=row[0],
            weeks_due=row[1],
            weeks_on_time=row[2],
            weeks_late=row[3],
            weeks_missed=row[4],
            quarter_start=quarter_start,
            quarter_weeks_due=row[5],
            quarter_on_time=row[6],
            quarter_late=row[7],
            quarter_missed=row[8],
            months_due=row[9],
            months_handed_in=row[10],
            months_missed=row[11],
        )
        for row in rows
    }


# --- panels ------------------------------------------------------------------------------------------


def distributor_reporting_panel(*, vendor: Vendor, actor: Membership, distributor) -> dict:
    """The "Reporting" panel of a distributor's page: discipline figures (the quarter named as
    the scorecard and exclusivity panels name it), missed reports and the latest reports."""
    fiscal = vendor.fiscal_year_start_month
    quarter = periods.quarter_start(timezone.localdate(), fiscal)
    discipline = reporting_discipline(
        vendor=vendor, actor=actor, distributor_ids=[distributor.pk], quarter_start=quarter
    ).get(distributor.pk) or Discipline(distributor_id=distributor.pk, quarter_start=quarter)
    reports = report_list_for_actor(vendor=vendor, actor=actor).filter(distributor=distributor)
    return {
        "distributor": distributor,
        "discipline": discipline,
        "quarter_label": periods.fiscal_quarter_label(quarter, fiscal),
        "missed_reports": list(
            reports.filter(missed_at__isnull=False).order_by("-period_start")[:5]
        ),
        "latest_reports": list(reports.order_by("-period_start", "kind", "id")[:6]),
    }


def staff_reporting_panel(*, vendor: Vendor, actor: Membership, **_) -> dict | None:
    """The "Reporting" panel of the staff home: reports waiting for review, missed reports (a
    channel manager's own distributors; vendor admins and executives: all) and reports
    returned and not yet resubmitted."""
    if not actor.is_staff_role:
        return None
    reports = report_list_for_actor(vendor=vendor, actor=actor)
    mine = reports.filter(distributor__owner=actor) if roles.is_channel_manager(actor) else reports
    counts = report_inbox_counts(vendor=vendor, actor=actor, filters=InboxFilters(status=ALL))
    missed = list(
        mine.filter(missed_at__isnull=False)
        .exclude(status__in=HANDED_IN_STATUSES)
        .select_related("distributor")
        .order_by("-due_at", "id")[:10]
    )
    returned = list(
        reports.filter(status=ReportStatus.RETURNED)
        .select_related("distributor")
        .order_by("reviewed_at", "id")[:10]
    )
    return {
        "waiting_count": counts[WAITING],
        "returned_count": counts[ReportStatus.RETURNED],
        "missed_reports": missed,
        "returned_reports": returned,
        "only_mine": roles.is_channel_manager(actor),
    }
