"""Isolation matrix rows for launch (joined into ROUTES by tests/test_isolation_matrix.py).

Objects: the vendor's template items (one template per vendor, so "another distributor's" item
is the same item as the own one), checklists of distributor 1 and 2 of vendor A and of
distributor 1 of vendor B, their items, and active distributors without a checklist.
"""

from __future__ import annotations

import datetime as dt

from partners.models import Distributor, DistributorStatus, LaunchChecklist
from partners.services.launch import launch_checklist_ensure, launch_template_ensure
from tests.conftest import DISTRIBUTOR_ROLES, in_scope
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

START = dt.date(2026, 1, 5)


def _templates(ctx: Ctx):
    if "launch_templates" not in ctx.tokens:
        result = []
        for tenant in (ctx.a, ctx.b):
            with in_scope(tenant):
                template = launch_template_ensure(vendor=tenant.vendor, actor=tenant.member(VA))
                result.append(template.items.order_by("week", "position", "id").first())
        ctx.tokens["launch_templates"] = result
    return ctx.tokens["launch_templates"]


def template_item(ctx: Ctx, case: str) -> dict:
    a_item, b_item = _templates(ctx)
    return {"pk": pick(case, a_item, a_item, b_item).pk}


def _checklists(ctx: Ctx):
    if "launch_checklists" not in ctx.tokens:
        result = []
        for tenant, distributor in ((ctx.a, ctx.a.d1), (ctx.a, ctx.a.d2), (ctx.b, ctx.b.d1)):
            with in_scope(tenant):
                result.append(
                    launch_checklist_ensure(
                        vendor=tenant.vendor, actor=None, distributor=distributor, start_date=START
                    )
                )
        ctx.tokens["launch_checklists"] = result
    return ctx.tokens["launch_checklists"]


def checklist_distributor(ctx: Ctx, case: str) -> dict:
    return {"pk": pick(case, *(c.distributor_id for c in _checklists(ctx)))}


def checklist(ctx: Ctx, case: str) -> dict:
    return {"pk": pick(case, *(c.pk for c in _checklists(ctx)))}


def checklist_item(ctx: Ctx, case: str) -> dict:
    """A distributor-side item of week 1, not done yet."""
    items = []
    for c in _checklists(ctx):
        with in_scope(c.vendor):
            items.append(c.items.filter(side="distributor").order_by("week", "position").first())
    return {"pk": pick(case, *items).pk}


def active_distributor(ctx: Ctx, case: str) -> dict:
    """Active distributors without a checklist."""
    if "launch_active" not in ctx.tokens:
        for tenant in (ctx.a, ctx.b):
            with in_scope(tenant):
                Distributor.objects.filter(pk__in=[tenant.d1.pk, tenant.d2.pk]).update(
                    status=DistributorStatus.ACTIVE, status_changed_on=START
                )
                assert not LaunchChecklist.objects.exists()
        ctx.tokens["launch_active"] = True
    return {"pk": pick(case, ctx.a.d1, ctx.a.d2, ctx.b.d1).pk}


OBJECTS["launch_template_item"] = template_item
OBJECTS["launch_checklist_distributor"] = checklist_distributor
OBJECTS["launch_checklist"] = checklist
OBJECTS["launch_item"] = checklist_item
OBJECTS["launch_active_distributor"] = active_distributor


# --- payloads and listing checks ---------------------------------------------------------------


def new_item(ctx: Ctx) -> dict:
    return {
        "week": 2,
        "title": "Visit the three largest accounts together",
        "description": "",
        "side": "vendor",
        "due_day": 12,
    }


def owner_payload(ctx: Ctx) -> dict:
    return {"owner": f"m{ctx.a.member(VA).pk}"}


def _no_vendor_b(body: str) -> None:
    assert "Borealis" not in body and "borealis" not in body


def checklist_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Sakura Trading" in body
    assert "Lotus Distribution" not in body
    assert "Hand over the sales kit" in body
    _no_vendor_b(body)


def checklist_list_api(ctx: Ctx, response) -> None:
    ids = {row["distributor"] for row in response.json()["results"]}
    if ctx.role in DISTRIBUTOR_ROLES:
        assert ids <= {ctx.a.d1.pk}
    else:
        assert ids <= {ctx.a.d1.pk, ctx.a.d2.pk}


def checklist_detail_api(ctx: Ctx, response) -> None:
    data = response.json()
    assert data["distributor"] == ctx.a.d1.pk
    assert len(data["items"]) == 12


TICKERS = {VA: 302, CM: 302, EX: 403, DA: 302, DU: 403}
API_TICKERS = {VA: 200, CM: 200, EX: 403, DA: 200, DU: 403}
NOT_FOR_DISTRIBUTORS = each(200, **{DA: 404, DU: 404})
STAFF_READ = staff_only(200, allowed=(VA, CM, EX))

ROUTES: dict[str, Route] = {
    # The vendor's template: staff read, vendor admins edit, distributor roles 403.
    "launch-template": Route(PORTAL, "/{slug}/launch/template/", {"GET": Method(STAFF_READ)}),
    "launch-template-reset": Route(
        PORTAL,
        "/{slug}/launch/template/reset/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302, allowed=(VA,)))},
    ),
    "launch-template-item-create": Route(
        PORTAL,
        "/{slug}/launch/template/items/new/",
        {
            "GET": Method(staff_only(200, allowed=(VA,))),
            "POST": Method(staff_only(302, allowed=(VA,)), data=new_item),
        },
    ),
    "launch-template-item-edit": Route(
        PORTAL,
        "/{slug}/launch/template/items/{pk}/edit/",
        {
            "GET": Method(staff_only(200, allowed=(VA,))),
            "POST": Method(staff_only(302, allowed=(VA,)), data=new_item),
        },
        obj="launch_template_item",
        note="one template per vendor: the 'other distributor' case is the same item",
    ),
    "launch-template-item-move": Route(
        PORTAL,
        "/{slug}/launch/template/items/{pk}/move/",
        {
            "GET": Method(each(405)),
            "POST": Method(staff_only(302, allowed=(VA,)), data=lambda ctx: {"direction": "down"}),
        },
        obj="launch_template_item",
    ),
    "launch-template-item-delete": Route(
        PORTAL,
        "/{slug}/launch/template/items/{pk}/delete/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302, allowed=(VA,)))},
        obj="launch_template_item",
    ),
    # A distributor's checklist.
    "launch-checklist": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/launch/",
        {"GET": Method(each(200), other_distributor=NOT_FOR_DISTRIBUTORS)},
        obj="launch_checklist_distributor",
        listing=checklist_html,
    ),
    "launch-checklist-create": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/launch/start/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="launch_active_distributor",
    ),
    "launch-item-done": Route(
        PORTAL,
        "/{slug}/launch/items/{pk}/done/",
        {
            "GET": Method(each(405)),
            "POST": Method(
                TICKERS, other_distributor={**TICKERS, DA: 404}, data=lambda ctx: {"done": "1"}
            ),
        },
        obj="launch_item",
    ),
    "launch-item-owner": Route(
        PORTAL,
        "/{slug}/launch/items/{pk}/owner/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=owner_payload),
        },
        obj="launch_item",
    ),
    # API.
    "api:launch-template-item-list": Route(
        API,
        "/api/v1/{slug}/launch-template-items/",
        {
            "GET": Method(STAFF_READ),
            "POST": Method(staff_only(201, allowed=(VA,)), data=new_item),
        },
    ),
    "api:launch-template-item-list.<format>": Route(
        API, "/api/v1/{slug}/launch-template-items.{format}", {"GET": Method(STAFF_READ)}
    ),
    "api:launch-template-item-detail": Route(
        API,
        "/api/v1/{slug}/launch-template-items/{pk}/",
        {
            "GET": Method(STAFF_READ),
            "PATCH": Method(
                staff_only(200, allowed=(VA,)), data=lambda ctx: {"title": "Our own words"}
            ),
            "PUT": Method(staff_only(200, allowed=(VA,)), data=new_item),
            "DELETE": Method(staff_only(204, allowed=(VA,))),
        },
        obj="launch_template_item",
    ),
    "api:launch-template-item-detail.<format>": Route(
        API,
        "/api/v1/{slug}/launch-template-items/{pk}.{format}",
        {"GET": Method(STAFF_READ)},
        obj="launch_template_item",
    ),
    "api:launch-checklist-list": Route(
        API,
        "/api/v1/{slug}/launch-checklists/",
        {"GET": Method(each(200))},
        listing=checklist_list_api,
    ),
    "api:launch-checklist-list.<format>": Route(
        API,
        "/api/v1/{slug}/launch-checklists.{format}",
        {"GET": Method(each(200))},
        listing=checklist_list_api,
    ),
    "api:launch-checklist-detail": Route(
        API,
        "/api/v1/{slug}/launch-checklists/{pk}/",
        {"GET": Method(each(200), other_distributor=NOT_FOR_DISTRIBUTORS)},
        obj="launch_checklist",
        listing=checklist_detail_api,
    ),
    "api:launch-checklist-detail.<format>": Route(
        API,
        "/api/v1/{slug}/launch-checklists/{pk}.{format}",
        {"GET": Method(each(200), other_distributor=NOT_FOR_DISTRIBUTORS)},
        obj="launch_checklist",
        listing=checklist_detail_api,
    ),
    "api:launch-item-detail": Route(
        API,
        "/api/v1/{slug}/launch-items/{pk}/",
        {"GET": Method(each(200), other_distributor=NOT_FOR_DISTRIBUTORS)},
        obj="launch_item",
    ),
    "api:launch-item-detail.<format>": Route(
        API,
        "/api/v1/{slug}/launch-items/{pk}.{format}",
        {"GET": Method(each(200), other_distributor=NOT_FOR_DISTRIBUTORS)},
        obj="launch_item",
    ),
}

_DONE_METHODS = {
    "GET": Method(each(405)),
    "POST": Method(API_TICKERS, other_distributor={**API_TICKERS, DA: 404, DU: 404}),
    # The item is not done yet: opening it again succeeds and changes nothing.
    "DELETE": Method(
        API_TICKERS, other_distributor={**API_TICKERS, DA: 404, DU: 404}, changes=frozenset()
    ),
}
ROUTES["api:launch-item-done"] = Route(
    API, "/api/v1/{slug}/launch-items/{pk}/done/", _DONE_METHODS, obj="launch_item"
)
ROUTES["api:launch-item-done.<format>"] = Route(
    API, "/api/v1/{slug}/launch-items/{pk}/done.{format}", _DONE_METHODS, obj="launch_item"
)
