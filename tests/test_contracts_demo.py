"""The demo contracts seed (partners/demo/contracts.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from partners.demo.contracts import seed
from partners.models import (
    Contract,
    ContractAmendment,
    Distributor,
    DistributorStatus,
    ScopeLine,
)
from tests.conftest import VENDOR_ADMIN, in_scope
from tests.factories import DistributorFactory

pytestmark = pytest.mark.django_db


def test_seed_makes_contracts_in_each_situation(world):
    a = world.a
    with in_scope(a):
        DistributorFactory(vendor=a.vendor, name="株式会社山田商事", country="JP", currency="JPY",
                           time_zone="Asia/Tokyo", language="ja")  # fmt: skip
        DistributorFactory(vendor=a.vendor, name="Straits Automation", country="SG")
        Distributor.objects.update(status=DistributorStatus.ACTIVE)
        distributors = list(Distributor.objects.order_by("pk"))
        contracts = seed(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=distributors)
        assert len(contracts) == 4
        today = timezone.localdate()
        phases = [c.phase_on(today).kind for c in contracts]
        assert "launch" in phases and "conditional" in phases
        exclusive = ScopeLine.objects.filter(exclusive_from__lte=today, ends_on__gte=today)
        assert exclusive.exists()
        assert ContractAmendment.objects.count() == 1
        assert Contract.objects.filter(
            ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=60)
        ).exists()
        # Running it again adds nothing.
        assert seed(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=distributors) == []


def test_seed_skips_prospects(world):
    a = world.a
    with in_scope(a):
        distributors = list(Distributor.objects.all())
        assert seed(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=distributors) == []
        assert not Contract.objects.exists()
