"""One calendar and one set of reporting measures: the period arithmetic of ``partners.periods``,
and reporting discipline's "this quarter" figures held equal to the scorecard KPIs of the same
fiscal quarter as of the same moment (``reporting.measures`` defines both)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from partners import periods
from partners.models import Distributor, Vendor
from partners.platform.scope import tenant_scope
from reporting.measures import percent, report_measures
from reporting.models import Report, ReportStatus
from reporting.selectors.review import reporting_discipline
from scorecards.models import KpiActual
from scorecards.services.catalogue import kpi_catalogue_seed
from scorecards.services.compute import scorecards_compute
from tests.conftest import VENDOR_ADMIN

UTC = dt.UTC

# --- period arithmetic ---------------------------------------------------------------------


def test_fiscal_quarters_of_a_year_starting_in_april():
    april = 4
    assert periods.quarter_start(dt.date(2026, 5, 20), april) == dt.date(2026, 4, 1)
    assert periods.quarter_start(dt.date(2026, 3, 31), april) == dt.date(2026, 1, 1)
    assert periods.quarter_start(dt.date(2026, 1, 1), april) == dt.date(2026, 1, 1)
    # January to March closes the fiscal year that started the April before.
    assert periods.fiscal_quarter_label(dt.date(2026, 1, 1), april) == "FY2025 Q4"
    assert periods.fiscal_quarter_label(dt.date(2026, 4, 1), april) == "FY2026 Q1"
    assert periods.period_end(periods.QUARTER, dt.date(2026, 1, 1)) == dt.date(2026, 3, 31)
    assert periods.quarters_between(dt.date(2026, 3, 31), dt.date(2026, 4, 1), april) == 1
    # A May start is not a calendar quarter at all: July belongs to May's quarter.
    assert periods.quarter_start(dt.date(2026, 7, 31), 5) == dt.date(2026, 5, 1)
    assert periods.period_start(periods.QUARTER, dt.date(2026, 8, 1), 5) == dt.date(2026, 8, 1)


def test_week_and_month_ends():
    monday = dt.date(2026, 3, 23)
    assert periods.week_start(dt.date(2026, 3, 29)) == monday  # a Sunday
    assert periods.period_start(periods.WEEK, dt.date(2026, 3, 25)) == monday
    assert periods.period_end(periods.WEEK, monday) == dt.date(2026, 3, 29)
    assert periods.period_shift(periods.WEEK, monday, -2) == dt.date(2026, 3, 9)
    assert periods.period_end(periods.MONTH, dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert periods.period_end(periods.MONTH, dt.date(2026, 2, 1)) == dt.date(2026, 2, 28)
    assert periods.period_end(periods.MONTH, dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
    assert periods.next_month_start(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)


def test_add_months_goes_to_the_first_add_months_same_day_keeps_the_day():
    assert periods.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 1)
    assert periods.add_months_same_day(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert periods.add_months(dt.date(2025, 11, 15), 14) == dt.date(2027, 1, 1)
    assert periods.add_months_same_day(dt.date(2025, 11, 15), 14) == dt.date(2027, 1, 15)
    assert periods.add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 1)
    assert periods.add_months_same_day(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
    assert periods.add_months_same_day(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_local_date_is_the_date_where_the_zone_is():
    moment = dt.datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert periods.local_date(moment, ZoneInfo("Asia/Tokyo")) == dt.date(2026, 4, 1)
    assert periods.local_date(moment, ZoneInfo("America/New_York")) == dt.date(2026, 3, 31)
    tokyo = Distributor(time_zone="Asia/Tokyo")
    with time_machine.travel(moment, tick=False):
        assert tokyo.local_today() == dt.date(2026, 4, 1)


# --- one definition of "this quarter on time" ------------------------------------------------


def _report(vendor, distributor, kind, start, due, *, submitted=None, status=None, missed=None):
    """A report due at ``due``, first handed in at ``submitted`` (None: not handed in)."""
    end = periods.period_end(periods.WEEK if kind == "weekly" else periods.MONTH, start)
    if status is None:
        status = ReportStatus.SUBMITTED if submitted else ReportStatus.PENDING
    return Report.objects.create(
        vendor=vendor,
        distributor=distributor,
        kind=kind,
        period_start=start,
        period_end=end,
        due_at=due,
        submitted_at=submitted,
        status=status,
        missed_at=missed,
    )


def _reports_of_a_quarter(vendor, distributor, q_start: dt.date, as_of: dt.datetime) -> None:
    """Weekly updates on time, late, missed, overdue, returned, handed in early and not yet due,
    one of the week before the quarter; monthly summaries handed in, missed, late and not yet
    due. Due moments are noon in Tokyo (03:00 UTC)."""
    hour = dt.timedelta(hours=1)

    def due_after(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(3), tzinfo=UTC)

    def weekly(monday: dt.date, outcome: str) -> None:
        due = due_after(monday + dt.timedelta(days=7))
        kwargs = {
            "on_time": {"submitted": due - 3 * hour},
            "late": {"submitted": due + 30 * hour},
            "missed": {"missed": due + 72 * hour},
            "overdue": {},
            "returned": {"submitted": due - hour, "status": ReportStatus.RETURNED},
            "early": {"submitted": as_of - hour},
            "not_yet_due": {"status": ReportStatus.DRAFT},
        }[outcome]
        _report(vendor, distributor, "weekly", monday, due, **kwargs)

    first = periods.week_start(q_start + dt.timedelta(days=6))  # the quarter's first Monday
    weekly(first - dt.timedelta(weeks=1), "on_time")  # starts in the previous quarter
    outcomes = ["on_time", "late", "missed", "on_time", "returned", "late", "on_time", "overdue"]
    for n, outcome in enumerate(outcomes):
        weekly(first + dt.timedelta(weeks=n), outcome)
    current = periods.week_start(as_of.date())
    assert first + dt.timedelta(weeks=len(outcomes)) < current - dt.timedelta(weeks=1)
    weekly(current - dt.timedelta(weeks=1), "early")  # due after as_of, handed in before
    weekly(current - dt.timedelta(weeks=2), "on_time")
    weekly(current, "not_yet_due")

    def monthly(month: dt.date, **kwargs) -> None:
        due = due_after(periods.next_month_start(month) + dt.timedelta(days=4))
        _report(vendor, distributor, "monthly", month, due, **kwargs)

    before = periods.add_months(q_start, -1)
    monthly(before, submitted=due_after(q_start + dt.timedelta(days=2)))  # falls due in Q
    monthly(q_start, missed=due_after(periods.add_months(q_start, 1) + dt.timedelta(days=10)))
    second = periods.add_months(q_start, 1)
    monthly(second, submitted=due_after(periods.add_months(q_start, 2) + dt.timedelta(days=6)))
    monthly(periods.add_months(q_start, 2), status=ReportStatus.DRAFT)  # due after the quarter


@pytest.mark.parametrize("fiscal_start", [4, 5], ids=["april", "may"])
def test_discipline_this_quarter_equals_the_scorecard_kpis_of_the_fiscal_quarter(
    world, fiscal_start
):
    """The distributor page shows reporting discipline and the scorecard side by side: for the
    same fiscal quarter as of the same moment, their weekly on-time and monthly handed-in
    figures are the same numbers."""
    a = world.a
    vendor, d1, d2 = a.vendor, a.d1, a.d2
    Vendor.objects.filter(pk=vendor.pk).update(fiscal_year_start_month=fiscal_start)
    vendor.refresh_from_db()
    q_start = dt.date(2026, fiscal_start, 1)
    # A Monday morning: last week's update falls due at noon in Tokyo, an hour later.
    monday = periods.week_start(q_start + dt.timedelta(days=75))
    as_of = dt.datetime.combine(monday, dt.time(2), tzinfo=UTC)
    with tenant_scope(vendor.id):
        Distributor.objects.filter(pk__in=[d1.pk, d2.pk]).update(status="active")
        kpi_catalogue_seed(vendor=vendor)
        _reports_of_a_quarter(vendor, d1, q_start, as_of)

    with time_machine.travel(as_of, tick=False):
        scorecards_compute(vendor_id=vendor.id, period_kind="quarter", period_start=q_start)
        with tenant_scope(vendor.id):
            discipline = reporting_discipline(vendor=vendor, actor=a.member(VENDOR_ADMIN))
            measured = report_measures(
                vendor=vendor,
                start=q_start,
                next_start=periods.period_shift(periods.QUARTER, q_start, 1),
            )
            kpis = {
                (row.distributor_id, row.kpi.source): row.value
                for row in KpiActual.objects.filter(
                    period_kind="quarter",
                    period_start=q_start,
                    kpi__source__in=["weekly_on_time", "monthly_review"],
                ).select_related("kpi")
            }

    d = discipline[d1.pk]
    assert d.quarter_start == q_start
    # Due: 9 weeks of the quarter whose due moment passed, and the one handed in early; on
    # time: four, the returned one (handed in on time) and the early one.
    assert (d.quarter_weeks_due, d.quarter_on_time, d.quarter_late, d.quarter_missed) == (
        10, 6, 2, 1,
    )  # fmt: skip
    # Monthly: falling due in the quarter by as_of: the month before's, the first and second
    # month's (handed in, missed, late); the third month's falls due after the quarter.
    assert (d.months_due, d.months_handed_in, d.months_missed) == (3, 2, 1)
    m = measured[d1.pk]
    assert (m.weekly_due, m.weekly_on_time, m.monthly_due, m.monthly_handed_in, m.returned) == (
        10, 6, 3, 2, 1,
    )  # fmt: skip

    for distributor in (d1, d2):
        disc = discipline[distributor.pk]
        weekly = percent(disc.quarter_on_time, disc.quarter_weeks_due)
        monthly = percent(disc.months_handed_in, disc.months_due)
        assert kpis[(distributor.pk, "weekly_on_time")] == weekly
        assert kpis[(distributor.pk, "monthly_review")] == monthly
    assert kpis[(d1.pk, "weekly_on_time")] == m.weekly_on_time_percent == percent(6, 10)
    assert kpis[(d1.pk, "monthly_review")] == m.monthly_handed_in_percent == percent(2, 3)
    assert kpis[(d2.pk, "weekly_on_time")] is None  # nothing due: no figure, not 0 %


def test_a_report_counts_as_due_once_its_moment_passed_or_it_was_handed_in(world):
    """The rule, as of a moment: not yet due and not handed in does not count; handed in early
    counts at once; a moment earlier than the hand-in does not see it."""
    a = world.a
    monday = dt.date(2026, 3, 2)
    due = dt.datetime(2026, 3, 9, 3, tzinfo=UTC)
    handed = dt.datetime(2026, 3, 7, 3, tzinfo=UTC)
    with tenant_scope(a.vendor.id):
        _report(a.vendor, a.d1, "weekly", monday, due, submitted=handed)
        _report(a.vendor, a.d2, "weekly", monday, due)

        def counts(as_of):
            got = report_measures(
                vendor=a.vendor, start=monday, next_start=dt.date(2026, 4, 1), as_of=as_of
            )
            return {d: (m.weekly_due, m.weekly_on_time) for d, m in got.items()}

        assert counts(handed - dt.timedelta(hours=1)) == {a.d1.pk: (0, 0), a.d2.pk: (0, 0)}
        assert counts(handed) == {a.d1.pk: (1, 1), a.d2.pk: (0, 0)}
        assert counts(due + dt.timedelta(seconds=1)) == {a.d1.pk: (1, 1), a.d2.pk: (1, 0)}


@time_machine.travel(dt.datetime(2026, 12, 7, 3, tzinfo=UTC), tick=False)
def test_distributor_page_names_the_fiscal_quarter_it_counts(client, world):
    a = world.a
    Vendor.objects.filter(pk=a.vendor.pk).update(fiscal_year_start_month=4)
    client.force_login(a.user(VENDOR_ADMIN))
    page = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert 'On time, this quarter <span class="muted">FY2026 Q3</span>' in page
    assert 'Monthly summaries this quarter <span class="muted">FY2026 Q3</span>' in page
