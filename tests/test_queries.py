"""Query counts of list pages do not grow with the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import DistributorStatusChange
from scorecards.models import CorrectivePlan, PlanTrigger, QbrMeeting, Scorecard
from tests.conftest import DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER, VENDOR_ADMIN, in_scope
from tests.factories import (
    ApiTokenRowFactory,
    AuditEventFactory,
    DistributorFactory,
    InvitationFactory,
    MembershipFactory,
)
from tests.factories_contracts import ContractFactory, ScopeLineFactory
from tests.factories_enablement import attendance, contact, training
from tests.factories_profile import (
    CarriedBrandFactory,
    ProductLineFactory,
    TerritoryFactory,
    link_product_line,
    link_territory,
)
from tests.factories_reporting import ReportFactory

pytestmark = pytest.mark.django_db


def add_rows(tenant, start: int, n: int) -> None:
    with in_scope(tenant):
        for i in range(start, start + n):
            d = DistributorFactory(vendor=tenant.vendor, name=f"Extra {tenant.slug} {i}")
            MembershipFactory(vendor=tenant.vendor, role=DISTRIBUTOR_USER, distributor=d)
            InvitationFactory(vendor=tenant.vendor, role=DISTRIBUTOR_USER, distributor=d,
                              invited_by=tenant.user(VENDOR_ADMIN))  # fmt: skip
            AuditEventFactory(vendor=tenant.vendor, actor=tenant.user(VENDOR_ADMIN))
            ApiTokenRowFactory(vendor=tenant.vendor, user=tenant.user(VENDOR_ADMIN))


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/{slug}/",
        "/{slug}/distributors/",
        "/{slug}/members/",
        "/{slug}/audit/",
        "/{slug}/api-tokens/",
        "/api/v1/{slug}/distributors/",
        "/api/v1/{slug}/me/",
    ],
)
def test_list_pages_do_not_grow_with_rows(client, world, path):
    path = path.format(slug=world.a.slug)
    client.force_login(world.a.user(VENDOR_ADMIN))
    add_rows(world.a, 0, 2)
    few = count_queries(client, path)
    add_rows(world.a, 2, 12)
    many = count_queries(client, path)
    assert many == few, f"{path}: {few} queries with few rows, {many} with more"
    assert few <= 25


# --- the distributor page -------------------------------------------------------------------

MONTHS_BACK = [dt.date(2026, m, 1) for m in (4, 3, 2, 1)] + [
    dt.date(2025, m, 1) for m in range(12, 0, -1)
]


def _distributor_rows(tenant, distributor, rounds: range) -> None:
    """What each panel of a distributor's page lists, ``len(rounds)`` more of each: contracts
    with an exclusive and a plain scope line, weekly reports (some missed), monthly
    scorecards, closed corrective plans, QBRs, status changes, sales people with a training,
    carried brands, territories and product lines, people with a login."""
    vendor, now = tenant.vendor, timezone.now()
    with in_scope(tenant):
        course = training(vendor, f"Course {distributor.pk}")
        for i in rounds:
            territory = TerritoryFactory(vendor=vendor, name=f"T{distributor.pk}-{i}")
            line = ProductLineFactory(vendor=vendor, name=f"L{distributor.pk}-{i}")
            link_territory(distributor, territory)
            link_product_line(distributor, line)
            contract = ContractFactory(vendor=vendor, distributor=distributor,
                                       reference=f"C-{distributor.pk}-{i}")  # fmt: skip
            ScopeLineFactory(contract=contract, territory=territory, product_line=line,
                             exclusive_from=dt.date(2026, 4, 1))  # fmt: skip
            ScopeLineFactory(contract=contract, territory=territory,
                             product_line=ProductLineFactory(vendor=vendor))  # fmt: skip
            week = dt.date(2026, 5, 4) - dt.timedelta(weeks=i + 1)
            ReportFactory(distributor=distributor, period_start=week,
                          missed_at=now if i % 2 else None)  # fmt: skip
            Scorecard.objects.create(vendor=vendor, distributor=distributor, period_kind="month",
                                     period_start=MONTHS_BACK[i], score=50,
                                     rag="amber", computed_at=now)  # fmt: skip
            CorrectivePlan.objects.create(vendor=vendor, distributor=distributor,
                                          trigger=PlanTrigger.RED_KPI, status="closed",
                                          closed_at=now, outcome="")  # fmt: skip
            QbrMeeting.objects.create(vendor=vendor, distributor=distributor,
                                      held_on=dt.date(2026, 4, 20) - dt.timedelta(days=90 * i))  # fmt: skip
            DistributorStatusChange.objects.create(
                vendor=vendor, distributor=distributor, from_status="onboarding",
                to_status="active", effective_on=dt.date(2025, 1, 1) + dt.timedelta(days=i),
                reason="Ready",
            )  # fmt: skip
            attendance(
                course, contact(distributor, f"Seller {i}"), completed_on=dt.date(2026, 1, 5)
            )
            CarriedBrandFactory(distributor=distributor, competes=bool(i % 2))
            MembershipFactory(vendor=vendor, role=DISTRIBUTOR_USER, distributor=distributor)


@pytest.mark.parametrize("role", [VENDOR_ADMIN, DISTRIBUTOR_ADMIN])
def test_distributor_page_queries_do_not_grow_with_rows(client, world, role):
    """Every panel of a distributor's page in a fixed number of queries: the distributor is
    read once for all of them, and each panel's rows in one read whatever their number."""
    a = world.a
    path = f"/{a.slug}/distributors/{a.d1.pk}/"
    client.force_login(a.user(role))
    with time_machine.travel(dt.datetime(2026, 5, 11, 3, 0, tzinfo=dt.UTC), tick=False):
        _distributor_rows(a, a.d1, range(0, 2))
        _distributor_rows(a, a.d2, range(0, 2))
        with CaptureQueriesContext(connection) as few:
            body = client.get(path).content.decode()
        assert 'data-testid="plans-panel"' in body and "C-" in body
        _distributor_rows(a, a.d1, range(2, 9))
        _distributor_rows(a, a.d2, range(2, 9))
        add_rows(a, 0, 5)
        with CaptureQueriesContext(connection) as many:
            body = client.get(path).content.decode()
        assert f"C-{a.d1.pk}-8" in body
    distributor_reads = [q for q in many.captured_queries
                         if q["sql"].startswith('SELECT "partners_distributor"."id"')]  # fmt: skip
    assert len(distributor_reads) == 1, [q["sql"][:200] for q in distributor_reads]
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]
    # 50 for the page (about half of them the exclusivity panel's) and 4 for the test's own
    # savepoint and scope around the request.
    assert len(few) <= 54, "\n".join(q["sql"][:160] for q in few.captured_queries)
