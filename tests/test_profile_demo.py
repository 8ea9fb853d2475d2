"""The profile demo seed runs through the services and leaves a lived-in workspace."""

from __future__ import annotations

import pytest

from partners.demo import profile as demo_profile
from partners.models import (
    CarriedBrand,
    Distributor,
    DistributorContact,
    DistributorStatus,
    SelectionChecklist,
    Territory,
)
from tests.conftest import VENDOR_ADMIN, in_scope
from tests.factories import DistributorFactory

pytestmark = pytest.mark.django_db


def test_seed(world):
    a = world.a
    with in_scope(a):
        for name in ("株式会社山田商事", "Straits Automation", "Siam Robotics", "Hanoi Automation"):
            DistributorFactory(vendor=a.vendor, name=name, country="JP" if "株" in name else "SG")
        distributors = list(Distributor.objects.filter(vendor=a.vendor))
        demo_profile.seed(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=distributors)
        assert (
            Territory.objects.filter(name__in=["Kanto", "Kansai", "Singapore", "Bangkok"]).count()
            == 4
        )
        statuses = set(Distributor.objects.values_list("status", flat=True))
        assert {DistributorStatus.ACTIVE, DistributorStatus.PROSPECT} <= statuses
        assert DistributorContact.objects.filter(name="山田 太郎").exists()
        assert CarriedBrand.objects.filter(competes=True).exists()
        mid = SelectionChecklist.objects.filter(decision="pending", overridden_at__isnull=True)
        assert mid.exists() and not mid.first().checks_done
        assert SelectionChecklist.objects.filter(overridden_at__isnull=False).exists()
        assert Distributor.objects.filter(owner__isnull=False).count() == len(distributors)
