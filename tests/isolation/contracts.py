"""Isolation matrix rows for contracts (joined into ROUTES by tests/test_isolation_matrix.py).

List routes have no object, so the matrix does not build contracts for them; what the lists
show to each role is checked in tests/test_contracts_web.py with the same objects.

Objects: vendor A's distributor 1 has contract ``A-D1`` (own), distributor 2 has ``A-D2``
(another distributor's), vendor B's distributor 1 has ``B-D1`` (another vendor's). Each has a
non-exclusive scope line, a QBR clause, an amendment and a signed PDF."""

from __future__ import annotations

import datetime as dt
import json

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import (
    AmendmentKind,
    ClauseKind,
    ContractAmendment,
    Distributor,
    DistributorStatus,
    PerformanceClause,
)
from tests.conftest import DISTRIBUTOR_ROLES, in_scope
from tests.factories_contracts import (
    PDF_BYTES,
    ContractFactory,
    ProductLineFactory,
    ScopeLineFactory,
    TerritoryFactory,
)
from tests.isolation.core import (
    API,
    DA,
    DU,
    OBJECTS,
    PORTAL,
    Ctx,
    Method,
    Route,
    each,
    pick,
    staff_only,
)


def _build(tenant, distributor, reference):
    with in_scope(tenant):
        kanto = TerritoryFactory(vendor=tenant.vendor, name="Kanto", country="JP")
        kansai = TerritoryFactory(vendor=tenant.vendor, name="Kansai", country="JP")
        cobots = ProductLineFactory(vendor=tenant.vendor, name="Cobots")
        contract = ContractFactory(
            vendor=tenant.vendor, distributor=distributor, reference=reference
        )
        line = ScopeLineFactory(contract=contract, territory=kanto, product_line=cobots)
        clause = PerformanceClause.objects.create(
            vendor=tenant.vendor, contract=contract, kind=ClauseKind.QBR_ATTENDANCE
        )
        amendment = ContractAmendment.objects.create(
            vendor=tenant.vendor,
            contract=contract,
            kind=AmendmentKind.EXPAND,
            effective_on=dt.date(2026, 6, 1),
            reason=f"Amendment of {reference}",
        )
        contract.document.save(f"vendor-{tenant.vendor.pk}/contracts/{reference}.pdf",
                               ContentFile(PDF_BYTES), save=False)  # fmt: skip
        contract.document_name = "signed.pdf"
        contract.save()
    return {
        "contract": contract,
        "line": line,
        "clause": clause,
        "amendment": amendment,
        "kansai": kansai,
        "cobots": cobots,
    }


def _objects(ctx: Ctx) -> dict:
    if "contracts" not in ctx.tokens:
        ctx.tokens["contracts"] = {
            "own": _build(ctx.a, ctx.a.d1, "A-D1"),
            "d2": _build(ctx.a, ctx.a.d2, "A-D2"),
            "b": _build(ctx.b, ctx.b.d1, "B-D1"),
        }
    return ctx.tokens["contracts"]


def _with_contracts(ctx: Ctx) -> dict:
    """Make the three contracts before a list is read (a GET sends no payload)."""
    _objects(ctx)
    return {}


def _builder(key: str):
    def build(ctx: Ctx, case: str) -> dict:
        objs = _objects(ctx)
        return {"pk": pick(case, objs["own"][key], objs["d2"][key], objs["b"][key]).pk}

    return build


OBJECTS["contract"] = _builder("contract")
OBJECTS["contract_clause"] = _builder("clause")
OBJECTS["contract_amendment"] = _builder("amendment")
OBJECTS["contract_scope_line"] = _builder("line")


# --- payloads ---------------------------------------------------------------------------------


def _activate_d1(ctx: Ctx) -> None:
    with in_scope(ctx.a):
        Distributor.objects.filter(pk=ctx.a.d1.pk).update(status=DistributorStatus.ACTIVE)


def new_contract_form(ctx: Ctx) -> dict:
    objs = _objects(ctx)["own"]
    _activate_d1(ctx)
    return {
        "distributor": ctx.a.d1.pk,
        "reference": "A-NEW",
        "status": "draft",
        "starts_on": "2028-01-01",
        "ends_on": "2029-12-31",
        "notice_days": "90",
        "reminder_days": "90, 60, 30",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-territory": objs["kansai"].pk,
        "lines-0-product_line": objs["cobots"].pk,
    }


def edited_contract_form(ctx: Ctx) -> dict:
    _objects(ctx)
    return {
        "reference": "A-EDITED",
        "status": "active",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "signed_on": "2025-12-15",
        "launch_ends_on": "2026-03-31",
        "notice_days": "60",
        "reminder_days": "90, 30",
        "exit_rights": "Either side, for missed targets two quarters running.",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
    }


def amendment_form(ctx: Ctx) -> dict:
    objs = _objects(ctx)["own"]
    return {
        "effective_on": "2026-09-01",
        "reason": "Kansai added after a strong launch.",
        "add-TOTAL_FORMS": "1",
        "add-INITIAL_FORMS": "0",
        "add-0-territory": objs["kansai"].pk,
        "add-0-product_line": objs["cobots"].pk,
    }


def clause_form(ctx: Ctx) -> dict:
    _objects(ctx)
    return {"kind": ClauseKind.MIN_REPORTING, "rate": "90"}


def pdf_upload(ctx: Ctx) -> dict:
    _objects(ctx)
    return {"document": SimpleUploadedFile("signed.pdf", PDF_BYTES, "application/pdf")}


def new_contract_api(ctx: Ctx) -> dict:
    objs = _objects(ctx)["own"]
    _activate_d1(ctx)
    return {
        "distributor": ctx.a.d1.pk,
        "reference": "A-API",
        "starts_on": "2028-01-01",
        "ends_on": "2029-12-31",
        "scope_lines": [{"territory": objs["kansai"].pk, "product_line": objs["cobots"].pk}],
    }


def contract_put_api(ctx: Ctx) -> dict:
    _objects(ctx)
    return {
        "reference": "A-PUT",
        "status": "draft",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
        "notice_days": 30,
    }


def amendment_api(ctx: Ctx) -> dict:
    objs = _objects(ctx)["own"]
    return {
        "contract": objs["contract"].pk,
        "effective_on": "2026-09-01",
        "reason": "Kansai added",
        "add_lines": [{"territory": objs["kansai"].pk, "product_line": objs["cobots"].pk}],
    }


def clause_api(ctx: Ctx) -> dict:
    objs = _objects(ctx)["own"]
    return {"contract": objs["contract"].pk, "kind": ClauseKind.MIN_REPORTING, "rate": "95.5"}


# --- list checks -------------------------------------------------------------------------------


def contract_list_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "A-D1" in body
    assert ("A-D2" in body) is (ctx.role not in DISTRIBUTOR_ROLES)
    assert "B-D1" not in body


def contract_detail_html(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert "A-D1" in body and "Kanto" in body and "Amendment of A-D1" in body
    assert "A-D2" not in body and "B-D1" not in body


def _api_refs(response) -> set:
    return {row.get("reference") for row in response.json()["results"]}


def contract_list_api(ctx: Ctx, response) -> None:
    expected = {"A-D1"} if ctx.role in DISTRIBUTOR_ROLES else {"A-D1", "A-D2"}
    assert _api_refs(response) == expected


def contract_pdf(ctx: Ctx, response) -> None:
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def _rows_of(key: str):
    def check(ctx: Ctx, response) -> None:
        objs = _objects(ctx)
        ids = {row["id"] for row in response.json()["results"]}
        assert objs["own"][key].pk in ids
        assert (objs["d2"][key].pk in ids) is (ctx.role not in DISTRIBUTOR_ROLES)
        assert objs["b"][key].pk not in ids
        assert "B-D1" not in json.dumps(response.json())

    return check


OWN_ONLY_FOR_DISTRIBUTORS = each(200, **{DA: 404, DU: 404})
EDITORS = staff_only(200)


def _read():
    return {"GET": Method(each(200), other_distributor=OWN_ONLY_FOR_DISTRIBUTORS)}


ROUTES: dict[str, Route] = {
    # Pages.
    # A list has no object in its URL: the GET's payload builder makes the rows it checks.
    "contract-list": Route(
        PORTAL,
        "/{slug}/contracts/",
        {"GET": Method(each(200), data=_with_contracts)},
        listing=contract_list_html,
    ),
    "contract-create": Route(
        PORTAL,
        "/{slug}/contracts/new/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=new_contract_form),
        },
    ),
    "contract-detail": Route(
        PORTAL,
        "/{slug}/contracts/{pk}/",
        _read(),
        obj="contract",
        listing=contract_detail_html,
    ),
    "contract-edit": Route(
        PORTAL,
        "/{slug}/contracts/{pk}/edit/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(staff_only(302), data=edited_contract_form),
        },
        obj="contract",
    ),
    "contract-amend": Route(
        PORTAL,
        "/{slug}/contracts/{pk}/amend/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=amendment_form)},
        obj="contract",
    ),
    "contract-clause-add": Route(
        PORTAL,
        "/{slug}/contracts/{pk}/clauses/new/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=clause_form)},
        obj="contract",
    ),
    "contract-clause-delete": Route(
        PORTAL,
        "/{slug}/contract-clauses/{pk}/delete/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="contract_clause",
    ),
    "contract-document-upload": Route(
        PORTAL,
        "/{slug}/contracts/{pk}/document/upload/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=pdf_upload)},
        obj="contract",
    ),
    "contract-document": Route(
        PORTAL,
        "/{slug}/contracts/{pk}/document/",
        _read(),
        obj="contract",
        listing=contract_pdf,
    ),
    # API.
    "api:contract-list": Route(
        API,
        "/api/v1/{slug}/contracts/",
        {
            "GET": Method(each(200), data=_with_contracts),
            "POST": Method(staff_only(201), data=new_contract_api),
        },
        listing=contract_list_api,
        role_before_lookup=True,
    ),
    "api:contract-list.<format>": Route(
        API, "/api/v1/{slug}/contracts.{format}", {"GET": Method(each(200))}
    ),
    "api:contract-detail": Route(
        API,
        "/api/v1/{slug}/contracts/{pk}/",
        {
            **_read(),
            "PATCH": Method(
                EDITORS,
                data=lambda ctx: {"exit_rights": "Termination for missed targets."},
            ),
            "PUT": Method(EDITORS, data=contract_put_api),
            "DELETE": Method(staff_only(405)),
        },
        obj="contract",
        role_before_lookup=True,
    ),
    "api:contract-detail.<format>": Route(
        API, "/api/v1/{slug}/contracts/{pk}.{format}", _read(), obj="contract"
    ),
    "api:contract-document": Route(
        API,
        "/api/v1/{slug}/contracts/{pk}/document/",
        _read(),
        obj="contract",
        listing=contract_pdf,
    ),
    "api:contract-document.<format>": Route(
        API, "/api/v1/{slug}/contracts/{pk}/document.{format}", _read(), obj="contract"
    ),
    "api:contract-scope-line-list": Route(
        API,
        "/api/v1/{slug}/contract-scope-lines/",
        {"GET": Method(each(200))},
    ),
    "api:contract-scope-line-list.<format>": Route(
        API, "/api/v1/{slug}/contract-scope-lines.{format}", {"GET": Method(each(200))}
    ),
    "api:contract-scope-line-detail": Route(
        API, "/api/v1/{slug}/contract-scope-lines/{pk}/", _read(), obj="contract_scope_line"
    ),
    "api:contract-scope-line-detail.<format>": Route(
        API,
        "/api/v1/{slug}/contract-scope-lines/{pk}.{format}",
        _read(),
        obj="contract_scope_line",
    ),
    "api:contract-amendment-list": Route(
        API,
        "/api/v1/{slug}/contract-amendments/",
        {"GET": Method(each(200)), "POST": Method(staff_only(201), data=amendment_api)},
        role_before_lookup=True,
    ),
    "api:contract-amendment-list.<format>": Route(
        API, "/api/v1/{slug}/contract-amendments.{format}", {"GET": Method(each(200))}
    ),
    "api:contract-amendment-detail": Route(
        API, "/api/v1/{slug}/contract-amendments/{pk}/", _read(), obj="contract_amendment"
    ),
    "api:contract-amendment-detail.<format>": Route(
        API,
        "/api/v1/{slug}/contract-amendments/{pk}.{format}",
        _read(),
        obj="contract_amendment",
    ),
    "api:contract-clause-list": Route(
        API,
        "/api/v1/{slug}/contract-clauses/",
        {"GET": Method(each(200)), "POST": Method(staff_only(201), data=clause_api)},
        role_before_lookup=True,
    ),
    "api:contract-clause-list.<format>": Route(
        API, "/api/v1/{slug}/contract-clauses.{format}", {"GET": Method(each(200))}
    ),
    "api:contract-clause-detail": Route(
        API,
        "/api/v1/{slug}/contract-clauses/{pk}/",
        {
            **_read(),
            "PATCH": Method(EDITORS, data=lambda ctx: {"note": "Quarterly"}),
            "PUT": Method(
                EDITORS,
                data=lambda ctx: {"kind": ClauseKind.QBR_ATTENDANCE, "note": "In person"},
            ),
            "DELETE": Method(staff_only(204)),
        },
        obj="contract_clause",
        role_before_lookup=True,
    ),
    "api:contract-clause-detail.<format>": Route(
        API, "/api/v1/{slug}/contract-clauses/{pk}.{format}", _read(), obj="contract_clause"
    ),
}
