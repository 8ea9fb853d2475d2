"""Isolation matrix rows for corrective action plans (joined into ROUTES by
tests/test_isolation_matrix.py).

Objects: an open plan (opened by hand) of distributor 1 and 2 of vendor A and of distributor 1
of vendor B; a suggested plan of each (from red KPIs, not yet opened); and one action in each
open plan, owned by the distributor admin of distributor 1 (vendor A and B) and by distributor
2's user. Vendor staff read every plan; vendor admins and channel managers open, add actions
and review; a distributor's people read their own distributor's opened plans and set the
status of the actions they own (another person's action is not there for them: 404).
"""

from __future__ import annotations

import datetime as dt

from scorecards.models import CorrectivePlan
from scorecards.services.plans import action_add, plan_open
from tests.conftest import in_scope
from tests.isolation.core import (
    API,
    CM,
    DA,
    DU,
    EX,
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

APRIL = dt.date(2026, 4, 1)
DUE = dt.date(2026, 12, 1)


def _open_plans(ctx: Ctx):
    if "plans_open" not in ctx.tokens:
        result = []
        for tenant, distributor, owner in (
            (ctx.a, ctx.a.d1, ctx.a.member(DA)),
            (ctx.a, ctx.a.d2, ctx.a.d2_member),
            (ctx.b, ctx.b.d1, ctx.b.member(DA)),
        ):
            with in_scope(tenant):
                plan = plan_open(
                    vendor=tenant.vendor,
                    actor=tenant.member(CM),
                    distributor=distributor,
                    gap=f"Plan gap of {distributor.name}",
                )
                item = action_add(
                    vendor=tenant.vendor, actor=tenant.member(CM), plan=plan,
                    text="Share the stock report", owner=owner, due_on=DUE,
                )  # fmt: skip
            result.append((plan, item))
        ctx.tokens["plans_open"] = result
    return ctx.tokens["plans_open"]


def plan(ctx: Ctx, case: str) -> dict:
    return {"pk": pick(case, *(p for p, _ in _open_plans(ctx))).pk}


def plan_action(ctx: Ctx, case: str) -> dict:
    return {"pk": pick(case, *(a for _, a in _open_plans(ctx))).pk}


def suggested_plan(ctx: Ctx, case: str) -> dict:
    if "plans_suggested" not in ctx.tokens:
        result = []
        for tenant, distributor in ((ctx.a, ctx.a.d1), (ctx.a, ctx.a.d2), (ctx.b, ctx.b.d1)):
            with in_scope(tenant):
                result.append(
                    CorrectivePlan.objects.create(
                        vendor=tenant.vendor,
                        distributor=distributor,
                        trigger="red_kpi",
                        trigger_period=APRIL,
                        trigger_details={"kpis": []},
                    )  # fmt: skip
                )
        ctx.tokens["plans_suggested"] = result
    return {"pk": pick(case, *ctx.tokens["plans_suggested"]).pk}


OBJECTS["plan"] = plan
OBJECTS["plan_action"] = plan_action
OBJECTS["suggested_plan"] = suggested_plan


# --- payloads and listing checks ---------------------------------------------------------------


def new_plan(ctx: Ctx) -> dict:
    return {"gap": "Weekly reports late four weeks in a row."}


def new_plan_api(ctx: Ctx) -> dict:
    return {"distributor": ctx.a.d1.pk, "gap": "Weekly reports late four weeks in a row."}


def new_action(ctx: Ctx) -> dict:
    return {"text": "Joint call plan", "owner": ctx.a.member(VA).pk, "due_on": "2026-12-15"}


def new_action_api(ctx: Ctx) -> dict:
    return {**new_action(ctx), "plan": _open_plans(ctx)[0][0].pk}


def review(ctx: Ctx) -> dict:
    return {"outcome": "recovered", "reason": "Back on target for two months."}


def plan_detail_api(ctx: Ctx, response) -> None:
    data = response.json()
    assert data["distributor"] == ctx.a.d1.pk
    assert [a["text"] for a in data["actions"]] == ["Share the stock report"]


STAFF_READ = staff_only(200, allowed=(VA, CM, EX))
MANAGERS = staff_only(302)
OWN_DISTRIBUTOR_ONLY = {DA: 404, DU: 404}
# Setting an action's status: managers any; distributor 1's admin owns the action; distributor
# 1's user does not (for them it is not there); executives read only.
TICKERS = {VA: 302, CM: 302, EX: 403, DA: 302, DU: 404}
API_TICKERS = {VA: 200, CM: 200, EX: 403, DA: 200, DU: 403}


def _api_pair(name: str, path: str, methods: dict, **kw) -> dict[str, Route]:
    """A DRF route and its ``.<format>`` twin."""
    return {
        f"api:{name}": Route(API, path + "/", methods, **kw),
        f"api:{name}.<format>": Route(API, path + ".{format}", methods, **kw),
    }


ROUTES: dict[str, Route] = {
    "plan-list": Route(PORTAL, "/{slug}/plans/", {"GET": Method(STAFF_READ)}),
    "plan-mine": Route(
        PORTAL, "/{slug}/plans/mine/", {"GET": Method(each(302, **{DA: 200, DU: 200}))}
    ),
    "plan-create": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/plans/new/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(MANAGERS, data=new_plan),
        },
        obj="distributor",
    ),
    "plan-detail": Route(
        PORTAL,
        "/{slug}/plans/{pk}/",
        {"GET": Method(each(200), other_distributor=each(200, **OWN_DISTRIBUTOR_ONLY))},
        obj="plan",
    ),
    "plan-open": Route(
        PORTAL,
        "/{slug}/plans/{pk}/open/",
        {"GET": Method(each(405)), "POST": Method(MANAGERS, data=lambda ctx: {"gap": ""})},
        obj="suggested_plan",
    ),
    "plan-action-add": Route(
        PORTAL,
        "/{slug}/plans/{pk}/actions/",
        {"GET": Method(each(405)), "POST": Method(MANAGERS, data=new_action)},
        obj="plan",
    ),
    "plan-review": Route(
        PORTAL,
        "/{slug}/plans/{pk}/review/",
        {"GET": Method(staff_only(200)), "POST": Method(MANAGERS, data=review)},
        obj="plan",
    ),
    "plan-action-status": Route(
        PORTAL,
        "/{slug}/plan-actions/{pk}/status/",
        {
            "GET": Method(each(405)),
            "POST": Method(
                TICKERS,
                other_distributor={**TICKERS, DA: 404, DU: 404},
                data=lambda ctx: {"status": "done"},
            ),
        },
        obj="plan_action",
    ),
    # API.
    **_api_pair(
        "corrective-plan-list",
        "/api/v1/{slug}/corrective-plans",
        {
            "GET": Method(each(200)),
            "POST": Method(staff_only(201), data=new_plan_api),
        },
    ),
    **_api_pair(
        "corrective-plan-detail",
        "/api/v1/{slug}/corrective-plans/{pk}",
        {"GET": Method(each(200), other_distributor=each(200, **OWN_DISTRIBUTOR_ONLY))},
        obj="plan",
        listing=plan_detail_api,
    ),
    **_api_pair(
        "corrective-plan-open",
        "/api/v1/{slug}/corrective-plans/{pk}/open",
        {"GET": Method(each(405)), "POST": Method(staff_only(200))},
        obj="suggested_plan",
        role_before_lookup=True,
    ),
    **_api_pair(
        "corrective-plan-review",
        "/api/v1/{slug}/corrective-plans/{pk}/review",
        {"GET": Method(each(405)), "POST": Method(staff_only(200), data=review)},
        obj="plan",
        role_before_lookup=True,
    ),
    **_api_pair(
        "plan-action-list",
        "/api/v1/{slug}/plan-actions",
        {"GET": Method(each(200)), "POST": Method(staff_only(201), data=new_action_api)},
    ),
    **_api_pair(
        "plan-action-detail",
        "/api/v1/{slug}/plan-actions/{pk}",
        {
            "GET": Method(each(200), other_distributor=each(200, **OWN_DISTRIBUTOR_ONLY)),
            "PATCH": Method(
                API_TICKERS,
                other_distributor={**API_TICKERS, **OWN_DISTRIBUTOR_ONLY},
                data=lambda ctx: {"status": "done"},
            ),
        },
        obj="plan_action",
    ),
}
