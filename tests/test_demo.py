"""The demo data `make run` loads: two workspaces, about 30 distributors, a login per role."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from partners.demo.seed import demo_logins
from partners.models import Distributor, Membership, Vendor
from tests.conftest import db_state, in_scope

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def demo(db):
    call_command("demo_data", stdout=io.StringIO())
    return list(Vendor.objects.order_by("slug"))


def test_demo_workspaces_and_distributors(demo):
    assert len(demo) == 2
    distributors = []
    for vendor in demo:
        with in_scope(vendor):
            distributors += list(Distributor.objects.all())
            roles = set(Membership.objects.values_list("role", flat=True))
        assert roles == {
            "vendor_admin",
            "channel_manager",
            "executive",
            "distributor_admin",
            "distributor_user",
        }
    assert 25 <= len(distributors) <= 40
    assert {d.country for d in distributors} >= {"JP", "SG", "TH", "ID", "VN"}
    japanese = [d for d in distributors if d.country == "JP"]
    assert japanese and all(CJK.search(d.name) for d in japanese)


def test_demo_data_is_idempotent(demo):
    before = db_state()
    call_command("demo_data", stdout=io.StringIO())
    call_command("demo_data", "--if-empty", stdout=io.StringIO())
    assert db_state() == before


def test_every_demo_login_works_and_sees_only_its_reach(demo):
    logins = demo_logins()
    assert len(logins) >= 10
    for login in logins:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": login.email, "password": login.password}
        )
        assert response.status_code == 302, login.email
        page = client.get(login.workspace)
        if page.status_code == 302:  # a workspace that requires two-factor for its staff
            assert page["Location"].startswith("/accounts/two-factor/setup/")
            continue
        assert page.status_code == 200, login.email
        slug = login.workspace.strip("/")
        data = client.get(f"/api/v1/{slug}/distributors/?page_size=200").json()
        if login.distributor:
            assert [d["name"] for d in data["results"]] == [login.distributor]
        else:
            assert data["count"] >= 10


def test_demo_tells_one_consistent_story(demo):
    """The demo does not contradict itself: no status history later than a signed contract
    (onboarding by the signature, active by the start) nor active before its first agreement, a
    distributor whose contract is in force not left onboarding, no launch task left overdue for months
    (a distributor in its conditional exclusivity phase finished its launch long ago), and
    Indonesian revenue in realistic rupiah: tens to hundreds of millions a month, worth
    thousands of US dollars at the demo's exchange rates."""
    import datetime as dt
    from collections import defaultdict
    from decimal import Decimal

    from django.db.models import Min

    from partners.models import (
        Contract,
        ContractStatus,
        DistributorStatus,
        DistributorStatusChange,
        LaunchChecklistItem,
    )
    from reporting.models import MonthlySummary, SalesLine
    from scorecards.models import ExchangeRate

    checked_contracts = idr_months = in_force_checked = 0
    for vendor in demo:
        with in_scope(vendor):
            firsts = defaultdict(dict)
            for change in DistributorStatusChange.objects.order_by("effective_on"):
                firsts[change.distributor_id].setdefault(change.to_status, change.effective_on)
            signed = (
                Contract.objects.exclude(status=ContractStatus.DRAFT)
                .values("distributor_id")
                .annotate(signed=Min("signed_on"), starts=Min("starts_on"))
            )
            for row in signed:
                history = firsts[row["distributor_id"]]
                assert history[DistributorStatus.ONBOARDING] <= row["signed"], row
                if DistributorStatus.ACTIVE in history:
                    # Active by the start, and never before the agreement was signed.
                    assert row["signed"] <= history[DistributorStatus.ACTIVE] <= row["starts"], (
                        row,
                        history,
                    )
                checked_contracts += 1
            # A contract in force makes its distributor active (or suspended since), never
            # one still onboarding; and the history reads in order, ending on today's status.
            for d in Distributor.objects.all():
                in_force = Contract.objects.filter(
                    distributor=d,
                    status=ContractStatus.ACTIVE,
                    starts_on__lte=d.local_today(),
                    ends_on__gte=d.local_today(),
                )
                if in_force.exists():
                    assert d.status in (DistributorStatus.ACTIVE, DistributorStatus.SUSPENDED), (
                        d.name,
                        d.status,
                    )
                    in_force_checked += 1
                changes = list(DistributorStatusChange.objects.filter(distributor=d).order_by("id"))
                dates = [c.effective_on for c in changes]
                assert dates == sorted(dates), (d.name, dates)
                if changes:
                    assert changes[-1].to_status == d.status, d.name
                    assert d.status_changed_on == dates[-1], d.name
            for d in Distributor.objects.all():
                overdue = LaunchChecklistItem.objects.filter(
                    checklist__distributor=d,
                    done_at__isnull=True,
                    due_on__lt=d.local_today() - dt.timedelta(days=45),
                )
                assert not overdue.exists(), (d.name, list(overdue.values_list("due_on")))
            rates = {(r.currency, r.period_start): r.rate for r in ExchangeRate.objects.all()}
            by_month = defaultdict(Decimal)
            for line in SalesLine.objects.filter(currency="IDR"):
                by_month[(line.distributor_id, line.invoice_date.replace(day=1))] += line.amount
            this_month = dt.date.today().replace(day=1)
            for (_d, month), total in by_month.items():
                if month >= this_month:
                    continue  # the month under way is partial
                assert Decimal(10_000_000) <= total <= Decimal(5_000_000_000), total
                if ("IDR", month) in rates:
                    usd = total * rates["IDR", month] / rates["USD", month]
                    assert usd >= 1000, (total, usd)
                idr_months += 1
            for summary in MonthlySummary.objects.filter(currency="IDR", revenue__isnull=False):
                assert summary.revenue >= Decimal(10_000_000), summary.revenue
    assert checked_contracts >= 8 and idr_months >= 6 and in_force_checked >= 8
    with in_scope(demo[0]):
        straits = Distributor.objects.get(name="Straits Automation Pte. Ltd.")
        assert straits.status == DistributorStatus.ACTIVE
