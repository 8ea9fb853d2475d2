"""Isolation matrix rows for imports (joined into ROUTES by tests/test_isolation_matrix.py).

Import batches belong to the workspace, not to a distributor: "own" is a batch uploaded by
vendor A's vendor admin, "other distributor" another batch of vendor A (by its channel
manager), "other vendor" a batch of vendor B. Only vendor admins and channel managers reach
batches; the portal refuses everyone else before looking the batch up (403 for any id), the API
finds no batch for them (404, like a missing one). Executives export; distributor roles do
neither.
"""

from __future__ import annotations

import codecs

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import in_scope
from tests.isolation import core
from tests.isolation.core import (
    API,
    CM,
    DA,
    DU,
    EX,
    PORTAL,
    VA,
    Ctx,
    Method,
    Route,
    each,
    pick,
    staff_only,
)

CSV = (
    "Distributor name,Country,Contact name,Contact role\r\n"
    "Kappa Imports,SG,Lee,owner\r\n"
    "Kappa Imports,,Tan,sales rep\r\n"
)


def _batch(tenant, role, name):
    from partners.services.imports import import_batch_create

    with in_scope(tenant):
        return import_batch_create(
            vendor=tenant.vendor,
            actor=tenant.member(role),
            file=SimpleUploadedFile(name, codecs.BOM_UTF8 + CSV.encode(), "text/csv"),
        )


def import_batch(ctx: Ctx, case: str) -> dict:
    if "import_batches" not in ctx.tokens:
        ctx.tokens["import_batches"] = (
            _batch(ctx.a, VA, "own.csv"),
            _batch(ctx.a, CM, "colleague.csv"),
            _batch(ctx.b, VA, "borealis.csv"),
        )
    own, other, foreign = ctx.tokens["import_batches"]
    return {"pk": pick(case, own, other, foreign).pk}


core.OBJECTS["import_batch"] = import_batch


def upload_payload(ctx: Ctx) -> dict:
    return {"file": SimpleUploadedFile("new.csv", CSV.encode(), "text/csv")}


def export_csv(ctx: Ctx, response) -> None:
    body = response.content.decode("utf-8-sig")
    assert "Sakura Trading" in body and "Lotus Distribution" in body
    assert "Borealis" not in body


def batch_api(ctx: Ctx, response) -> None:
    data = response.json()
    assert data["file_name"] == "own.csv"
    assert data["summary"]["distributors_new"] == 1


# Staff who import; the API hides batches from everyone else (404), the portal refuses (403).
IMPORTERS = staff_only(200)
BATCH_API = staff_only(200) | {EX: 404, DA: 404, DU: 404}

ROUTES: dict[str, Route] = {
    "distributor-import": Route(
        PORTAL,
        "/{slug}/distributors/import/",
        {
            "GET": Method(staff_only(200, allowed=(VA, CM, EX))),
            "POST": Method(staff_only(302), data=upload_payload),
        },
    ),
    "distributor-import-template": Route(
        PORTAL, "/{slug}/distributors/import/template/csv/", {"GET": Method(IMPORTERS)}
    ),
    "distributor-import-preview": Route(
        PORTAL,
        "/{slug}/distributors/import/{pk}/",
        {"GET": Method(IMPORTERS)},
        obj="import_batch",
    ),
    "distributor-import-confirm": Route(
        PORTAL,
        "/{slug}/distributors/import/{pk}/confirm/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="import_batch",
    ),
    "distributor-import-discard": Route(
        PORTAL,
        "/{slug}/distributors/import/{pk}/discard/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="import_batch",
    ),
    "distributor-export": Route(
        PORTAL,
        "/{slug}/distributors/export/csv/",
        {"GET": Method(staff_only(200, allowed=(VA, CM, EX)))},
        listing=export_csv,
    ),
    "api:distributor-import-list": Route(
        API,
        "/api/v1/{slug}/distributor-imports/",
        {
            "GET": Method(each(405)),
            "POST": Method(staff_only(201), data=upload_payload, multipart=True),
        },
    ),
    "api:distributor-import-list.<format>": Route(
        API,
        "/api/v1/{slug}/distributor-imports.{format}",
        {"POST": Method(staff_only(201), data=upload_payload, multipart=True)},
    ),
    "api:distributor-import-detail": Route(
        API,
        "/api/v1/{slug}/distributor-imports/{pk}/",
        {"GET": Method(BATCH_API), "DELETE": Method(each(405))},
        obj="import_batch",
        listing=batch_api,
    ),
    "api:distributor-import-detail.<format>": Route(
        API,
        "/api/v1/{slug}/distributor-imports/{pk}.{format}",
        {"GET": Method(BATCH_API)},
        obj="import_batch",
        listing=batch_api,
    ),
    "api:distributor-import-confirm": Route(
        API,
        "/api/v1/{slug}/distributor-imports/{pk}/confirm/",
        {"GET": Method(each(405)), "POST": Method(BATCH_API)},
        obj="import_batch",
    ),
    "api:distributor-import-confirm.<format>": Route(
        API,
        "/api/v1/{slug}/distributor-imports/{pk}/confirm.{format}",
        {"POST": Method(BATCH_API)},
        obj="import_batch",
    ),
    "api:distributor-export-list": Route(
        API,
        "/api/v1/{slug}/distributor-export/",
        {
            "GET": Method(staff_only(200, allowed=(VA, CM, EX))),
            "POST": Method(each(405)),
        },
        listing=export_csv,
    ),
    "api:distributor-export-list.<format>": Route(
        API,
        "/api/v1/{slug}/distributor-export.{format}",
        {"GET": Method(staff_only(200, allowed=(VA, CM, EX)))},
    ),
}
