"""Isolation matrix rows for enablement (joined into ROUTES by tests/test_isolation_matrix.py).

Objects per case: a training one of distributor 1's sales reps attended (own), a training only
distributor 2's rep attended (another distributor's), vendor B's training (another vendor's);
the attendance records of those reps; sales kit documents of a product line distributor 1 sells
(own) and of one only distributor 2 sells (another distributor's).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from partners.demo.enablement import minimal_pdf
from partners.models import ContactRole, TrainingKind
from tests.conftest import DISTRIBUTOR_ROLES, in_scope
from tests.factories_enablement import attendance, contact, document, product_line, training
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

STARTED = dt.date.today() - dt.timedelta(days=30)


def _tenant_objects(tenant, prefix: str) -> dict:
    with in_scope(tenant):
        vendor = tenant.vendor
        both = product_line(vendor, f"{prefix} Cobots", sold_by=(tenant.d1, tenant.d2))
        d2_only = product_line(vendor, f"{prefix} Vision", sold_by=(tenant.d2,))
        rep1 = contact(tenant.d1, f"{prefix} Hana Rep")
        lead1 = contact(tenant.d1, f"{prefix} Ken Lead", ContactRole.SALES_LEAD)
        rep2 = contact(tenant.d2, f"{prefix} Somchai Rep")
        t1 = training(vendor, f"{prefix} Sakura course", starts_on=STARTED)
        t2 = training(
            vendor, f"{prefix} Lotus course", kind=TrainingKind.PRODUCT, starts_on=STARTED
        )
        a1 = attendance(t1, rep1, completed_on=STARTED)
        a2 = attendance(t2, rep2)
        doc1 = document(vendor, f"{prefix} Cobot sheet", product_line=both)
        doc2 = document(vendor, f"{prefix} Vision sheet", product_line=d2_only)
        return {
            "line": both,
            "lead1": lead1,
            "training": (t1, t2),
            "attendance": (a1, a2),
            "document": (doc1, doc2),
        }


def objects(ctx: Ctx) -> dict:
    if "enablement" not in ctx.tokens:
        ctx.tokens["enablement"] = {
            "a": _tenant_objects(ctx.a, "Acme"),
            "b": _tenant_objects(ctx.b, "North"),
        }
    return ctx.tokens["enablement"]


def _builder(kind: str):
    def build(ctx: Ctx, case: str) -> dict:
        found = objects(ctx)
        own, other = found["a"][kind]
        return {"pk": pick(case, own, other, found["b"][kind][0]).pk}

    return build


OBJECTS["training"] = _builder("training")
OBJECTS["training_attendance"] = _builder("attendance")
OBJECTS["sales_kit_document"] = _builder("document")


def setup(ctx: Ctx) -> None:
    """Used as the ``data`` of GET rows without an object: a GET sends no data, and the
    builder is what runs before the request, so the listing checks have rows to look for."""
    objects(ctx)


# --- payloads -------------------------------------------------------------------------------


def new_training(ctx: Ctx) -> dict:
    return {
        "title": "Objection handling",
        "kind": TrainingKind.SALES_SKILLS,
        "starts_on": STARTED.isoformat(),
        "provider": "Partner Academy",
        "valid_months": 12,
    }


def training_form(ctx: Ctx) -> dict:
    return {**new_training(ctx), "product_line": "", "ends_on": "", "valid_months": "12"}


def attendees_payload(ctx: Ctx) -> dict:
    return {"contacts": [objects(ctx)["a"]["lead1"].pk], "completed": "", "completed_on": ""}


def completion_form(ctx: Ctx) -> dict:
    return {"completed": "on", "completed_on": (STARTED + dt.timedelta(days=1)).isoformat()}


def new_attendance(ctx: Ctx) -> dict:
    found = objects(ctx)["a"]
    return {"training": found["training"][0].pk, "contact": found["lead1"].pk}


def completion_api(ctx: Ctx) -> dict:
    return {"completed": True, "completed_on": (STARTED + dt.timedelta(days=1)).isoformat()}


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("kit.pdf", minimal_pdf("Kit"), content_type="application/pdf")


def upload_form(ctx: Ctx) -> dict:
    return {
        "title": "Installation FAQ",
        "category": "faq",
        "language": "ja",
        "product_line": objects(ctx)["a"]["line"].pk,
        "description": "",
        "file": _upload(),
    }


def document_form(ctx: Ctx) -> dict:
    return {**upload_form(ctx), "title": "Renamed sheet", "file": ""}


# --- listing checks -------------------------------------------------------------------------


def _body(response) -> str:
    return response.content.decode()


def trainings_html(ctx: Ctx, response) -> None:
    body = _body(response)
    assert "Acme Sakura course" in body
    assert ("Acme Lotus course" in body) is (ctx.role not in DISTRIBUTOR_ROLES)
    assert "North " not in body


def trainings_api(ctx: Ctx, response) -> None:
    titles = {row["title"] for row in response.json()["results"]}
    expected = {"Acme Sakura course"}
    if ctx.role not in DISTRIBUTOR_ROLES:
        expected.add("Acme Lotus course")
    assert titles == expected


def training_detail_html(ctx: Ctx, response) -> None:
    body = _body(response)
    assert "Acme Sakura course" in body and "Acme Hana Rep" in body
    assert "North " not in body
    if ctx.role in DISTRIBUTOR_ROLES:
        assert "Acme Somchai Rep" not in body  # staff are offered them as attendees


def attendance_api(ctx: Ctx, response) -> None:
    names = {row["contact_name"] for row in response.json()["results"]}
    expected = {"Acme Hana Rep"}
    if ctx.role not in DISTRIBUTOR_ROLES:
        expected.add("Acme Somchai Rep")
    assert names == expected


def coverage_html(ctx: Ctx, response) -> None:
    body = _body(response)
    assert "Sakura Trading" in body
    assert ("Lotus Distribution" in body) is (ctx.role not in DISTRIBUTOR_ROLES)
    assert f"/distributors/{ctx.b.d1.pk}/" not in body


def coverage_api(ctx: Ctx, response) -> None:
    rows = {row["distributor"]: row for row in response.json()["results"]}
    expected = {ctx.a.d1.pk} if ctx.role in DISTRIBUTOR_ROLES else {ctx.a.d1.pk, ctx.a.d2.pk}
    assert set(rows) == expected
    # Distributor 1: the rep trained, the lead not: 1 of 2.
    assert (rows[ctx.a.d1.pk]["sales_trained"], rows[ctx.a.d1.pk]["sales_people"]) == (1, 2)


def coverage_detail_api(ctx: Ctx, response) -> None:
    data = response.json()
    assert data["distributor"] == ctx.a.d1.pk
    assert (data["sales_trained"], data["sales_people"], data["share_trained"]) == (1, 2, 50)


def sales_kit_html(ctx: Ctx, response) -> None:
    body = _body(response)
    assert "Acme Cobot sheet" in body
    assert ("Acme Vision sheet" in body) is (ctx.role not in DISTRIBUTOR_ROLES)
    assert "North " not in body


def sales_kit_api(ctx: Ctx, response) -> None:
    titles = {row["title"] for row in response.json()["results"]}
    expected = {"Acme Cobot sheet"}
    if ctx.role not in DISTRIBUTOR_ROLES:
        expected.add("Acme Vision sheet")
    assert titles == expected


def download(ctx: Ctx, response) -> None:
    # The body is checked in tests/test_enablement_sales_kit.py (the matrix reads it first).
    assert response.streaming
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="acme-cobot-sheet.pdf"'


# --- THE TABLE ------------------------------------------------------------------------------

NOT_DISTRIBUTORS = {DA: 404, DU: 404}
STAFF_WRITE_OTHER = staff_only(200) | NOT_DISTRIBUTORS

ROUTES: dict[str, Route] = {
    # Pages
    "training-list": Route(
        PORTAL, "/{slug}/trainings/", {"GET": Method(each(200), data=setup)}, listing=trainings_html
    ),
    "training-create": Route(
        PORTAL,
        "/{slug}/trainings/new/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=training_form)},
    ),
    "training-coverage": Route(
        PORTAL,
        "/{slug}/trainings/coverage/",
        {"GET": Method(each(200), data=setup)},
        listing=coverage_html,
    ),
    "training-detail": Route(
        PORTAL,
        "/{slug}/trainings/{pk}/",
        {"GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="training",
        listing=training_detail_html,
    ),
    "training-edit": Route(
        PORTAL,
        "/{slug}/trainings/{pk}/edit/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=training_form)},
        obj="training",
    ),
    "training-attendees-add": Route(
        PORTAL,
        "/{slug}/trainings/{pk}/attendees/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302), data=attendees_payload)},
        obj="training",
    ),
    "training-attendance-edit": Route(
        PORTAL,
        "/{slug}/trainings/attendance/{pk}/edit/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=completion_form)},
        obj="training_attendance",
    ),
    "training-attendance-remove": Route(
        PORTAL,
        "/{slug}/trainings/attendance/{pk}/remove/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="training_attendance",
    ),
    "sales-kit-list": Route(
        PORTAL, "/{slug}/sales-kit/", {"GET": Method(each(200), data=setup)}, listing=sales_kit_html
    ),
    "sales-kit-upload": Route(
        PORTAL,
        "/{slug}/sales-kit/new/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=upload_form)},
    ),
    "sales-kit-edit": Route(
        PORTAL,
        "/{slug}/sales-kit/{pk}/edit/",
        {"GET": Method(staff_only(200)), "POST": Method(staff_only(302), data=document_form)},
        obj="sales_kit_document",
    ),
    "sales-kit-remove": Route(
        PORTAL,
        "/{slug}/sales-kit/{pk}/remove/",
        {"GET": Method(each(405)), "POST": Method(staff_only(302))},
        obj="sales_kit_document",
    ),
    "sales-kit-download": Route(
        PORTAL,
        "/{slug}/sales-kit/{pk}/download/",
        {"GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="sales_kit_document",
        listing=download,
    ),
    # API
    "api:training-list": Route(
        API,
        "/api/v1/{slug}/trainings/",
        {"GET": Method(each(200), data=setup), "POST": Method(staff_only(201), data=new_training)},
        listing=trainings_api,
    ),
    "api:training-list.<format>": Route(
        API,
        "/api/v1/{slug}/trainings.{format}",
        {"GET": Method(each(200), data=setup)},
        listing=trainings_api,
    ),
    "api:training-detail": Route(
        API,
        "/api/v1/{slug}/trainings/{pk}/",
        {
            "GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS)),
            "PATCH": Method(
                staff_only(200),
                other_distributor=STAFF_WRITE_OTHER,
                data=lambda ctx: {"trainer": "Maria Jensen"},
            ),
            "PUT": Method(staff_only(200), other_distributor=STAFF_WRITE_OTHER, data=new_training),
            "DELETE": Method(each(405)),
        },
        obj="training",
    ),
    "api:training-detail.<format>": Route(
        API,
        "/api/v1/{slug}/trainings/{pk}.{format}",
        {"GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="training",
    ),
    "api:training-attendance-list": Route(
        API,
        "/api/v1/{slug}/training-attendance/",
        {
            "GET": Method(each(200), data=setup),
            "POST": Method(staff_only(201), data=new_attendance),
        },
        listing=attendance_api,
    ),
    "api:training-attendance-list.<format>": Route(
        API,
        "/api/v1/{slug}/training-attendance.{format}",
        {"GET": Method(each(200), data=setup)},
        listing=attendance_api,
    ),
    "api:training-attendance-detail": Route(
        API,
        "/api/v1/{slug}/training-attendance/{pk}/",
        {
            "GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS)),
            "PATCH": Method(
                staff_only(200), other_distributor=STAFF_WRITE_OTHER, data=completion_api
            ),
            "PUT": Method(
                staff_only(200), other_distributor=STAFF_WRITE_OTHER, data=completion_api
            ),
            "DELETE": Method(staff_only(204), other_distributor=staff_only(204) | NOT_DISTRIBUTORS),
        },
        obj="training_attendance",
    ),
    "api:training-attendance-detail.<format>": Route(
        API,
        "/api/v1/{slug}/training-attendance/{pk}.{format}",
        {"GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="training_attendance",
    ),
    "api:training-coverage-list": Route(
        API,
        "/api/v1/{slug}/training-coverage/",
        {"GET": Method(each(200), data=setup), "POST": Method(each(405))},
        listing=coverage_api,
    ),
    "api:training-coverage-list.<format>": Route(
        API,
        "/api/v1/{slug}/training-coverage.{format}",
        {"GET": Method(each(200), data=setup)},
        listing=coverage_api,
    ),
    "api:training-coverage-detail": Route(
        API,
        "/api/v1/{slug}/training-coverage/{pk}/",
        {"GET": Method(each(200), data=setup, other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="distributor",
        listing=coverage_detail_api,
    ),
    "api:training-coverage-detail.<format>": Route(
        API,
        "/api/v1/{slug}/training-coverage/{pk}.{format}",
        {"GET": Method(each(200), data=setup, other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="distributor",
        listing=coverage_detail_api,
    ),
    "api:sales-kit-document-list": Route(
        API,
        "/api/v1/{slug}/sales-kit/",
        {
            "GET": Method(each(200), data=setup),
            "POST": Method(staff_only(201), data=upload_form, multipart=True),
        },
        listing=sales_kit_api,
    ),
    "api:sales-kit-document-list.<format>": Route(
        API,
        "/api/v1/{slug}/sales-kit.{format}",
        {"GET": Method(each(200), data=setup)},
        listing=sales_kit_api,
    ),
    "api:sales-kit-document-detail": Route(
        API,
        "/api/v1/{slug}/sales-kit/{pk}/",
        {
            "GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS)),
            "DELETE": Method(each(405)),
        },
        obj="sales_kit_document",
    ),
    "api:sales-kit-document-detail.<format>": Route(
        API,
        "/api/v1/{slug}/sales-kit/{pk}.{format}",
        {"GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="sales_kit_document",
    ),
    "api:sales-kit-document-download": Route(
        API,
        "/api/v1/{slug}/sales-kit/{pk}/download/",
        {"GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="sales_kit_document",
        listing=download,
    ),
    "api:sales-kit-document-download.<format>": Route(
        API,
        "/api/v1/{slug}/sales-kit/{pk}/download.{format}",
        {"GET": Method(each(200), other_distributor=each(200, **NOT_DISTRIBUTORS))},
        obj="sales_kit_document",
    ),
}
