"""Isolation matrix rows for conditional exclusivity (joined into ROUTES by
tests/test_isolation_matrix.py).

Objects: a revoke verdict on an exclusive scope line of distributor 1 and 2 of vendor A and of
distributor 1 of vendor B (so that it can be held as well as overridden). Vendor staff read
every verdict, the verdicts of a quarter, the rules and every distributor's exclusivity page and
timeline; a distributor's people read only their own distributor's (another's is a 404, the
list and the rules a 403). Vendor admins change the rules and override; vendor admins and
channel managers hold revokes and record QBRs. Pages and the API refuse a role that may not write
before looking the object up (a 403 for any id), like ``EditorsWrite``.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from scorecards.models import ExclusivityVerdict
from tests.conftest import in_scope
from tests.factories_contracts import (
    ContractFactory,
    ProductLineFactory,
    ScopeLineFactory,
    TerritoryFactory,
)
from tests.isolation.core import (
    API,
    CM,
    DA,
    DU,
    OBJECTS,
    PORTAL,
    VA,
    Ctx,
    Method,
    Route,
    each,
    pick,
    staff_only,
)

Q = dt.date(2026, 1, 1)


def _verdict(tenant, distributor, n: int) -> ExclusivityVerdict:
    with in_scope(tenant):
        contract = ContractFactory(
            vendor=tenant.vendor,
            distributor=distributor,
            starts_on=dt.date(2025, 1, 1),
            launch_ends_on=dt.date(2025, 3, 31),
            ends_on=dt.date(2099, 12, 31),
        )
        line = ScopeLineFactory(
            vendor=tenant.vendor,
            contract=contract,
            territory=TerritoryFactory(vendor=tenant.vendor, name=f"Matrix region {n}"),
            product_line=ProductLineFactory(vendor=tenant.vendor, name=f"Matrix line {n}"),
            exclusive_from=dt.date(2025, 4, 1),
        )
        return ExclusivityVerdict.objects.create(
            vendor=tenant.vendor, scope_line=line, contract=contract, distributor=distributor,
            quarter_start=Q, quarter_end=dt.date(2026, 3, 31), outcome="revoke",
            conditions_met=False, evidence=[], effective_on=dt.date(2099, 6, 1),
            computed_at=timezone.now(),
        )  # fmt: skip


def exclusivity_verdict(ctx: Ctx, case: str) -> dict:
    if "verdicts" not in ctx.tokens:
        ctx.tokens["verdicts"] = (
            _verdict(ctx.a, ctx.a.d1, 1),
            _verdict(ctx.a, ctx.a.d2, 2),
            _verdict(ctx.b, ctx.b.d1, 3),
        )
    return {"pk": pick(case, *ctx.tokens["verdicts"]).pk}


OBJECTS["exclusivity_verdict"] = exclusivity_verdict


def verdict_list_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Matrix region 1" in body and "Matrix region 2" in body
    assert "Matrix region 3" not in body and "Borealis" not in body


def verdict_list_api(ctx: Ctx, response) -> None:
    exclusivity_verdict(ctx, "own")
    ids = {row["id"] for row in response.json()["results"]}
    own, other, _b = ctx.tokens["verdicts"]
    assert ids == ({own.pk} if ctx.role in (DA, DU) else {own.pk, other.pk})


def _with_verdicts(builder):
    def build(ctx: Ctx) -> dict:
        exclusivity_verdict(ctx, "own")
        return builder(ctx)

    return build


def rules_payload(ctx: Ctx) -> dict:
    return {"launch_days": "60", "require_revenue": "on", "weekly_on_time_percent": "90",
            "warning_quarters": "1", "scale_after_quarters": "4", "evaluate_after_days": "10"}  # fmt: skip


READERS = staff_only(200, allowed=(VA, CM, "executive"))
OWN_ONLY = {DA: 404, DU: 404}
PAGE_READ = Method(each(200), other_distributor=each(200, **OWN_ONLY))
API_READ = Method(each(200), other_distributor=each(200, **OWN_ONLY))
OVERRIDE = {"outcome": "renew", "reason": "Matrix override"}
HOLD = {"held_until": "2099-12-31", "reason": "Matrix hold"}
QBR = {"held_on": "2026-01-15", "notes": "Matrix QBR"}


def _page_write(allowed, ok=302):
    return {"own": staff_only(ok, allowed=allowed)}


def _api_qbr(ctx: Ctx) -> dict:
    return {"distributor": ctx.a.d1.pk, **QBR}


ROUTES: dict[str, Route] = {
    "verdict-list": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/",
        {"GET": Method(READERS, data=_with_verdicts(lambda ctx: {"quarter": "2026-01-01"}))},
        listing=verdict_list_html,
    ),
    "exclusivity-mine": Route(
        PORTAL, "/{slug}/scorecards/exclusivity/mine/", {"GET": Method(each(302))}
    ),
    "exclusivity-rules": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/rules/",
        {
            "GET": Method(READERS),
            "POST": Method(staff_only(302, allowed=(VA,)), data=rules_payload),
        },
    ),
    "verdict-detail": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/verdicts/{pk}/",
        {"GET": PAGE_READ},
        obj="exclusivity_verdict",
    ),
    "verdict-override": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/verdicts/{pk}/override/",
        {"POST": Method(**_page_write((VA,)), data=lambda ctx: OVERRIDE)},
        obj="exclusivity_verdict",
    ),
    "verdict-hold": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/verdicts/{pk}/hold/",
        {"POST": Method(**_page_write((VA, CM)), data=lambda ctx: HOLD)},
        obj="exclusivity_verdict",
    ),
    "distributor-exclusivity": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/distributors/{pk}/",
        {"GET": PAGE_READ},
        obj="distributor",
    ),
    "qbr-record": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/distributors/{pk}/qbr/",
        {"POST": Method(**_page_write((VA, CM)), data=lambda ctx: QBR)},
        obj="distributor",
    ),
    "distributor-timeline": Route(
        PORTAL,
        "/{slug}/scorecards/exclusivity/distributors/{pk}/timeline/",
        {"GET": PAGE_READ},
        obj="distributor",
    ),
}

_API = {
    "api:exclusivity-rules-detail": (
        "/api/v1/{slug}/exclusivity-rules/current/",
        {
            "GET": Method(READERS),
            "PATCH": Method(
                staff_only(200, allowed=(VA,)), data=lambda ctx: {"warning_quarters": 2}
            ),
        },
        None,
        None,
    ),
    "api:exclusivity-verdict-list": (
        "/api/v1/{slug}/exclusivity-verdicts/",
        {"GET": Method(each(200), data=_with_verdicts(lambda ctx: {}))},
        None,
        verdict_list_api,
    ),
    "api:exclusivity-verdict-detail": (
        "/api/v1/{slug}/exclusivity-verdicts/{pk}/",
        {"GET": API_READ},
        "exclusivity_verdict",
        None,
    ),
    "api:exclusivity-verdict-override": (
        "/api/v1/{slug}/exclusivity-verdicts/{pk}/override/",
        {"POST": Method(staff_only(200, allowed=(VA,)), data=lambda ctx: OVERRIDE)},
        "exclusivity_verdict",
        None,
    ),
    "api:exclusivity-verdict-hold": (
        "/api/v1/{slug}/exclusivity-verdicts/{pk}/hold/",
        {"POST": Method(staff_only(200), data=lambda ctx: HOLD)},
        "exclusivity_verdict",
        None,
    ),
    "api:distributor-timeline-detail": (
        "/api/v1/{slug}/distributor-timelines/{pk}/",
        {"GET": API_READ},
        "distributor",
        None,
    ),
    "api:qbr-meeting-list": (
        "/api/v1/{slug}/qbr-meetings/",
        {"GET": Method(each(200)), "POST": Method(staff_only(201), data=_api_qbr)},
        None,
        None,
    ),
}

for _name, (_path, _methods, _obj, _listing) in _API.items():
    _before = _name in ("api:exclusivity-verdict-override", "api:exclusivity-verdict-hold")
    ROUTES[_name] = Route(
        API, _path, _methods, obj=_obj, listing=_listing, role_before_lookup=_before
    )
    _format_path = _path.rstrip("/") + ".{format}"
    ROUTES[f"{_name}.<format>"] = Route(
        API, _format_path, _methods, obj=_obj, role_before_lookup=_before
    )
