"""Isolation matrix rows for sell-out (joined into ROUTES by tests/test_isolation_matrix.py).

Objects: sales uploads of distributor 1 and 2 of vendor A and of distributor 1 of vendor B,
checked and ready to import (so a confirmation that goes through changes something). Every
member reads sales data (a distributor's people only their own distributor's); vendor admins,
channel managers and a distributor's people upload, executives do not. Portal pages refuse an
executive's write before looking the upload up (403 for any id).
"""

from __future__ import annotations

import codecs

from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.models import SalesUpload, SalesUploadStatus
from tests.conftest import in_scope
from tests.isolation.core import (
    API,
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
)

CSV = (
    "Invoice number,Line,Invoice date,Customer code,Customer name,Product code,Quantity,Amount\r\n"
    "INV-1,1,2026-03-02,C1,Shop One,P-1,2,2000\r\n"
)


def _file(name="sales.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, codecs.BOM_UTF8 + CSV.encode(), "text/csv")


def _ready_upload(tenant, distributor):
    from reporting.services.sellout import sales_upload_create, sales_upload_validate

    with in_scope(tenant):
        upload = sales_upload_create(
            vendor=tenant.vendor, actor=tenant.member(VA), distributor=distributor, file=_file()
        )
        SalesUpload.objects.filter(pk=upload.pk).update(status=SalesUploadStatus.MAPPED)
        sales_upload_validate(vendor=tenant.vendor, upload_id=upload.pk)
        upload.refresh_from_db()
        assert upload.can_confirm
    return upload


def sales_upload(ctx: Ctx, case: str) -> dict:
    if "sales_uploads" not in ctx.tokens:
        ctx.tokens["sales_uploads"] = (
            _ready_upload(ctx.a, ctx.a.d1),
            _ready_upload(ctx.a, ctx.a.d2),
            _ready_upload(ctx.b, ctx.b.d1),
        )
    return {"pk": pick(case, *ctx.tokens["sales_uploads"]).pk}


OBJECTS["sales_upload"] = sales_upload


def upload_payload(ctx: Ctx) -> dict:
    return {"file": _file("new.csv"), "distributor": ctx.a.d1.pk}


def mapping_payload(ctx: Ctx) -> dict:
    return {"invoice_number": "Invoice number", "line_number": "Line",
            "invoice_date": "Invoice date", "outlet_code": "Customer code",
            "product_code": "Product code", "quantity": "Quantity", "amount": "Amount"}  # fmt: skip


def bulk_lines(ctx: Ctx) -> dict:
    return {
        "distributor": ctx.a.d1.pk,
        "lines": [
            {
                "invoice_number": "ERP-9",
                "line_number": 1,
                "invoice_date": "2026-03-02",
                "product_code": "P-1",
                "quantity": 1,
                "amount": 100,
            }
        ],  # fmt: skip
    }


def bulk_outlets(ctx: Ctx) -> dict:
    return {"distributor": ctx.a.d1.pk, "outlets": [{"code": "C-77", "name": "Shop 77"}]}


def export_csv(ctx: Ctx, response) -> None:
    assert response.content.startswith(codecs.BOM_UTF8)
    assert "Borealis" not in response.content.decode("utf-8-sig")


UPLOADERS = each(302, **{EX: 403})
UPLOADERS_API = each(200, **{EX: 403})
OWN_DISTRIBUTOR_ONLY = {DA: 404, DU: 404}

ROUTES: dict[str, Route] = {
    "sales-line-list": Route(PORTAL, "/{slug}/sales/", {"GET": Method(each(200))}),
    "sales-outlet-list": Route(PORTAL, "/{slug}/sales/outlets/", {"GET": Method(each(200))}),
    "sales-upload-list": Route(
        PORTAL,
        "/{slug}/sales/uploads/",
        {"GET": Method(each(200)), "POST": Method(UPLOADERS, data=upload_payload)},
    ),
    "sales-upload-detail": Route(
        PORTAL,
        "/{slug}/sales/uploads/{pk}/",
        {
            "GET": Method(each(200), other_distributor=each(200, **OWN_DISTRIBUTOR_ONLY)),
            "POST": Method(
                UPLOADERS,
                other_distributor=each(302, **{EX: 403}, **OWN_DISTRIBUTOR_ONLY),
                data=mapping_payload,
            ),
        },
        obj="sales_upload",
    ),
    "sales-upload-confirm": Route(
        PORTAL,
        "/{slug}/sales/uploads/{pk}/confirm/",
        {
            "GET": Method(each(405)),
            "POST": Method(
                UPLOADERS, other_distributor=each(302, **{EX: 403}, **OWN_DISTRIBUTOR_ONLY)
            ),
        },
        obj="sales_upload",
    ),
    "sales-export": Route(
        PORTAL, "/{slug}/sales/export/", {"GET": Method(each(200))}, listing=export_csv
    ),
    "api:sales-line-list": Route(API, "/api/v1/{slug}/sales-lines/", {"GET": Method(each(200))}),
    "api:sales-line-list.<format>": Route(
        API, "/api/v1/{slug}/sales-lines.{format}", {"GET": Method(each(200))}
    ),
    "api:sales-line-bulk": Route(
        API,
        "/api/v1/{slug}/sales-lines/bulk/",
        {"GET": Method(each(405)), "POST": Method(UPLOADERS_API, data=bulk_lines)},
    ),
    "api:sales-line-bulk.<format>": Route(
        API,
        "/api/v1/{slug}/sales-lines/bulk.{format}",
        {"POST": Method(UPLOADERS_API, data=bulk_lines)},
    ),
    "api:outlet-list": Route(API, "/api/v1/{slug}/outlets/", {"GET": Method(each(200))}),
    "api:outlet-list.<format>": Route(
        API, "/api/v1/{slug}/outlets.{format}", {"GET": Method(each(200))}
    ),
    "api:outlet-bulk": Route(
        API,
        "/api/v1/{slug}/outlets/bulk/",
        {"POST": Method(UPLOADERS_API, data=bulk_outlets)},
    ),
    "api:outlet-bulk.<format>": Route(
        API,
        "/api/v1/{slug}/outlets/bulk.{format}",
        {"POST": Method(UPLOADERS_API, data=bulk_outlets)},
    ),
}
