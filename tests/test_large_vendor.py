"""The large-vendor generator at a tiny size, and the scorecards demo seed.

The generator's data must hang together the way the real services would leave it: every row in
the vendor, sales lines pointing at outlets of their own distributor, one report per
distributor, kind and period with its content when handed in, targets ordered and ramped, and
nothing visible from another vendor's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_scopes import ScopeError

from partners.models import Distributor, Membership, Role, Vendor
from partners.platform.scope import tenant_scope
from reporting.models import MonthlySummary, Outlet, Report, SalesLine, WeeklyUpdate
from scorecards.demo.largevendor import LargeVendorSpec, large_vendor_generate
from scorecards.models import ExchangeRate, KpiEntry, ScorecardTemplate, Target

TODAY = dt.date(2026, 3, 18)
SPEC = LargeVendorSpec(
    distributors=6,
    months=2,
    sales_lines=500,
    outlets=40,
    slug="tiny-lv",
    today=TODAY,
    channel_managers=2,
)


def _generate(spec=SPEC):
    return large_vendor_generate(spec=spec, log=lambda _m: None)


def _scalar(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.fixture
def tiny(world):
    return _generate()


def test_generates_every_kind_of_row(tiny):
    counts = tiny.counts
    assert counts["distributors"] == 6
    for name in ("reports", "weekly_updates", "outlets", "targets", "exchange_rates"):
        assert counts[name] > 0, name
    # Lines are allocated by chance per distributor and month: about the number asked for.
    assert 400 <= counts["sales_lines"] <= 600
    with tenant_scope(tiny.vendor.id):
        assert Distributor.objects.count() == 6
        assert SalesLine.objects.count() == counts["sales_lines"]
        assert Report.objects.count() == counts["reports"]
        assert Target.objects.count() == counts["targets"]
        roles = set(Membership.objects.values_list("role", flat=True))
        assert roles == {r.value for r in Role}
        assert Membership.objects.filter(role=Role.CHANNEL_MANAGER).count() == 2
        assert ScorecardTemplate.objects.filter(countries__contains=["JP"]).exists()
    with tenant_scope(tiny.vendor.id):
        countries = set(Distributor.objects.values_list("country", flat=True))
        japanese = Distributor.objects.filter(country="JP")
        assert len(countries) >= 4 and japanese.exists()
        assert all(any("\u3040" <= ch <= "\u9fff" for ch in d.name) for d in japanese)
    emails = [email for email, _role, _d in tiny.logins]
    assert "admin@tiny-lv.example" in emails and "du@tiny-lv.example" in emails


def test_rows_point_inside_the_vendor(tiny):
    v = tiny.vendor.id
    with tenant_scope(v):
        for table in ("reporting_report", "reporting_outlet", "reporting_salesline",
                      "scorecards_target", "scorecards_kpientry"):  # fmt: skip
            # A row whose distributor is not visible in this scope would join to nothing.
            orphans = _scalar(
                f"SELECT count(*) FROM {table} t LEFT JOIN partners_distributor d"  # noqa: S608
                " ON d.id = t.distributor_id AND d.vendor_id = t.vendor_id"
                " WHERE d.id IS NULL OR t.vendor_id <> %s",
                [v],
            )
            assert orphans == 0, table
        # Sales lines reference an outlet of the same distributor.
        assert SalesLine.objects.filter(outlet__isnull=True).count() == 0
        assert (
            _scalar(
                "SELECT count(*) FROM reporting_salesline l LEFT JOIN reporting_outlet o"
                " ON o.id = l.outlet_id WHERE o.id IS NULL OR o.distributor_id <> l.distributor_id"
            )
            == 0
        )
        # Billed dates follow the lines, as the import keeps them.
        billed = Outlet.objects.exclude(first_billed_on=None).first()
        lines = SalesLine.objects.filter(outlet=billed).order_by("invoice_date")
        assert billed.first_billed_on == lines.first().invoice_date
        assert billed.last_billed_on == lines.last().invoice_date
        # Invoice lines are unique per distributor (the import's key).
        assert (
            _scalar(
                "SELECT count(*) FROM (SELECT 1 FROM reporting_salesline GROUP BY distributor_id,"
                " invoice_number, line_number HAVING count(*) > 1) dup"
            )
            == 0
        )
        # Nothing dated in the future.
        assert not SalesLine.objects.filter(invoice_date__gte=TODAY).exists()


def test_contracts_with_exclusive_scope_lines_and_clauses(tiny):
    from partners.models import Contract, PerformanceClause, ScopeLine

    counts = tiny.counts
    assert counts["contracts"] > 0 and counts["scope_lines"] >= counts["contracts"]
    with tenant_scope(tiny.vendor.id):
        assert Contract.objects.count() == counts["contracts"]
        for contract in Contract.objects.select_related("distributor"):
            lines = list(contract.scope_lines.all())
            assert 1 <= len(lines) <= 3
            # Launch is the first 90 days, non-exclusive; exclusivity starts the day after.
            assert (contract.launch_ends_on - contract.starts_on).days == 89
            for line in lines:
                assert line.distributor_id == contract.distributor_id
                assert line.territory.country == contract.distributor.country
                if line.exclusive_from:
                    assert line.exclusive_from == contract.conditional_starts_on
                    clause = PerformanceClause.objects.get(scope_line=line)
                    assert clause.amount > 0 and clause.currency == contract.distributor.currency
            kinds = set(contract.clauses.values_list("kind", flat=True))
            assert {"min_on_time_reporting", "qbr_attendance"} <= kinds
        assert ScopeLine.objects.exclude(exclusive_from=None).count() == counts["exclusive_lines"]
        # QBRs in the middle of quarters, only for distributors that trade.
        from scorecards.models import QbrMeeting

        assert QbrMeeting.objects.count() == counts["qbr_meetings"] > 0
        for meeting in QbrMeeting.objects.select_related("distributor"):
            assert meeting.held_on < TODAY and meeting.held_on.month % 3 == 2
            assert meeting.distributor.status != "terminated"


def test_one_report_per_distributor_kind_and_period_with_content(tiny):
    with tenant_scope(tiny.vendor.id):
        assert (
            _scalar(
                "SELECT count(*) FROM (SELECT 1 FROM reporting_report GROUP BY distributor_id, kind,"
                " period_start HAVING count(*) > 1) dup"
            )
            == 0
        )
        weekly = Report.objects.filter(kind="weekly")
        assert all(r.period_start.weekday() == 0 for r in weekly)
        assert all(r.period_end < TODAY for r in Report.objects.all())
        assert all(r.period_start.day == 1 for r in Report.objects.filter(kind="monthly"))
        handed_in = Report.objects.exclude(submitted_at=None)
        assert WeeklyUpdate.objects.count() == handed_in.filter(kind="weekly").count()
        assert MonthlySummary.objects.count() == handed_in.filter(kind="monthly").count()
        # Due moments come from the calendar: after the period, on a weekday.
        for report in Report.objects.all():
            assert report.due_at.date() > report.period_end
        assert not Report.objects.filter(missed_at__isnull=False, submitted_at__isnull=False)
        # Mostly on time.
        on_time = sum(1 for r in handed_in if r.submitted_at <= r.due_at)
        assert on_time >= handed_in.count() * 0.6


def test_targets_are_ordered_and_ramped_consistently(tiny):
    with tenant_scope(tiny.vendor.id):
        targets = list(Target.objects.all())
        assert targets
        for t in targets:
            assert t.base <= t.stretch <= t.exceed
            assert t.full_base <= t.full_stretch <= t.full_exceed
            assert Decimal(0) < t.ramp_percent <= 100
            assert abs(t.full_base * t.ramp_percent / 100 - t.base) < Decimal("0.01")
        kinds = {t.period_kind for t in targets}
        assert kinds == {"month", "quarter"}
        assert all(e.value >= 0 for e in KpiEntry.objects.all())
        assert ExchangeRate.objects.get(currency="USD", period_start=dt.date(2026, 3, 1)).rate == 1


def test_ramps_apply_to_distributors_that_went_active_recently(world):
    result = _generate(
        LargeVendorSpec(distributors=40, months=12, sales_lines=3000, outlets=200,
                        slug="ramp-lv", today=TODAY, channel_managers=1, seed=3)
    )  # fmt: skip
    with tenant_scope(result.vendor.id):
        ramped = Target.objects.filter(ramp_percent__lt=100)
        assert ramped.exists()
        assert ramped.filter(distributor__country="JP", ramp_percent=25).exists() or (
            ramped.exclude(distributor__country="JP").filter(ramp_percent=40).exists()
        )


def test_other_vendors_scope_sees_nothing(tiny, world):
    with tenant_scope(world.b.vendor.id):
        assert SalesLine.objects.count() == 0
        assert Report.objects.count() == 0
        # Row-level security, without the ORM's wall.
        assert _scalar("SELECT count(*) FROM reporting_salesline") == 0
        assert _scalar("SELECT count(*) FROM scorecards_target") == 0
    with pytest.raises(ScopeError):
        SalesLine.objects.count()


def test_generating_again_replaces_only_its_own_vendor(tiny, world):
    first = dict(tiny.counts)
    again = _generate()
    assert again.counts == first
    assert Vendor.objects.filter(slug=SPEC.slug).count() == 1
    with tenant_scope(world.a.vendor.id):
        assert Distributor.objects.count() == 2  # the other workspaces are untouched
    with tenant_scope(again.vendor.id):
        assert Distributor.objects.count() == 6


def test_command_refuses_without_debug_unless_forced(world, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("large_vendor", "--distributors", "2", "--months", "1", "--slug", "cmd-lv")
    assert not Vendor.objects.filter(slug="cmd-lv").exists()


def test_command_runs_with_force(world, capsys):
    call_command(
        "large_vendor", "--distributors", "3", "--months", "1", "--sales-lines", "50",
        "--outlets", "10", "--slug", "cmd-lv", "--force", "--no-compute",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "admin@cmd-lv.example" in out and "sales_lines" in out
    assert Vendor.objects.filter(slug="cmd-lv").exists()


def test_command_analyses_the_scorecard_tables_after_computing_them(world, monkeypatch):
    """Statistics taken before the scorecards exist describe empty tables, and the portfolio
    was then planned for empty tables: the tables the compute wrote are analysed again."""
    from scorecards.demo.largevendor import SCORECARD_TABLES, tables_analyze
    from scorecards.management.commands import large_vendor as command

    steps = []
    monkeypatch.setattr(
        command, "tables_analyze", lambda tables=(): steps.append(("analyze", tables))
    )
    monkeypatch.setattr(
        command, "scorecards_compute_all", lambda **kw: steps.append(("compute", ())) or 0
    )
    call_command(
        "large_vendor", "--distributors", "2", "--months", "1", "--sales-lines", "20",
        "--outlets", "5", "--slug", "cmd-lv", "--force",
    )  # fmt: skip
    assert steps == [("analyze", ()), ("compute", ()), ("analyze", SCORECARD_TABLES)]
    tables_analyze(SCORECARD_TABLES)  # the statement runs as the owner role


# --- the demo seed -------------------------------------------------------------------------


@pytest.fixture
def demo_vendor(world):
    vendor = world.a.vendor
    recent = dt.date.today() - dt.timedelta(days=40)
    with tenant_scope(vendor.id):
        Distributor.objects.filter(pk=world.a.d1.pk).update(
            status="active", status_changed_on=recent
        )
        Distributor.objects.filter(pk=world.a.d2.pk).update(
            status="active", status_changed_on=dt.date(2020, 1, 1)
        )
    return world.a


def test_demo_seed_targets_templates_entries_and_rates(demo_vendor):
    from scorecards.demo.seed import DEMO_MONTHS, DEMO_QUARTERS, demo_seed

    vendor = demo_vendor.vendor
    added = demo_seed(vendor)
    assert added > 0
    with tenant_scope(vendor.id):
        assert ScorecardTemplate.objects.filter(is_default=True).count() == 1
        japan = ScorecardTemplate.objects.get(countries__contains=["JP"])
        assert 6 <= japan.template_kpis.count() <= 10
        d1_targets = Target.objects.filter(distributor=demo_vendor.d1)
        months = d1_targets.filter(period_kind="month").values("period_start").distinct().count()
        quarters = d1_targets.filter(period_kind="quarter").values("period_start").distinct()
        assert months == DEMO_MONTHS and quarters.count() == DEMO_QUARTERS
        # The Japanese distributor is scored on the Japan template; it went active recently,
        # so its volume targets are ramped (Japan: 25% in the first quarter).
        assert set(d1_targets.values_list("kpi_id", flat=True)) == set(
            japan.template_kpis.values_list("kpi_id", flat=True)
        )
        assert d1_targets.filter(kpi__code="revenue", ramp_percent__lt=100).exists()
        assert not Target.objects.filter(distributor=demo_vendor.d2, ramp_percent__lt=100)
        for t in Target.objects.all():
            assert t.base <= t.stretch <= t.exceed
        assert KpiEntry.objects.exists()
        assert ExchangeRate.objects.filter(currency="JPY").count() == DEMO_MONTHS
    assert demo_seed(vendor) == 0  # idempotent


def test_scorecards_computed_for_every_month_and_quarter_when_the_engine_exists(tiny, monkeypatch):
    import sys
    import types

    from scorecards.demo.largevendor import scorecards_compute_all

    calls = []
    engine = types.ModuleType("scorecards.services.compute")

    def scorecards_compute(*, vendor_id, period_kind, period_start):
        calls.append((vendor_id, period_kind, period_start))
        return 6

    engine.scorecards_compute = scorecards_compute
    monkeypatch.setitem(sys.modules, "scorecards.services.compute", engine)
    written = scorecards_compute_all(vendor=tiny.vendor, months=tiny.months, log=lambda _m: None)
    assert tiny.months == [dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert calls == [
        (tiny.vendor.id, "month", dt.date(2026, 2, 1)),
        (tiny.vendor.id, "month", dt.date(2026, 3, 1)),
        (tiny.vendor.id, "quarter", dt.date(2026, 1, 1)),
    ]
    assert written == 18


def test_scorecards_not_computed_without_the_engine(tiny, monkeypatch):
    import sys

    from scorecards.demo.largevendor import scorecards_compute_all

    monkeypatch.setitem(sys.modules, "scorecards.services.compute", None)  # import fails
    said = []
    assert scorecards_compute_all(vendor=tiny.vendor, months=tiny.months, log=said.append) is None
    assert "not available" in said[0]


def test_demo_seed_gives_earlier_months_sales_like_the_latest(demo_vendor):
    from partners.periods import add_months
    from reporting.services.sellout import sales_lines_bulk_upsert
    from scorecards.demo.seed import DEMO_MONTHS, demo_seed

    vendor = demo_vendor.vendor
    this_month = dt.date.today().replace(day=1)
    last_month = add_months(this_month, -1)
    with tenant_scope(vendor.id):
        sales_lines_bulk_upsert(
            vendor=vendor, actor=demo_vendor.member("vendor_admin"), distributor=demo_vendor.d2,
            lines=[{"invoice_number": "A-1", "line_number": 1,
                    "invoice_date": last_month.replace(day=10).isoformat(),
                    "outlet_code": "C1", "outlet_name": "Harbour Works", "product_code": "P-1", "quantity": 2,
                    "amount": "1000.00"}],
        )  # fmt: skip
    demo_seed(vendor)
    with tenant_scope(vendor.id):
        months = {
            d.replace(day=1)
            for d in SalesLine.objects.filter(distributor=demo_vendor.d2).values_list(
                "invoice_date", flat=True
            )
        }
        # Every full month the scorecards show has sales (the quarters reach further back).
        assert {add_months(this_month, -n) for n in range(1, DEMO_MONTHS)} <= months
        revenue = Target.objects.get(
            distributor=demo_vendor.d2, kpi__code="revenue", period_kind="month",
            period_start=last_month,
        )  # fmt: skip
        assert revenue.base > 1  # set around its own sales
        count = SalesLine.objects.count()
    assert demo_seed(vendor) == 0
    with tenant_scope(vendor.id):
        assert SalesLine.objects.count() == count
