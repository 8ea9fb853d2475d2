"""Isolation matrix rows for profile (joined into ROUTES by tests/test_isolation_matrix.py).

Product lines and territories are the vendor's; a distributor's people reach only those their
own distributor has, so "own" is a line/territory of distributor 1 and "other distributor" one
of distributor 2 only. Contacts and carried brands belong to one distributor each."""

from __future__ import annotations

from tests.conftest import DISTRIBUTOR_ROLES, in_scope
from tests.factories_profile import (
    CarriedBrandFactory,
    ContactFactory,
    ProductLineFactory,
    TerritoryFactory,
    link_product_line,
    link_territory,
)
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

STAFF_READ = staff_only(200, allowed=(VA, CM, EX))
EDITORS_AND_DA = (VA, CM, DA)
HIDDEN_FROM_DA = {DA: 404, DU: 404}


# --- objects ---------------------------------------------------------------------------------


def _build(ctx: Ctx) -> dict:
    if "profile" in ctx.tokens:
        return ctx.tokens["profile"]
    objs: dict = {}
    for tenant, key in ((ctx.a, "a"), (ctx.b, "b")):
        with in_scope(tenant):
            v = tenant.vendor
            line1 = ProductLineFactory(vendor=v, name=f"Cobots {key}")
            line2 = ProductLineFactory(vendor=v, name=f"Vision sensors {key}")
            link_product_line(tenant.d1, line1)
            link_product_line(tenant.d2, line2)
            t1 = TerritoryFactory(vendor=v, name=f"Kanto {key}", country="JP")
            t2 = TerritoryFactory(vendor=v, name=f"Greater Bangkok {key}", country="TH")
            link_territory(tenant.d1, t1)
            link_territory(tenant.d2, t2)
            objs[key] = {
                "product_line": (line1, line2),
                "territory": (t1, t2),
                "contact": (
                    ContactFactory(distributor=tenant.d1, name=f"山田 太郎 {key}"),
                    ContactFactory(distributor=tenant.d2, name=f"Somchai {key}"),
                ),
                "carried_brand": (
                    CarriedBrandFactory(distributor=tenant.d1, brand=f"RivalBot {key}"),
                    CarriedBrandFactory(distributor=tenant.d2, brand=f"OtherBrand {key}"),
                ),
            }
    ctx.tokens["profile"] = objs
    return objs


def _builder(kind: str):
    def build(ctx: Ctx, case: str) -> dict:
        objs = _build(ctx)
        own, other = objs["a"][kind]
        return {"pk": pick(case, own, other, objs["b"][kind][0]).pk}

    return build


for _kind in ("product_line", "territory", "contact", "carried_brand"):
    OBJECTS[_kind] = _builder(_kind)


# --- list checks -----------------------------------------------------------------------------


def _no_b(body: str) -> None:
    assert "Borealis" not in body and "borealis" not in body
    for marker in ("Cobots b", "Kanto b", "RivalBot b", "山田 太郎 b"):
        assert marker not in body


def catalogue_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "Cobots a" in body or "Kanto a" in body
    _no_b(body)


def _api_names(response, key: str) -> set[str]:
    return {row[key] for row in response.json()["results"]}


def product_lines_api(ctx: Ctx, response) -> None:
    names = _api_names(response, "name")
    _no_b(response.content.decode())
    if ctx.role in DISTRIBUTOR_ROLES:
        assert names == {"Cobots a"}
    else:
        assert {"Cobots a", "Vision sensors a"} <= names


def territories_api(ctx: Ctx, response) -> None:
    names = _api_names(response, "name")
    _no_b(response.content.decode())
    if ctx.role in DISTRIBUTOR_ROLES:
        assert names == {"Kanto a"}
    else:
        assert {"Kanto a", "Greater Bangkok a"} <= names


def contacts_api(ctx: Ctx, response) -> None:
    names = _api_names(response, "name")
    _no_b(response.content.decode())
    if ctx.role in DISTRIBUTOR_ROLES:
        assert names == {"山田 太郎 a"}
    else:
        assert names == {"山田 太郎 a", "Somchai a"}


def brands_api(ctx: Ctx, response) -> None:
    names = _api_names(response, "brand")
    _no_b(response.content.decode())
    if ctx.role in DISTRIBUTOR_ROLES:
        assert names == {"RivalBot a"}
    else:
        assert names == {"RivalBot a", "OtherBrand a"}


def status_changes_api(ctx: Ctx, response) -> None:
    assert response.json()["count"] == 0 or ctx.role not in DISTRIBUTOR_ROLES
    _no_b(response.content.decode())


def _seed(ctx: Ctx) -> dict:
    """A list route has no object in its URL, so nothing else would create the rows it shows:
    this "payload" of its GET creates them (the matrix builds payloads before it takes the
    before-state, and a GET sends no payload)."""
    _build(ctx)
    return {}


LIST_GET = Method(each(200), data=_seed)
STAFF_LIST_GET = Method(STAFF_READ, data=_seed)


# --- payloads --------------------------------------------------------------------------------


def product_line_payload(ctx: Ctx) -> dict:
    return {"name": "Grippers", "code": "GR", "description": "", "is_active": True}


def territory_payload(ctx: Ctx) -> dict:
    return {"name": "Kansai", "country": "JP", "description": ""}


def contact_payload(ctx: Ctx) -> dict:
    return {"name": "佐藤 花子", "role": "sales_lead", "title": "部長", "email": "", "phone": ""}


def contact_api_payload(ctx: Ctx) -> dict:
    return {**contact_payload(ctx), "distributor": ctx.a.d1.pk}


def brand_payload(ctx: Ctx) -> dict:
    return {"brand": "Competitor X", "category": "Cobots", "competes": "on", "note": ""}


def brand_api_payload(ctx: Ctx) -> dict:
    return {"brand": "Competitor X", "competes": True, "distributor": ctx.a.d1.pk}


def status_payload(ctx: Ctx) -> dict:
    return {"to_status": "terminated", "effective_on": "2026-01-15", "reason": "Not a fit."}


def selection_payload(ctx: Ctx) -> dict:
    return {
        "references_checked": "on",
        "references_note": "Two customers in Osaka spoke well of them.",
        "financial_check": "not_done",
        "decision": "pending",
        "decision_reason": "",
    }


ROUTES: dict[str, Route] = {
    # Catalogue pages (vendor staff).
    "product-line-list": Route(
        PORTAL,
        "/{slug}/catalogue/product-lines/",
        {
            "GET": STAFF_LIST_GET,
            "POST": Method(staff_only(302), data=product_line_payload),
        },
        listing=catalogue_html,
    ),
    "product-line-edit": Route(
        PORTAL,
        "/{slug}/catalogue/product-lines/{pk}/edit/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=product_line_payload),
        },
        obj="product_line",
    ),
    "territory-list": Route(
        PORTAL,
        "/{slug}/catalogue/territories/",
        {
            "GET": STAFF_LIST_GET,
            "POST": Method(staff_only(302), data=territory_payload),
        },
        listing=catalogue_html,
    ),
    "territory-edit": Route(
        PORTAL,
        "/{slug}/catalogue/territories/{pk}/edit/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=territory_payload),
        },
        obj="territory",
    ),
    # Contacts: editors, and a distributor admin for its own distributor.
    "contact-create": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/contacts/new/",
        {
            "GET": Method(
                staff_only(200, allowed=EDITORS_AND_DA),
                other_distributor=staff_only(200) | {DA: 404},
            ),
            "POST": Method(
                staff_only(302, allowed=EDITORS_AND_DA),
                other_distributor=staff_only(302) | {DA: 404},
                data=contact_payload,
            ),
        },
        obj="distributor",
    ),
    "contact-edit": Route(
        PORTAL,
        "/{slug}/contacts/{pk}/edit/",
        {
            "GET": Method(
                staff_only(200, allowed=EDITORS_AND_DA),
                other_distributor=staff_only(200) | {DA: 404},
            ),
            "POST": Method(
                staff_only(302, allowed=EDITORS_AND_DA),
                other_distributor=staff_only(302) | {DA: 404},
                data=contact_payload,
            ),
        },
        obj="contact",
    ),
    "contact-set-active": Route(
        PORTAL,
        "/{slug}/contacts/{pk}/active/",
        {
            "GET": Method(each(405)),
            "POST": Method(
                staff_only(302, allowed=EDITORS_AND_DA),
                other_distributor=staff_only(302) | {DA: 404},
                data=lambda ctx: {"active": "0"},
            ),
        },
        obj="contact",
    ),
    # Carried brands: editors.
    "carried-brand-create": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/brands/new/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=brand_payload),
        },
        obj="distributor",
    ),
    "carried-brand-remove": Route(
        PORTAL,
        "/{slug}/brands/{pk}/remove/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="carried_brand",
    ),
    # Status: editors.
    "distributor-status": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/status/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=status_payload),
        },
        obj="distributor",
    ),
    # Selection: vendor staff read, editors write, a vendor admin overrides.
    "selection": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/selection/",
        {
            "GET": Method(STAFF_READ),
            "POST": Method(staff_only(302), data=selection_payload),
        },
        obj="distributor",
    ),
    "selection-override": Route(
        PORTAL,
        "/{slug}/distributors/{pk}/selection/override/",
        {
            "GET": Method(each(405)),
            "POST": Method(
                staff_only(302, allowed=(VA,)),
                data=lambda ctx: {"reason": "Strategic account; checks follow."},
            ),
        },
        obj="distributor",
    ),
}


def _api_rows(basename: str, path: str, obj: str, *, listing, payload, detail_methods) -> dict:
    return {
        f"api:{basename}-list": Route(
            API,
            f"/api/v1/{{slug}}/{path}/",
            {"GET": LIST_GET, "POST": Method(payload[1], data=payload[0])},
            listing=listing,
        ),
        f"api:{basename}-list.<format>": Route(
            API, f"/api/v1/{{slug}}/{path}.{{format}}", {"GET": LIST_GET}, listing=listing
        ),
        f"api:{basename}-detail": Route(
            API, f"/api/v1/{{slug}}/{path}/{{pk}}/", detail_methods, obj=obj
        ),
        f"api:{basename}-detail.<format>": Route(
            API,
            f"/api/v1/{{slug}}/{path}/{{pk}}.{{format}}",
            {"GET": Method(each(200), other_distributor=each(200, **HIDDEN_FROM_DA))},
            obj=obj,
        ),
    }


def _editable_detail(payload) -> dict:
    return {
        "GET": Method(each(200), other_distributor=each(200, **HIDDEN_FROM_DA)),
        "PUT": Method(
            staff_only(200), other_distributor=staff_only(200) | HIDDEN_FROM_DA, data=payload
        ),
        "PATCH": Method(
            staff_only(200), other_distributor=staff_only(200) | HIDDEN_FROM_DA, data=payload
        ),
        "DELETE": Method(each(405)),
    }


ROUTES.update(
    _api_rows(
        "product-line",
        "product-lines",
        "product_line",
        listing=product_lines_api,
        payload=(product_line_payload, staff_only(201)),
        detail_methods=_editable_detail(product_line_payload),
    )
)
ROUTES.update(
    _api_rows(
        "territory",
        "territories",
        "territory",
        listing=territories_api,
        payload=(territory_payload, staff_only(201)),
        detail_methods=_editable_detail(territory_payload),
    )
)
_contact_detail = _editable_detail(contact_payload)
for _m in ("PUT", "PATCH"):
    _contact_detail[_m] = Method(
        staff_only(200, allowed=EDITORS_AND_DA),
        other_distributor=staff_only(200) | HIDDEN_FROM_DA,
        data=contact_payload,
    )
ROUTES.update(
    _api_rows(
        "contact",
        "contacts",
        "contact",
        listing=contacts_api,
        payload=(contact_api_payload, staff_only(201, allowed=EDITORS_AND_DA)),
        detail_methods=_contact_detail,
    )
)
ROUTES.update(
    _api_rows(
        "carried-brand",
        "carried-brands",
        "carried_brand",
        listing=brands_api,
        payload=(brand_api_payload, staff_only(201)),
        detail_methods={
            "GET": Method(each(200), other_distributor=each(200, **HIDDEN_FROM_DA)),
            "PATCH": Method(each(405)),
            "DELETE": Method(staff_only(204), other_distributor=staff_only(204) | HIDDEN_FROM_DA),
        },
    )
)
ROUTES.update(
    {
        "api:status-change-list": Route(
            API,
            "/api/v1/{slug}/status-changes/",
            {"GET": Method(each(200))},
            listing=status_changes_api,
        ),  # fmt: skip
        "api:status-change-list.<format>": Route(
            API, "/api/v1/{slug}/status-changes.{format}", {"GET": Method(each(200))}
        ),
        "api:distributor-change-status": Route(
            API,
            "/api/v1/{slug}/distributors/{pk}/change-status/",
            {
                "GET": Method(each(405)),
                # Readers are refused before the lookup: 403 for any id.
                "POST": Method(staff_only(201), data=status_payload),
            },
            obj="distributor",
            role_before_lookup=True,
        ),
        "api:distributor-change-status.<format>": Route(
            API,
            "/api/v1/{slug}/distributors/{pk}/change-status.{format}",
            {"GET": Method(each(405))},
            obj="distributor",
        ),
        "api:selection-checklist-detail": Route(
            API,
            "/api/v1/{slug}/selection-checklists/{pk}/",
            {
                "GET": Method(STAFF_READ, other_distributor=STAFF_READ | HIDDEN_FROM_DA),
                "PATCH": Method(
                    staff_only(200),
                    other_distributor=staff_only(200) | HIDDEN_FROM_DA,
                    data=lambda ctx: {"references_checked": True, "references_note": "Good."},
                ),
                "PUT": Method(
                    staff_only(200),
                    other_distributor=staff_only(200) | HIDDEN_FROM_DA,
                    data=lambda ctx: {"references_checked": True, "decision": "pending"},
                ),
                "DELETE": Method(each(405)),
            },
            obj="distributor",
        ),
        "api:selection-checklist-detail.<format>": Route(
            API,
            "/api/v1/{slug}/selection-checklists/{pk}.{format}",
            {"GET": Method(STAFF_READ, other_distributor=STAFF_READ | HIDDEN_FROM_DA)},
            obj="distributor",
        ),
        "api:selection-checklist-override": Route(
            API,
            "/api/v1/{slug}/selection-checklists/{pk}/override/",
            {
                "GET": Method(each(405)),
                "POST": Method(
                    staff_only(200, allowed=(VA,)),
                    other_distributor=staff_only(200, allowed=(VA,)) | HIDDEN_FROM_DA,
                    data=lambda ctx: {"reason": "Strategic account; checks follow."},
                ),
            },
            obj="distributor",
        ),
        "api:selection-checklist-override.<format>": Route(
            API,
            "/api/v1/{slug}/selection-checklists/{pk}/override.{format}",
            {"GET": Method(each(405))},
            obj="distributor",
        ),
    }
)
