"""The conditional exclusivity demo (scorecards/demo/exclusivity.py) and closing a quarter with
``manage.py exclusivity_close_quarter``: the five outcomes for the intended distributors, the
history of the earlier quarters, a second run that changes nothing, and the warned
distributor's suggested plan.

Fast path: the partners and reporting demos (what the exclusivity demo builds on) without the
scorecards demo's targets and computed scorecards. Time is frozen on two days, late and early
in a quarter, since the story is written relative to the day it is loaded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from partners import periods
from partners.demo.seed import demo_load
from partners.models import AuditEvent, Contract, User, Vendor
from reporting.demo import seed as reporting_demo
from scorecards.demo import exclusivity as demo_exclusivity
from scorecards.models import CorrectivePlan, ExclusivityVerdict
from tests.conftest import db_state, in_scope

pytestmark = pytest.mark.django_db

KANSAI = "関西メカトロ販売株式会社"
MINATO = "株式会社みなと産業機器"
SIAM = "Siam Robotics Co., Ltd."
MERIDIAN = "Meridian Trading Pte. Ltd."
STRAITS = "Straits Automation Pte. Ltd."


def outcomes(vendor, quarter) -> dict[str, str]:
    """The outcome of each demo distributor's exclusive line in the quarter."""
    with in_scope(vendor):
        return {
            v.distributor.name: v.effective_outcome
            for v in ExclusivityVerdict.objects.filter(
                quarter_start=quarter,
                contract__reference__startswith=demo_exclusivity.REFERENCE_PREFIX,
            ).select_related("distributor")
        }


def close(*args) -> str:
    out = io.StringIO()
    call_command("exclusivity_close_quarter", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "today",
    [dt.datetime(2026, 11, 23, 5, tzinfo=dt.UTC), dt.datetime(2027, 4, 6, 5, tzinfo=dt.UTC)],
    ids=["late-in-quarter", "early-in-quarter"],
)
def test_demo_then_quarter_close_gives_the_five_outcomes(db, client, today):
    with time_machine.travel(today, tick=False):
        demo_load(log=lambda *a: None)
        kestrel = Vendor.objects.get(slug="kestrel")
        reporting_demo.demo_seed(kestrel)
        assert demo_exclusivity.demo_seed(kestrel) == 5
        with in_scope(kestrel):
            quarters = demo_exclusivity.closed_quarters(kestrel)
        last = quarters[-1]

        # The earlier quarters were judged during the seed; the last closed one was not.
        assert outcomes(kestrel, quarters[0]) == {
            KANSAI: "warn", MINATO: "renew", SIAM: "renew", MERIDIAN: "renew"
        }  # fmt: skip
        renewed = {KANSAI: "renew", MINATO: "renew", SIAM: "renew", MERIDIAN: "renew"}
        assert outcomes(kestrel, quarters[1]) == renewed
        assert outcomes(kestrel, quarters[2]) == renewed | {SIAM: "warn"}
        assert outcomes(kestrel, last) == {}
        with in_scope(kestrel):
            # Dated as the daily job would have written them (ten days into the next quarter).
            first = ExclusivityVerdict.objects.filter(quarter_start=quarters[0]).first()
            assert first.computed_at.date() == quarters[1] + dt.timedelta(days=10)

        out = close("--vendor", "kestrel")
        assert outcomes(kestrel, last) == {
            KANSAI: "renew",
            MINATO: "warn",
            SIAM: "revoke",
            MERIDIAN: "scale",
            STRAITS: "launch",
        }
        assert "Siam Robotics Co., Ltd. · Bangkok × Collaborative robots: Revoke exclusivity" in out
        assert "Meridian Trading Pte. Ltd. · Singapore × Collaborative robots: Propose scale" in out
        assert "No QBR was held in the quarter (not met)." in out
        assert f"      {MINATO}: Suggested" in out
        with in_scope(kestrel):
            revoke = ExclusivityVerdict.objects.get(
                quarter_start=last, outcome="revoke", distributor__name=SIAM
            )
            # Effective after the contract's 60-day notice period, counted from the day the
            # command judged the quarter and notified the distributor, never from the close.
            end = periods.period_end(periods.QUARTER, last)
            assert revoke.effective_on == today.date() + dt.timedelta(days=60)
            assert revoke.effective_on > end + dt.timedelta(days=60)
            assert revoke.applied_at is None
            # The contract says so from today: exclusive until the day before.
            assert revoke.scope_line.exclusivity_ending == revoke.effective_on - dt.timedelta(
                days=1
            )
            # The warned distributor has a suggested plan naming the conditions missed.
            plan = CorrectivePlan.objects.get(verdict__quarter_start=last, distributor__name=MINATO)
            assert plan.status == "suggested" and plan.verdict.outcome == "warn"
            assert plan.trigger_details["lines"][0]["unmet"][:1] == ["revenue"]
            # The contracts were written through the contract services (audited).
            ids = Contract.objects.filter(
                reference__startswith=demo_exclusivity.REFERENCE_PREFIX
            ).values_list("pk", flat=True)
            assert (
                AuditEvent.objects.filter(
                    action="contract.create", object_id__in=[str(pk) for pk in ids]
                ).count()
                == 5
            )

            # The suggestion of 関西メカトロ's early warning closed once its line renewed.
            kansai = CorrectivePlan.objects.get(distributor__name=KANSAI)
            assert (kansai.status, kansai.outcome) == ("closed", "recovered")
            mine = {
                v.distributor.name: v
                for v in ExclusivityVerdict.objects.filter(quarter_start=last).select_related(
                    "distributor"
                )
            }
        # The warned and the revoked distributor each have a demo login that sees why.
        for email, name, said in (
            ("admin@minato-sangyo.example", MINATO, "未達"),  # in Japanese
            ("admin@siam-robotics.example", SIAM, "the conditions were not met again"),
        ):
            user = User.objects.get(email=email)
            client.force_login(user)
            client.cookies["django_language"] = user.language or "en"  # as logging in does
            page = client.get(f"/kestrel/scorecards/exclusivity/verdicts/{mine[name].pk}/")
            assert page.status_code == 200
            body = page.content.decode()
            assert said in body
            other = mine[KANSAI].pk
            assert (
                client.get(f"/kestrel/scorecards/exclusivity/verdicts/{other}/").status_code == 404
            )

        # A second close and a second seed change nothing.
        before = db_state()
        again = close("--vendor", "kestrel")
        assert demo_exclusivity.demo_seed(kestrel) == 0
        assert db_state() == before
        assert "Already evaluated" in again
        assert "Notices queued now: 0 e-mails." in again
        assert "Corrective plans suggested now: 0." in again


def test_close_refuses_a_bad_quarter_or_vendor_and_changes_nothing(db):
    with time_machine.travel(dt.datetime(2026, 11, 23, 5, tzinfo=dt.UTC), tick=False):
        demo_load(log=lambda *a: None)
        before = db_state()
        with pytest.raises(CommandError, match="--quarter: enter a date"):
            close("--quarter", "July")
        with pytest.raises(CommandError, match="does not start a fiscal quarter"):
            close("--vendor", "kestrel", "--quarter", "2026-07-02")
        with pytest.raises(CommandError, match="has not ended yet"):
            close("--vendor", "kestrel", "--quarter", "2026-10-01")
        with pytest.raises(CommandError, match="--vendor: no vendor"):
            close("--vendor", "nobody")
        assert db_state() == before
