"""Conditional exclusivity: quarterly verdicts with their evidence, the warning quarter, the
notice period, applying a revoke through a contract amendment, the daily job (twice and
concurrently), notices, overrides and holds."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import periods
from partners.models import (
    AuditEvent,
    ClauseKind,
    ContractAmendment,
    OutboundEmail,
    PerformanceClause,
    ScopeLine,
    Vendor,
)
from partners.services import outbox
from reporting.models import ReportKind, SalesLine
from scorecards.exclusivity_words import evidence_words
from scorecards.models import (
    CorrectivePlan,
    ExclusivityRules,
    ExclusivityRun,
    ExclusivityVerdict,
    Kpi,
    QbrMeeting,
    Target,
)
from scorecards.services import exclusivity as svc
from scorecards.services import plans as services_plans
from scorecards.services.exclusivity import evaluate as evaluate_module
from scorecards.services.qbr import qbr_meeting_record
from scorecards.tasks import exclusivity_vendor_daily_task
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories import DistributorFactory, MembershipFactory, UserFactory
from tests.factories_contracts import (
    ContractFactory,
    ProductLineFactory,
    ScopeLineFactory,
    TerritoryFactory,
)
from tests.factories_reporting import ReportFactory

Q1 = dt.date(2026, 1, 1)  # launch (the contract starts on 1 January)
Q2 = dt.date(2026, 4, 1)
Q3 = dt.date(2026, 7, 1)
Q4 = dt.date(2026, 10, 1)
Q5 = dt.date(2027, 1, 1)
LATER = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)


def _as_of(quarter_start: dt.date) -> dt.datetime:
    """Ten days after the quarter closed."""
    nxt = periods.period_shift(periods.QUARTER, quarter_start, 1)
    return dt.datetime.combine(nxt + dt.timedelta(days=10), dt.time(), tzinfo=dt.UTC)


@pytest.fixture
def excl(tenant_a):
    """Sakura Trading (JPY, Japanese) holds Japan × Robotics exclusively after a 90-day launch,
    with a minimum revenue clause of ¥10,000,000 a quarter; only revenue and the QBR are
    required (reporting has its own test). Its channel manager owns it."""
    t = tenant_a
    with in_scope(t):
        japan = TerritoryFactory(vendor=t.vendor, name="Japan", country="JP")
        robotics = ProductLineFactory(vendor=t.vendor, name="Robotics", code="RB")
        contract = ContractFactory(
            vendor=t.vendor,
            distributor=t.d1,
            starts_on=Q1,
            launch_ends_on=dt.date(2026, 3, 31),
            ends_on=dt.date(2027, 12, 31),
            notice_days=60,
        )
        line = ScopeLineFactory(
            vendor=t.vendor,
            contract=contract,
            territory=japan,
            product_line=robotics,
            exclusive_from=dt.date(2026, 4, 1),
        )
        PerformanceClause.objects.create(
            vendor=t.vendor,
            contract=contract,
            kind=ClauseKind.MIN_REVENUE,
            scope_line=line,
            amount=Decimal("10000000"),
            currency="JPY",
        )
        ExclusivityRules.objects.create(
            vendor=t.vendor, require_weekly_on_time=False, require_monthly_summaries=False
        )
        t.d1.owner = t.member(CHANNEL_MANAGER)
        t.d1.save(update_fields=["owner"])
        t.users[DISTRIBUTOR_ADMIN].language = "ja"
        t.users[DISTRIBUTOR_ADMIN].save(update_fields=["language"])
    t.extra.update(contract=contract, line=line, japan=japan, robotics=robotics)
    return t


_invoice = iter(range(1, 10**6))


def sell(t, day: dt.date, amount, *, code="RB-100", distributor=None, product_line=None):
    with in_scope(t):
        SalesLine.objects.create(
            vendor=t.vendor,
            distributor=distributor or t.d1,
            invoice_number=f"INV-{next(_invoice)}",
            line_number=1,
            invoice_date=day,
            product_code=code,
            product_line=product_line,
            quantity=1,
            amount=Decimal(amount),
            currency="JPY",
        )


def qbr(t, day: dt.date, distributor=None):
    with in_scope(t):
        QbrMeeting.objects.create(vendor=t.vendor, distributor=distributor or t.d1, held_on=day)


def good_quarter(t, q: dt.date):
    sell(t, q + dt.timedelta(days=20), 6_000_000)
    sell(t, q + dt.timedelta(days=50), 6_000_000)
    qbr(t, q + dt.timedelta(days=60))


def evaluate(t, q: dt.date) -> list[int]:
    return svc.exclusivity_evaluate(vendor_id=t.vendor.id, quarter_start=q, as_of=_as_of(q))


def verdict(t, q: dt.date, line=None) -> ExclusivityVerdict:
    with in_scope(t):
        return ExclusivityVerdict.objects.get(scope_line=line or t.extra["line"], quarter_start=q)


def evidence(v: ExclusivityVerdict, condition: str) -> dict:
    return next(item for item in v.evidence if item["condition"] == condition)


# --- the verdict paths ---------------------------------------------------------------------


def test_launch_renew_warn_revoke_with_notice_period_and_revoke_applied(excl):
    t = excl
    good_quarter(t, Q1)
    evaluate(t, Q1)
    assert verdict(t, Q1).outcome == "launch"

    good_quarter(t, Q2)
    sell(t, Q2 + dt.timedelta(days=5), 9_999_999, code="VS-1")  # another product line
    evaluate(t, Q2)
    v2 = verdict(t, Q2)
    assert v2.outcome == "renew" and v2.conditions_met
    assert v2.effective_on == Q3
    revenue = evidence(v2, "revenue")
    assert Decimal(revenue["value"]) == 12_000_000
    assert Decimal(revenue["threshold"]) == 10_000_000
    assert revenue["threshold_source"] == "clause"
    assert (revenue["period_start"], revenue["period_end"]) == ("2026-04-01", "2026-06-30")
    assert evidence(v2, "qbr")["value"] == "2026-05-31"

    sell(t, Q3 + dt.timedelta(days=3), 4_000_000)
    qbr(t, Q3 + dt.timedelta(days=30))
    evaluate(t, Q3)
    v3 = verdict(t, Q3)
    assert v3.outcome == "warn" and not v3.conditions_met
    assert evidence(v3, "revenue")["met"] is False
    assert evidence(v3, "qbr")["met"] is True
    # The threshold names its source: the contract's clause, never a "base".
    reference = t.extra["contract"].reference
    assert (
        f"¥4,000,000 against the minimum revenue per quarter in contract {reference} of "
        "¥10,000,000 (not met)"
    ) in evidence_words(evidence(v3, "revenue"), scope="Japan × Robotics")
    # The warning opens the underperformance loop: one suggested plan naming the line and the
    # condition missed, linked to the verdict (evaluating again suggests nothing more).
    with in_scope(t):
        plan = CorrectivePlan.objects.get(distributor=t.d1, trigger="warn_verdict")
        assert plan.status == "suggested" and plan.verdict == v3
        assert plan.trigger_period == Q3
        assert plan.trigger_details == {
            "lines": [{"verdict": v3.pk, "scope": "Japan × Robotics", "unmet": ["revenue"]}]
        }
    evaluate(t, Q3)
    with in_scope(t):
        assert CorrectivePlan.objects.filter(trigger="warn_verdict").count() == 1

    evaluate(t, Q4)  # nothing sold, no QBR: not met after a warning quarter
    v4 = verdict(t, Q4)
    assert v4.outcome == "revoke"
    assert evidence(v4, "qbr")["met"] is False
    # Judged and notified on 11 January; the contract's notice period (60 days) runs from the
    # notice, not from the quarter's close (31 December).
    assert _as_of(Q4).date() == dt.date(2027, 1, 11)
    assert v4.effective_on == dt.date(2027, 1, 11) + dt.timedelta(days=60)
    assert v4.effective_on == dt.date(2027, 3, 12)
    with in_scope(t):  # the contract says so from the notice: exclusive until the day before
        line = ScopeLine.objects.get(pk=t.extra["line"].pk)
        assert (line.ends_on, line.exclusivity_ending) == (
            dt.date(2027, 12, 31),
            dt.date(2027, 3, 11),
        )

    assert svc.exclusivity_revokes_apply(vendor_id=t.vendor.id, today=dt.date(2027, 3, 11)) == 0
    with in_scope(t):
        assert ScopeLine.objects.get(pk=t.extra["line"].pk).ends_on == dt.date(2027, 12, 31)
    assert svc.exclusivity_revokes_apply(vendor_id=t.vendor.id, today=dt.date(2027, 3, 12)) == 1
    assert svc.exclusivity_revokes_apply(vendor_id=t.vendor.id, today=dt.date(2027, 3, 13)) == 0
    with in_scope(t):
        lines = list(ScopeLine.objects.filter(contract=t.extra["contract"]).order_by("starts_on"))
        assert [(sl.starts_on, sl.ends_on, sl.exclusive_from) for sl in lines] == [
            (Q1, dt.date(2027, 3, 11), dt.date(2026, 4, 1)),
            (dt.date(2027, 3, 12), dt.date(2027, 12, 31), None),
        ]
        assert [sl.exclusivity_ending for sl in lines] == [None, None]
        amendment = ContractAmendment.objects.get(contract=t.extra["contract"])
        assert lines[0].ended_by == amendment and lines[1].added_by == amendment
        assert verdict(t, Q4).applied_amendment == amendment
        assert AuditEvent.objects.filter(
            action="contract.amend", object_id=str(t.extra["contract"].pk), actor=None
        ).exists()


def test_warned_distributor_that_recovers_is_renewed_and_warned_again_before_revoke(excl):
    t = excl
    evaluate(t, Q2)
    assert verdict(t, Q2).outcome == "warn"
    good_quarter(t, Q3)
    evaluate(t, Q3)
    assert verdict(t, Q3).outcome == "renew"
    evaluate(t, Q4)
    assert verdict(t, Q4).outcome == "warn"  # the warning counts afresh after a renewal


def test_scale_proposed_after_four_qualifying_quarters_in_a_row(excl):
    t = excl
    outcomes = []
    for q in (Q2, Q3, Q4, Q5):
        good_quarter(t, q)
        evaluate(t, q)
        outcomes.append(verdict(t, q).outcome)
    assert outcomes == ["renew", "renew", "renew", "scale"]


def test_sales_attribution_and_target_threshold_without_a_clause(excl):
    """A sales line counts by its matched product line, else by product code prefix; without
    a clause the threshold is the distributor's quarter base target on the revenue KPI."""
    t = excl
    with in_scope(t):
        PerformanceClause.objects.all().delete()
        kpi = Kpi.objects.create(
            vendor=t.vendor, code="rev", name="Revenue", family="commercial",
            source="revenue", unit="money", aggregation="sum",
        )  # fmt: skip
        for month in (4, 5, 6):
            Target.objects.create(
                vendor=t.vendor, distributor=t.d1, kpi=kpi, period_kind="month",
                period_start=dt.date(2026, month, 1), full_base=3_000_000, full_stretch=4e6,
                full_exceed=5e6, base=3_000_000, stretch=4e6, exceed=5e6,
            )  # fmt: skip
    sell(t, Q2 + dt.timedelta(days=1), 5_000_000, code="X-1", product_line=t.extra["robotics"])
    sell(t, Q2 + dt.timedelta(days=2), 4_000_000, code="RB-7")
    sell(t, Q2 + dt.timedelta(days=3), 7_000_000, code="VS-1")  # not Robotics
    qbr(t, Q2 + dt.timedelta(days=10))
    evaluate(t, Q2)
    v = verdict(t, Q2)
    revenue = evidence(v, "revenue")
    assert Decimal(revenue["value"]) == 9_000_000
    assert Decimal(revenue["threshold"]) == 9_000_000
    assert revenue["threshold_source"] == "target"
    assert v.outcome == "renew"


def test_reporting_conditions_weekly_on_time_and_monthly_summaries(excl):
    t = excl
    with in_scope(t):
        ExclusivityRules.objects.filter(vendor=t.vendor).update(
            require_weekly_on_time=True, require_monthly_summaries=True
        )
        monday = dt.date(2026, 4, 6)
        for week in range(10):
            start = monday + dt.timedelta(weeks=week)
            report = ReportFactory(distributor=t.d1, period_start=start)
            late = week >= 8  # 8 of 10 on time: 80 %
            report.submitted_at = report.due_at + dt.timedelta(days=2 if late else -1)
            report.status = "submitted"
            report.save()
        ReportFactory(  # the April summary, due in May, never handed in
            distributor=t.d1, kind=ReportKind.MONTHLY, period_start=dt.date(2026, 4, 1),
            due_at=dt.datetime(2026, 5, 8, 3, tzinfo=dt.UTC),
        )  # fmt: skip
    good_quarter(t, Q2)
    evaluate(t, Q2)
    v = verdict(t, Q2)
    weekly = evidence(v, "weekly_on_time")
    assert Decimal(weekly["value"]) == 80 and weekly["met"] is False
    monthly = evidence(v, "monthly_summaries")
    assert Decimal(monthly["value"]) == 0 and monthly["met"] is False
    assert v.outcome == "warn"
    assert "80%, at least 90% needed (not met)" in evidence_words(weekly, scope="x")


def test_switched_off_conditions_do_not_count(excl):
    t = excl
    with in_scope(t):
        ExclusivityRules.objects.filter(vendor=t.vendor).update(
            require_revenue=False, require_qbr=False
        )
    evaluate(t, Q2)  # nothing sold, no QBR
    v = verdict(t, Q2)
    assert v.outcome == "renew"
    assert evidence(v, "revenue")["checked"] is False


def test_april_fiscal_year_quarters(excl):
    t = excl
    Vendor.objects.filter(pk=t.vendor.pk).update(fiscal_year_start_month=4)
    with pytest.raises(ValueError):
        svc.exclusivity_evaluate(vendor_id=t.vendor.id, quarter_start=Q1 + dt.timedelta(days=31))
    with pytest.raises(ValueError):  # the quarter has not ended
        svc.exclusivity_evaluate(
            vendor_id=t.vendor.id, quarter_start=Q2, as_of=dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
        )
    good_quarter(t, Q2)
    # Before the rules' ten days after the close, the job evaluates nothing.
    with time_machine.travel(dt.datetime(2026, 7, 9, 4, tzinfo=dt.UTC), tick=False):
        result = exclusivity_vendor_daily_task(t.vendor.id)
    assert result["quarter"] == "2026-04-01" and result["verdicts"] is None
    with time_machine.travel(dt.datetime(2026, 7, 10, 4, tzinfo=dt.UTC), tick=False):
        result = exclusivity_vendor_daily_task(t.vendor.id)
    assert result["verdicts"] == 1
    v = verdict(t, Q2)
    assert v.outcome == "renew" and v.quarter_end == dt.date(2026, 6, 30)
    with in_scope(t):
        email = OutboundEmail.objects.filter(to=t.users[DISTRIBUTOR_ADMIN].email).get()
    assert "FY2026 Q1" in email.subject  # April to June is the first quarter of FY2026


# --- the job: twice, concurrently, notices ------------------------------------------------------


def test_job_twice_gives_one_verdict_and_one_notice_per_recipient(excl):
    t = excl
    good_quarter(t, Q2)
    when = dt.datetime(2026, 7, 15, 4, tzinfo=dt.UTC)
    with time_machine.travel(when, tick=False):
        first = exclusivity_vendor_daily_task(t.vendor.id)
        second = exclusivity_vendor_daily_task(t.vendor.id)
    assert first["verdicts"] == 1 and second["verdicts"] is None
    # Calling the service again directly (a manual re-run) writes nothing either.
    assert evaluate(t, Q2) == []
    with in_scope(t):
        assert ExclusivityVerdict.objects.count() == 1
        assert ExclusivityRun.objects.get().verdicts_created == 1
        emails = {e.to: e for e in OutboundEmail.objects.filter(template="exclusivity_verdict")}
    admin, manager = t.users[DISTRIBUTOR_ADMIN], t.users[CHANNEL_MANAGER]
    assert set(emails) == {admin.email, manager.email}
    assert emails[admin.email].language == "ja"
    assert emails[manager.email].language == "en"
    body = emails[manager.email].body_text
    assert "Exclusivity for Japan × Robotics is renewed" in body
    reference = t.extra["contract"].reference
    assert (
        f"¥12,000,000 against the minimum revenue per quarter in contract {reference} of "
        "¥10,000,000 (met)"
    ) in body
    verdict_id = verdict(t, Q2).pk
    assert f"/{t.slug}/scorecards/exclusivity/verdicts/{verdict_id}/" in body  # the link
    assert t.users[DISTRIBUTOR_USER].email not in emails


def test_a_failed_notice_run_is_completed_by_the_next_run(excl):
    t = excl
    evaluate(t, Q2)
    with in_scope(t):
        OutboundEmail.objects.all().delete()
        ExclusivityVerdict.objects.update(notified_at=None)
        ExclusivityRun.objects.all().delete()
    assert evaluate(t, Q2) == []
    with in_scope(t):
        assert OutboundEmail.objects.filter(template="exclusivity_verdict").count() == 2
        assert ExclusivityRun.objects.count() == 1


def test_notice_is_rendered_once_per_language_and_sent_after_commit(
    excl, monkeypatch, django_capture_on_commit_callbacks
):
    t = excl
    good_quarter(t, Q2)
    with in_scope(t):
        kaori = UserFactory(email="kaori@sakura.example.com", language="ja")
        MembershipFactory(vendor=t.vendor, user=kaori, role=DISTRIBUTOR_ADMIN, distributor=t.d1)
    rendered = []
    real = outbox.render_email

    def spy(*, template, context, language, **zone):
        rendered.append((template, language))
        return real(template=template, context=context, language=language, **zone)

    monkeypatch.setattr(outbox, "render_email", spy)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(t, Q2)
    assert sorted(r for r in rendered if r[0] == "exclusivity_verdict") == [
        ("exclusivity_verdict", "en"),
        ("exclusivity_verdict", "ja"),
    ]
    admin, manager = t.users[DISTRIBUTOR_ADMIN], t.users[CHANNEL_MANAGER]
    with in_scope(t):
        emails = {e.to: e for e in OutboundEmail.objects.filter(template="exclusivity_verdict")}
    assert set(emails) == {admin.email, kaori.email, manager.email}
    assert emails[kaori.email].language == "ja"
    assert "独占権を更新" in emails[kaori.email].subject
    assert emails[kaori.email].body_html == emails[admin.email].body_html
    assert "exclusivity renewed" in emails[manager.email].subject
    # Delivered once the evaluation committed, each once.
    sent = sorted(m.to[0] for m in mail.outbox if m.subject in {e.subject for e in emails.values()})
    assert sent == sorted(emails)
    assert all(e.sent_at is not None for e in emails.values())

    # Queued again after a lost e-mail: only the missing one is written, and counted.
    with in_scope(t):
        OutboundEmail.objects.filter(to=kaori.email).delete()
        ExclusivityVerdict.objects.update(notified_at=None)
        assert svc.exclusivity_notices_queue(vendor=t.vendor, quarter_start=Q2) == 1
        assert OutboundEmail.objects.filter(template="exclusivity_verdict").count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_write_one_verdict_and_one_notice(excl):
    t = excl
    good_quarter(t, Q2)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            evaluate(t, Q2)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with in_scope(t):
        assert ExclusivityVerdict.objects.count() == 1
        assert OutboundEmail.objects.filter(template="exclusivity_verdict").count() == 2


def test_query_count_does_not_grow_with_distributors(excl, monkeypatch):
    t = excl
    # Patched where the evaluation looks it up.
    monkeypatch.setattr(evaluate_module, "exclusivity_notices_queue", lambda **kw: 0)

    def queries(q):
        with CaptureQueriesContext(connection) as ctx:
            evaluate(t, q)
        return len(ctx.captured_queries)

    few = queries(Q2)
    with in_scope(t):
        for n in range(4):
            d = DistributorFactory(vendor=t.vendor, name=f"Extra {n}", currency="JPY")
            territory = TerritoryFactory(vendor=t.vendor, name=f"Region {n}")
            c = ContractFactory(vendor=t.vendor, distributor=d, starts_on=Q1,
                                launch_ends_on=dt.date(2026, 3, 31))  # fmt: skip
            ScopeLineFactory(vendor=t.vendor, contract=c, territory=territory,
                             product_line=t.extra["robotics"], exclusive_from=Q2)  # fmt: skip
    many = queries(Q3)
    with in_scope(t):
        assert ExclusivityVerdict.objects.filter(quarter_start=Q3).count() == 5
    assert many == few


# --- people in charge ---------------------------------------------------------------------------


@pytest.fixture
def revoked(excl):
    evaluate(excl, Q2)
    evaluate(excl, Q3)
    assert verdict(excl, Q3).outcome == "revoke"
    return excl


def test_admin_override_is_audited_and_stops_the_revoke(revoked):
    t = revoked
    v = verdict(t, Q3)
    with in_scope(t):
        with pytest.raises(ValidationError) as err:
            svc.verdict_override(
                vendor=t.vendor, actor=t.member(VENDOR_ADMIN), verdict=v, outcome="warn", reason=" "
            )
        assert "reason" in err.value.message_dict
        svc.verdict_override(
            vendor=t.vendor,
            actor=t.member(VENDOR_ADMIN),
            verdict=v,
            outcome="warn",
            reason="New sales director starts in October; one more quarter.",
        )
        event = AuditEvent.objects.get(action="exclusivity.verdict.override")
    assert event.actor == t.users[VENDOR_ADMIN]
    assert event.changes["outcome"] == ["revoke", "warn"]
    assert event.changes["override_reason"][1].startswith("New sales director")
    v = verdict(t, Q3)
    assert (v.outcome, v.overridden_outcome, v.effective_outcome) == ("revoke", "warn", "warn")
    assert svc.exclusivity_revokes_apply(vendor_id=t.vendor.id, today=dt.date(2027, 6, 1)) == 0
    # The next quarter reads the override: a second warning in a row revokes.
    evaluate(t, Q4)
    assert verdict(t, Q4).outcome == "revoke"


@pytest.mark.parametrize("role", [CHANNEL_MANAGER, EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_override_by_anyone_else_is_refused_and_changes_nothing(revoked, role):
    t = revoked
    v = verdict(t, Q3)
    before = db_state()
    with in_scope(t), pytest.raises(PermissionDenied):
        svc.verdict_override(
            vendor=t.vendor, actor=t.member(role), verdict=v, outcome="renew", reason="Please"
        )
    assert db_state() == before


def test_override_of_another_vendors_verdict_is_refused(revoked, tenant_b):
    t = revoked
    v = verdict(t, Q3)
    before = db_state()
    with in_scope(tenant_b), pytest.raises(PermissionDenied):
        svc.verdict_override(
            vendor=tenant_b.vendor,
            actor=tenant_b.member(VENDOR_ADMIN),
            verdict=v,
            outcome="renew",
            reason="Mine now",
        )
    assert db_state() == before


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_ADMIN])
def test_hold_by_others_is_refused_and_changes_nothing(revoked, role):
    t = revoked
    v = verdict(t, Q3)
    before = db_state()
    with in_scope(t), pytest.raises(PermissionDenied):
        svc.verdict_hold(
            vendor=t.vendor, actor=t.member(role), verdict=v, reason="x",
            held_until=dt.date(2030, 1, 1),
        )  # fmt: skip
    assert db_state() == before


def test_held_revoke_takes_effect_after_the_hold(revoked):
    t = revoked
    v = verdict(t, Q3)
    assert v.effective_on == dt.date(2026, 10, 11) + dt.timedelta(days=60)  # 10 December
    with time_machine.travel(dt.datetime(2026, 10, 15, tzinfo=dt.UTC), tick=False), in_scope(t):
        svc.verdict_hold(
            vendor=t.vendor,
            actor=t.member(CHANNEL_MANAGER),
            verdict=v,
            reason="Corrective plan agreed; review on 15 December.",
            held_until=dt.date(2026, 12, 15),
        )
        assert AuditEvent.objects.filter(action="exclusivity.verdict.hold").count() == 1
    assert svc.exclusivity_revokes_apply(vendor_id=t.vendor.id, today=dt.date(2026, 12, 10)) == 0
    with in_scope(t):  # the contract follows the hold
        assert ScopeLine.objects.get(pk=t.extra["line"].pk).exclusivity_ending == dt.date(
            2026, 12, 15
        )
    assert svc.exclusivity_revokes_apply(vendor_id=t.vendor.id, today=dt.date(2026, 12, 15)) == 0
    assert svc.exclusivity_revokes_apply(vendor_id=t.vendor.id, today=dt.date(2026, 12, 16)) == 1
    with in_scope(t):
        old = ScopeLine.objects.get(pk=t.extra["line"].pk)
    assert old.ends_on == dt.date(2026, 12, 15)


def test_a_coming_revoke_and_a_due_plan_review_need_the_channel_managers_attention(
    revoked, tenant_b
):
    """Needs attention lists a revoke still to take effect (until it is held) and a plan whose
    review has come due, with links; another vendor's staff see neither."""
    from scorecards.selectors.dashboards import needs_attention
    from scorecards.services import plans as plan_services

    t = revoked
    v = verdict(t, Q3)
    cm = t.member(CHANNEL_MANAGER)
    october = dt.date(2026, 10, 15)

    def kinds(today, actor=cm, tenant=t):
        with in_scope(tenant):
            items = needs_attention(vendor=tenant.vendor, actor=actor, scope="mine", today=today)
        return {i.kind: i for i in items if i.kind in ("revoke", "plan_review")}

    item = kinds(october)["revoke"]
    assert item.url == f"/{t.slug}/scorecards/exclusivity/verdicts/{v.pk}/"
    assert "Japan × Robotics" in item.why and item.severity == 0
    assert "revoke" not in kinds(dt.date(2026, 12, 11))  # past its day: the job applies it
    with time_machine.travel(dt.datetime(2026, 10, 15, 3, tzinfo=dt.UTC), tick=False), in_scope(t):
        plan = plan_services.plan_open(
            vendor=t.vendor, actor=cm, distributor=t.d1, gap="Revenue far below the minimum."
        )
        svc.verdict_hold(
            vendor=t.vendor, actor=cm, verdict=v, reason="Plan agreed",
            held_until=dt.date(2026, 12, 15),
        )  # fmt: skip
    assert plan.review_on == dt.date(2026, 11, 14)
    assert kinds(october) == {}  # held; the review is not due yet
    due = kinds(dt.date(2026, 11, 14))["plan_review"]
    assert due.url == f"/{t.slug}/plans/{plan.pk}/" and due.mine
    assert "plan_review" in kinds(dt.date(2026, 11, 30))
    b = tenant_b
    assert kinds(dt.date(2026, 11, 14), actor=b.member(CHANNEL_MANAGER), tenant=b) == {}


def test_a_suggestion_nobody_opened_is_withdrawn_once_the_line_recovers(excl):
    """A warning's suggested plan, never opened, closes as recovered (audited as the system's)
    when the warned line renews the next quarter; a warning after that suggests a new plan.
    An opened plan is the people's to review and stays open."""
    t = excl
    good_quarter(t, Q2)
    evaluate(t, Q2)
    sell(t, Q3 + dt.timedelta(days=3), 4_000_000)
    qbr(t, Q3 + dt.timedelta(days=30))
    evaluate(t, Q3)  # warn: a plan is suggested
    with in_scope(t):
        first = CorrectivePlan.objects.get(trigger="warn_verdict")
    assert first.status == "suggested"
    good_quarter(t, Q4)
    evaluate(t, Q4)
    assert verdict(t, Q4).outcome == "renew"
    with in_scope(t):
        first.refresh_from_db()
        event = AuditEvent.objects.get(action="plan.withdrawn")
    assert (first.status, first.outcome) == ("closed", "recovered")
    assert first.trigger_details["recovered_in"] == "FY2026 Q4"
    assert event.actor is None and event.object_id == str(first.pk)

    sell(t, Q5 + dt.timedelta(days=3), 1_000_000)
    evaluate(t, Q5)  # warned again: a new suggestion
    with in_scope(t):
        second = CorrectivePlan.objects.get(trigger="warn_verdict", status="suggested")
        assert second.trigger_period == Q5 and second.pk != first.pk
        services_plans.plan_open(vendor=t.vendor, actor=t.member(CHANNEL_MANAGER), plan=second)
    good_quarter(t, dt.date(2027, 4, 1))
    evaluate(t, dt.date(2027, 4, 1))
    with in_scope(t):
        second.refresh_from_db()
        assert second.status == "open"
        assert AuditEvent.objects.filter(action="plan.withdrawn").count() == 1


def test_only_a_revoke_can_be_held(excl):
    t = excl
    good_quarter(t, Q2)
    evaluate(t, Q2)
    with in_scope(t), pytest.raises(ValidationError):
        svc.verdict_hold(
            vendor=t.vendor, actor=t.member(VENDOR_ADMIN), verdict=verdict(t, Q2),
            reason="x", held_until=LATER.date(),
        )  # fmt: skip


def test_qbr_meeting_record_service(excl):
    t = excl
    with in_scope(t):
        with pytest.raises(PermissionDenied):
            qbr_meeting_record(
                vendor=t.vendor, actor=t.member(DISTRIBUTOR_ADMIN), distributor=t.d1,
                held_on=dt.date(2026, 5, 1),
            )  # fmt: skip
        with pytest.raises(ValidationError) as err:
            qbr_meeting_record(
                vendor=t.vendor, actor=t.member(CHANNEL_MANAGER), distributor=t.d1, held_on=None
            )
        assert "held_on" in err.value.message_dict
        meeting = qbr_meeting_record(
            vendor=t.vendor, actor=t.member(CHANNEL_MANAGER), distributor=t.d1,
            held_on=dt.date(2026, 5, 1), notes="Q1 review in Osaka",
        )  # fmt: skip
        assert AuditEvent.objects.filter(action="qbr.meeting.record").count() == 1
        assert QbrMeeting.objects.get(pk=meeting.pk).recorded_by == t.users[CHANNEL_MANAGER]


# --- standing during the quarter ----------------------------------------------------------------


def test_standing_says_what_is_still_needed_in_words_and_numbers(excl):
    from scorecards.selectors.exclusivity import exclusivity_standing

    t = excl
    with in_scope(t):
        ExclusivityRules.objects.filter(vendor=t.vendor).update(require_weekly_on_time=True)
        for week in range(4):  # four on-time weekly updates in July
            report = ReportFactory(distributor=t.d1, period_start=dt.date(2026, 7, 6 + 7 * week))
            report.submitted_at = report.due_at - dt.timedelta(hours=1)
            report.status = "submitted"
            report.save()
    sell(t, dt.date(2026, 7, 20), 4_000_000)
    sell(t, dt.date(2026, 8, 20), 5_000_000)  # after the day we look from
    with in_scope(t):
        standing = exclusivity_standing(
            vendor=t.vendor, distributor=t.d1, as_of=dt.date(2026, 8, 15)
        )
    assert standing.quarter_start == Q3 and standing.quarter == "FY2026 Q3"
    (line,) = standing.lines
    assert line.revenue == 4_000_000 and line.revenue_missing == 6_000_000
    # 13 weekly updates fall in the quarter; 90 % of them is 12; 4 are in on time.
    assert (line.weekly_expected, line.weekly_on_time, line.weekly_more_needed) == (13, 4, 8)
    assert line.needs == [
        "8 more on-time weekly updates",
        "¥6,000,000 more revenue in Japan × Robotics",
        "a QBR held this quarter",
    ]
    qbr(t, dt.date(2026, 8, 1))
    sell(t, dt.date(2026, 8, 2), 6_000_000)
    with in_scope(t):
        standing = exclusivity_standing(
            vendor=t.vendor, distributor=t.d1, as_of=dt.date(2026, 8, 15)
        )
    assert standing.lines[0].needs == ["8 more on-time weekly updates"]
    with in_scope(t):  # another distributor has no exclusive line
        assert (
            exclusivity_standing(vendor=t.vendor, distributor=t.d2, as_of=LATER.date()).lines == []
        )


def test_daily_beat_entry_runs_every_vendor(excl):
    from config.celery_app import app
    from scorecards.tasks import exclusivity_daily_task

    entry = app.conf.beat_schedule["exclusivity-daily"]
    assert entry["task"] == exclusivity_daily_task.name
    good_quarter(excl, Q2)
    with time_machine.travel(dt.datetime(2026, 7, 15, 4, tzinfo=dt.UTC), tick=False):
        assert exclusivity_daily_task() == 2  # both vendors, each in its own task
    assert verdict(excl, Q2).outcome == "renew"


def test_rules_update_by_admin_audited_and_refused_to_others(excl):
    t = excl
    before = db_state()
    with in_scope(t), pytest.raises(PermissionDenied):
        svc.exclusivity_rules_update(
            vendor=t.vendor, actor=t.member(CHANNEL_MANAGER), warning_quarters=2
        )
    assert db_state() == before
    with in_scope(t):
        with pytest.raises(ValidationError) as err:
            svc.exclusivity_rules_update(
                vendor=t.vendor, actor=t.member(VENDOR_ADMIN), weekly_on_time_percent=120
            )
        assert "weekly_on_time_percent" in err.value.message_dict
        svc.exclusivity_rules_update(
            vendor=t.vendor, actor=t.member(VENDOR_ADMIN), warning_quarters=2
        )
        event = AuditEvent.objects.get(action="exclusivity.rules.update")
    assert event.changes == {"warning_quarters": [1, 2]}
    evaluate(t, Q2)
    evaluate(t, Q3)
    evaluate(t, Q4)
    assert [verdict(t, q).outcome for q in (Q2, Q3, Q4)] == ["warn", "warn", "revoke"]


# --- one fact base: the standing on the quarter's last day is the verdict's evidence ---------


def test_standing_on_the_quarters_last_day_equals_the_verdicts_evidence(excl):
    """The standing and the verdict read one fact base (``exclusivity_line_facts``): on the
    quarter's last day the standing's figures for each line are the verdict's evidence for the
    same line (revenue, the threshold and its source, weekly updates on time, monthly summaries
    handed in, the QBR). Two lines: one with a minimum revenue clause, one judged against the
    base revenue target of the vendor's revenue KPI. Fails if either side's definition drifts."""
    from scorecards.selectors.exclusivity import exclusivity_standing

    t = excl
    last_day = dt.date(2026, 9, 30)
    with in_scope(t):
        ExclusivityRules.objects.filter(vendor=t.vendor).update(
            require_weekly_on_time=True, require_monthly_summaries=True
        )
        vision = ProductLineFactory(vendor=t.vendor, name="Vision", code="VS")
        second = ScopeLineFactory(
            vendor=t.vendor, contract=t.extra["contract"], territory=t.extra["japan"],
            product_line=vision, exclusive_from=dt.date(2026, 4, 1),
        )  # fmt: skip
        kpi = Kpi.objects.create(
            vendor=t.vendor, code="rev", name="Sell-out revenue", family="commercial",
            source="revenue", unit="money", aggregation="sum",
        )  # fmt: skip
        Target.objects.create(
            vendor=t.vendor, distributor=t.d1, kpi=kpi, period_kind="quarter", period_start=Q3,
            full_base=8_000_000, full_stretch=9e6, full_exceed=1e7, base=8_000_000,
            stretch=9e6, exceed=1e7,
        )  # fmt: skip
        monday = dt.date(2026, 7, 6)
        for week in range(13):  # the last one falls due after the quarter, not handed in
            report = ReportFactory(distributor=t.d1, period_start=monday + dt.timedelta(weeks=week))
            if week < 12:
                late = week in (3, 7)
                report.submitted_at = report.due_at + dt.timedelta(days=1 if late else -1)
                report.status = "submitted"
                report.save()
        for month, handed_in in ((7, True), (8, False)):
            summary = ReportFactory(
                distributor=t.d1, kind=ReportKind.MONTHLY, period_start=dt.date(2026, month, 1),
                due_at=dt.datetime(2026, month + 1, 8, 3, tzinfo=dt.UTC),
            )  # fmt: skip
            if handed_in:
                summary.submitted_at = summary.due_at - dt.timedelta(days=1)
                summary.status = "submitted"
                summary.save()
    sell(t, dt.date(2026, 7, 10), 4_000_000)  # Robotics
    sell(t, dt.date(2026, 9, 30), 2_500_000, code="VS-2")  # Vision, on the last day
    sell(t, dt.date(2026, 10, 1), 9_000_000, code="VS-2")  # the next quarter: not counted
    qbr(t, dt.date(2026, 8, 20))

    with time_machine.travel(dt.datetime(2026, 9, 30, 14, tzinfo=dt.UTC), tick=False), in_scope(t):
        standing = exclusivity_standing(vendor=t.vendor, distributor=t.d1, as_of=last_day)
    evaluate(t, Q3)
    assert len(standing.lines) == 2
    for line in standing.lines:
        v = verdict(t, Q3, line=line.scope_line)
        revenue, weekly = evidence(v, "revenue"), evidence(v, "weekly_on_time")
        monthly, held = evidence(v, "monthly_summaries"), evidence(v, "qbr")
        assert line.revenue == Decimal(revenue["value"])
        assert line.revenue_threshold == Decimal(revenue["threshold"])
        assert line.facts.threshold_source == revenue["threshold_source"]
        assert line.facts.contract_reference == t.extra["contract"].reference
        assert line.facts.weekly_on_time == Decimal(weekly["value"])
        assert Decimal(weekly["value"]) == round(
            Decimal(100 * line.weekly_on_time) / line.facts.weekly_due, 4
        )
        assert line.facts.monthly_review == Decimal(monthly["value"])
        assert (line.monthly_missing == 0) == (Decimal(monthly["value"]) == 100)
        assert line.qbr_held_on == dt.date.fromisoformat(held["value"])
    robotics, vision_line = sorted(standing.lines, key=lambda s: s.scope)
    # What the figures are: 10 of the 12 updates due by then on time, one of two summaries.
    assert (robotics.weekly_on_time, robotics.facts.weekly_due) == (10, 12)
    assert robotics.monthly_missing == 1
    assert (robotics.revenue, robotics.facts.threshold_source) == (4_000_000, "clause")
    assert (vision_line.revenue, vision_line.facts.threshold_source) == (2_500_000, "target")
    # Each threshold says where it comes from, the same on the standing and the verdict.
    v = verdict(t, Q3, line=second)
    words = evidence_words(evidence(v, "revenue"), scope="Japan × Vision", quarter="FY2026 Q3")
    assert "against the base revenue target (KPI Sell-out revenue) for FY2026 Q3 of" in words
    assert vision_line.revenue_threshold_source == (
        "base revenue target (KPI Sell-out revenue) for FY2026 Q3"
    )
    assert robotics.revenue_threshold_source == (
        f"minimum revenue per quarter in contract {t.extra['contract'].reference}"
    )
    assert "sales of Vision invoiced in FY2026 Q3" in vision_line.revenue_counted


def test_suggested_plan_names_its_scope_in_the_readers_language(client, excl):
    """The suggestion is written by a job (in English) but read by people in their own
    language: a Japanese reader sees the territory and product line by their Japanese names,
    an English reader by the English ones; a line whose verdict is gone keeps the stored text."""
    t = excl
    with in_scope(t):
        t.extra["japan"].name_ja = "日本"
        t.extra["japan"].save(update_fields=["name_ja"])
        t.extra["robotics"].name_ja = "ロボット"
        t.extra["robotics"].save(update_fields=["name_ja"])
    good_quarter(t, Q2)
    evaluate(t, Q2)
    sell(t, Q3 + dt.timedelta(days=3), 4_000_000)
    qbr(t, Q3 + dt.timedelta(days=30))
    evaluate(t, Q3)
    with in_scope(t):
        plan = CorrectivePlan.objects.get(distributor=t.d1, trigger="warn_verdict")
        assert plan.trigger_details["lines"][0]["scope"] == "Japan × Robotics"
    url = f"/{t.slug}/plans/{plan.pk}/"
    client.force_login(t.user(CHANNEL_MANAGER))
    assert "Exclusivity warning for Japan × Robotics" in client.get(url).content.decode()
    client.cookies["django_language"] = "ja"
    body = client.get(url).content.decode()
    assert "日本 × ロボット" in body and "Japan × Robotics" not in body
    # An old row whose verdict no longer exists is still readable from its stored text.
    with in_scope(t):
        details = {"lines": [{"verdict": 2_000_000_000, "scope": "Japan × Robotics"}]}
        CorrectivePlan.objects.filter(pk=plan.pk).update(trigger_details=details)
    assert "Japan × Robotics" in client.get(url).content.decode()
