"""Query counts of list pages do not grow with the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import DISTRIBUTOR_USER, VENDOR_ADMIN, in_scope
from tests.factories import (
    ApiTokenRowFactory,
    AuditEventFactory,
    DistributorFactory,
    InvitationFactory,
    MembershipFactory,
)

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
