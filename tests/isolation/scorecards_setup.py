"""Isolation matrix rows for scorecard setup (joined into ROUTES by tests/test_isolation_matrix.py).

Setup pages are vendor staff only: a distributor's people get 403 everywhere (their targets are
on the dashboards' pages). Vendor admins change the catalogue, templates, assignments, ramps,
rates and settings; channel managers change targets and entered values and read the rest;
executives read. KPIs, templates, ramp curves and rates belong to the workspace, not to a
distributor: "own" is one of vendor A's, "other distributor" another of vendor A's, "other
vendor" vendor B's. The portal refuses a role before looking an object up (403 for any id).

API: every member reads KPIs; templates and rates are for vendor staff; a distributor's people
list only their own distributor's targets; vendor admins and channel managers send targets.
"""

from __future__ import annotations

import codecs

from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import Distributor, DistributorStatus
from scorecards.models import ExchangeRate, Kpi, RampCurve, ScorecardTemplate, Target
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

READERS = staff_only(200, allowed=(VA, CM, EX))
ADMIN_WRITE = staff_only(302, allowed=(VA,))
EDITOR_WRITE = staff_only(302)


def prepare(ctx: Ctx) -> None:
    """Both vendors get the standard catalogue and active distributors with targets (once)."""
    if ctx.tokens.get("scorecards_ready"):
        return
    from scorecards.services.catalogue import kpi_catalogue_seed

    for tenant in (ctx.a, ctx.b):
        with in_scope(tenant):
            kpi_catalogue_seed(vendor=tenant.vendor)
            Distributor.objects.filter(vendor=tenant.vendor).update(status=DistributorStatus.ACTIVE)
            revenue = Kpi.objects.get(vendor=tenant.vendor, code="revenue")
            for d in (tenant.d1, tenant.d2):
                Target.objects.create(
                    vendor=tenant.vendor, distributor=d, kpi=revenue, period_kind="quarter",
                    period_start="2026-01-01", full_base=100, full_stretch=120,
                    full_exceed=150, base=100, stretch=120, exceed=150,
                )  # fmt: skip
            ExchangeRate.objects.create(
                vendor=tenant.vendor, currency="JPY", period_start="2026-01-01", rate="0.0067"
            )
            ExchangeRate.objects.create(
                vendor=tenant.vendor, currency="THB", period_start="2026-01-01", rate="0.028"
            )
            ScorecardTemplate.objects.create(vendor=tenant.vendor, name="Japan", countries=["JP"])
            RampCurve.objects.get_or_create(
                vendor=tenant.vendor, country="TH", defaults={"percents": [50, 100]}
            )
    ctx.tokens["scorecards_ready"] = True


def _pair(ctx: Ctx, case: str, model, order: str, **filters) -> dict:
    prepare(ctx)
    with in_scope(ctx.a):
        a_rows = list(model.objects.filter(vendor=ctx.a.vendor, **filters).order_by(order)[:2])
    with in_scope(ctx.b):
        b_row = model.objects.filter(vendor=ctx.b.vendor, **filters).order_by(order).first()
    return {"pk": pick(case, a_rows[0], a_rows[1], b_row).pk}


OBJECTS["sc_kpi"] = lambda ctx, case: _pair(ctx, case, Kpi, "position")
OBJECTS["sc_template"] = lambda ctx, case: _pair(ctx, case, ScorecardTemplate, "name")
OBJECTS["sc_ramp"] = lambda ctx, case: _pair(ctx, case, RampCurve, "-country", country__gt="")
OBJECTS["sc_rate"] = lambda ctx, case: _pair(ctx, case, ExchangeRate, "currency")


def _prepared(builder):
    def build(ctx: Ctx) -> dict:
        prepare(ctx)
        return builder(ctx)

    return build


def kpi_payload(ctx: Ctx) -> dict:
    return {"code": "site-visits", "name": "Site visits", "family": "execution",
            "source": "entered", "unit": "count", "direction": "higher",
            "aggregation": "sum", "weight": "1"}  # fmt: skip


def kpi_edit_payload(ctx: Ctx) -> dict:
    return {"code": "renamed-kpi", "name": "Renamed", "family": "commercial",
            "source": "entered", "unit": "count", "direction": "higher",
            "aggregation": "sum", "weight": "2"}  # fmt: skip


def template_payload(ctx: Ctx) -> dict:
    with in_scope(ctx.a):
        kpis = list(Kpi.objects.filter(vendor=ctx.a.vendor).order_by("position")[:6])
    data = {"name": "Lean six", "countries": ["TH"]}
    for kpi in kpis:
        data[f"kpi_{kpi.pk}"] = "on"
        data[f"weight_{kpi.pk}"] = "1"
    return data


def assign_payload(ctx: Ctx) -> dict:
    with in_scope(ctx.a):
        return {"template": ScorecardTemplate.objects.get(vendor=ctx.a.vendor, name="Japan").pk}


def grid_payload(ctx: Ctx) -> dict:
    d1 = ctx.a.d1.pk
    return {"period": "quarter", "quarter": "2026-04-01", "kpi": "revenue",
            f"base_{d1}": "1000", f"stretch_{d1}": "1200", f"exceed_{d1}": "1500"}  # fmt: skip


def entry_payload(ctx: Ctx) -> dict:
    d1 = ctx.a.d1.pk
    return {"period": "month", "month": "2026-04-01", "kpi": "on-time-delivery",
            f"value_{d1}": "97.5", f"note_{d1}": "from the ERP"}  # fmt: skip


def import_payload(ctx: Ctx) -> dict:
    text = ("Distributor id,KPI code,Period kind,Period start,Base,Stretch,Exceed\r\n"
            f"{ctx.a.d1.pk},revenue,quarter,2026-07-01,10,12,15\r\n")  # fmt: skip
    return {"file": SimpleUploadedFile("t.csv", codecs.BOM_UTF8 + text.encode(), "text/csv")}


def bulk_targets(ctx: Ctx) -> dict:
    return {"targets": [{"distributor": ctx.a.d1.pk, "kpi": "revenue", "period_kind": "month",
                         "period_start": "2026-05-01", "base": "10", "stretch": "11",
                         "exceed": "12"}]}  # fmt: skip


def _no_b(body: str) -> None:
    assert "Borealis" not in body and "borealis" not in body


def grid_listing(ctx: Ctx, response) -> None:
    body = response.content.decode()
    assert f'name="base_{ctx.a.d1.pk}"' in body and f'name="base_{ctx.a.d2.pk}"' in body
    assert f'name="base_{ctx.b.d1.pk}"' not in body
    _no_b(body)


def targets_api_listing(ctx: Ctx, response) -> None:
    distributors = {row["distributor"] for row in response.json()["results"]}
    own = {ctx.a.d1.pk} if ctx.role in (DA, DU) else {ctx.a.d1.pk, ctx.a.d2.pk}
    assert distributors == own


def export_listing(ctx: Ctx, response) -> None:
    text = response.content.decode("utf-8-sig")
    assert "Sakura Trading" in text
    assert f"\r\n{ctx.b.d1.pk}," not in text


STAFF_API = each(200)
STAFF_DETAIL_API = each(200, **{DA: 404, DU: 404})

ROUTES: dict[str, Route] = {
    "kpi-list": Route(PORTAL, "/{slug}/scorecards/kpis/", {"GET": Method(READERS)}),
    "kpi-catalogue-start": Route(
        PORTAL,
        "/{slug}/scorecards/kpis/start/",
        {"GET": Method(each(405)), "POST": Method(ADMIN_WRITE)},
    ),
    "kpi-create": Route(
        PORTAL,
        "/{slug}/scorecards/kpis/new/",
        {
            "GET": Method(staff_only(200, allowed=(VA,))),
            "POST": Method(ADMIN_WRITE, data=_prepared(kpi_payload)),
        },
    ),
    "kpi-edit": Route(
        PORTAL,
        "/{slug}/scorecards/kpis/{pk}/edit/",
        {
            "GET": Method(staff_only(200, allowed=(VA,))),
            "POST": Method(ADMIN_WRITE, data=kpi_edit_payload),
        },
        obj="sc_kpi",
    ),
    "kpi-set-active": Route(
        PORTAL,
        "/{slug}/scorecards/kpis/{pk}/active/",
        {"POST": Method(ADMIN_WRITE, data=lambda ctx: {"active": "0"})},
        obj="sc_kpi",
    ),
    "template-list": Route(
        PORTAL, "/{slug}/scorecards/templates/", {"GET": Method(READERS, data=None)}
    ),
    "template-create": Route(
        PORTAL,
        "/{slug}/scorecards/templates/new/",
        {
            "GET": Method(staff_only(200, allowed=(VA,))),
            "POST": Method(ADMIN_WRITE, data=_prepared(template_payload)),
        },
    ),
    "template-edit": Route(
        PORTAL,
        "/{slug}/scorecards/templates/{pk}/edit/",
        {
            "GET": Method(staff_only(200, allowed=(VA,))),
            "POST": Method(ADMIN_WRITE, data=template_payload),
        },
        obj="sc_template",
    ),
    "template-assign": Route(
        PORTAL,
        "/{slug}/scorecards/templates/assign/{pk}/",
        {"POST": Method(ADMIN_WRITE, data=_prepared(assign_payload))},
        obj="distributor",
    ),
    "target-grid": Route(
        PORTAL,
        "/{slug}/scorecards/targets/",
        {
            "GET": Method(READERS, data=_prepared(lambda ctx: {})),
            "POST": Method(EDITOR_WRITE, data=_prepared(grid_payload)),
        },
    ),
    "target-export": Route(
        PORTAL,
        "/{slug}/scorecards/targets/export/",
        {"GET": Method(READERS, data=_prepared(lambda ctx: {}))},
        listing=export_listing,
    ),
    "target-import": Route(
        PORTAL,
        "/{slug}/scorecards/targets/import/",
        {
            "GET": Method(staff_only(200)),
            "POST": Method(EDITOR_WRITE, data=_prepared(import_payload)),
        },
    ),
    "ramp-list": Route(
        PORTAL,
        "/{slug}/scorecards/ramps/",
        {
            "GET": Method(READERS),
            "POST": Method(ADMIN_WRITE, data=lambda ctx: {"country": "VN", "percents": "30, 100"}),
        },
    ),
    "ramp-delete": Route(
        PORTAL,
        "/{slug}/scorecards/ramps/{pk}/delete/",
        {"POST": Method(ADMIN_WRITE)},
        obj="sc_ramp",
    ),
    "kpi-entry-list": Route(
        PORTAL,
        "/{slug}/scorecards/entries/",
        {
            "GET": Method(READERS),
            "POST": Method(EDITOR_WRITE, data=_prepared(entry_payload)),
        },
    ),
    "exchange-rate-list": Route(
        PORTAL,
        "/{slug}/scorecards/rates/",
        {
            "GET": Method(READERS),
            "POST": Method(
                ADMIN_WRITE,
                data=lambda ctx: {
                    "currency": "JPY",
                    "period_start": "2026-02-01",
                    "rate": "0.0066",
                },
            ),
        },
    ),
    "exchange-rate-delete": Route(
        PORTAL,
        "/{slug}/scorecards/rates/{pk}/delete/",
        {"POST": Method(ADMIN_WRITE)},
        obj="sc_rate",
    ),
    "scorecard-settings": Route(
        PORTAL,
        "/{slug}/scorecards/settings/",
        {
            "GET": Method(READERS),
            "POST": Method(
                ADMIN_WRITE,
                data=lambda ctx: {
                    "reporting_currency": "JPY",
                    "fiscal_year_start_month": "4",
                    "amber_from_percent": "80",
                },
            ),  # fmt: skip
        },
    ),
    # API
    "api:kpi-list": Route(
        API,
        "/api/v1/{slug}/kpis/",
        {
            "GET": Method(each(200), data=_prepared(lambda ctx: {})),
            "POST": Method(staff_only(201, allowed=(VA,)), data=_prepared(kpi_payload)),
        },
        role_before_lookup=True,
    ),
    "api:kpi-list.<format>": Route(API, "/api/v1/{slug}/kpis.{format}", {"GET": Method(each(200))}),
    "api:kpi-detail": Route(
        API,
        "/api/v1/{slug}/kpis/{pk}/",
        {
            "GET": Method(each(200)),
            "PATCH": Method(staff_only(200, allowed=(VA,)), data=lambda ctx: {"weight": "2.5"}),
        },
        obj="sc_kpi",
        role_before_lookup=True,
    ),
    "api:kpi-detail.<format>": Route(
        API, "/api/v1/{slug}/kpis/{pk}.{format}", {"GET": Method(each(200))}, obj="sc_kpi"
    ),
    "api:scorecard-template-list": Route(
        API, "/api/v1/{slug}/scorecard-templates/", {"GET": Method(STAFF_API)}
    ),
    "api:scorecard-template-list.<format>": Route(
        API, "/api/v1/{slug}/scorecard-templates.{format}", {"GET": Method(STAFF_API)}
    ),
    "api:scorecard-template-detail": Route(
        API,
        "/api/v1/{slug}/scorecard-templates/{pk}/",
        {"GET": Method(STAFF_DETAIL_API)},
        obj="sc_template",
    ),
    "api:scorecard-template-detail.<format>": Route(
        API,
        "/api/v1/{slug}/scorecard-templates/{pk}.{format}",
        {"GET": Method(STAFF_DETAIL_API)},
        obj="sc_template",
    ),
    "api:target-list": Route(
        API,
        "/api/v1/{slug}/targets/",
        {"GET": Method(each(200), data=_prepared(lambda ctx: {}))},
        listing=targets_api_listing,
    ),
    "api:target-list.<format>": Route(
        API, "/api/v1/{slug}/targets.{format}", {"GET": Method(each(200))}
    ),
    "api:target-bulk": Route(
        API,
        "/api/v1/{slug}/targets/bulk/",
        {"POST": Method(staff_only(200), data=_prepared(bulk_targets))},
    ),
    "api:target-bulk.<format>": Route(
        API,
        "/api/v1/{slug}/targets/bulk.{format}",
        {"POST": Method(staff_only(200), data=_prepared(bulk_targets))},
    ),
    "api:exchange-rate-list": Route(
        API, "/api/v1/{slug}/exchange-rates/", {"GET": Method(STAFF_API)}
    ),
    "api:exchange-rate-list.<format>": Route(
        API, "/api/v1/{slug}/exchange-rates.{format}", {"GET": Method(STAFF_API)}
    ),
}
