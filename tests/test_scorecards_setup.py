"""Scorecard setup: ramps, the targets grid (validation that keeps input, ramps shown), import
all or nothing, ramp curves, entered values, templates, roles and recompute requests."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import AuditEvent, Distributor, DistributorStatus, DistributorStatusChange
from scorecards.models import (
    Kpi,
    KpiEntry,
    RampCurve,
    ScorecardAssignment,
    ScorecardPolicy,
    ScorecardRecompute,
    ScorecardTemplate,
    Target,
)
from scorecards.services.catalogue import kpi_catalogue_seed
from scorecards.services.kpis import template_save
from scorecards.services.target_import import targets_import
from scorecards.services.targets import (
    RowsInvalid,
    TargetRow,
    ramp_curve_save,
    ramp_percents_clean,
    target_ramp_percent,
    targets_ramp_reapply,
    targets_upsert,
)
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    in_scope,
)

JP_CURVE, OTHER_CURVE = [25, 50, 75, 100], [40, 70, 100]


@pytest.fixture
def setup_world(world):
    """Vendor A with the standard catalogue; d1 (JP) and d2 (TH) went active on 2026-01-15."""
    a = world.a
    with in_scope(a):
        kpi_catalogue_seed(vendor=a.vendor)
        Distributor.objects.filter(vendor=a.vendor).update(status=DistributorStatus.ACTIVE)
        for d in (a.d1, a.d2):
            DistributorStatusChange.objects.create(
                vendor=a.vendor, distributor=d, from_status="onboarding", to_status="active",
                effective_on=dt.date(2026, 1, 15), reason="signed",
            )  # fmt: skip
        a.d1.refresh_from_db()
        a.d2.refresh_from_db()
    return world


def _curves():
    return {"JP": JP_CURVE, "": OTHER_CURVE}


# --- ramp rule -------------------------------------------------------------------------------


def _percent(distributor, start, *, activated, fiscal=1):
    return target_ramp_percent(distributor, start, fiscal, _curves(), activated_on=activated)


def test_ramp_japan_reaches_full_base_in_its_fourth_quarter():
    jp = Distributor(country="JP")
    went_active = dt.date(2026, 1, 15)
    assert _percent(jp, dt.date(2026, 1, 1), activated=went_active) == 25
    assert _percent(jp, dt.date(2026, 4, 1), activated=went_active) == 50
    assert _percent(jp, dt.date(2026, 7, 1), activated=went_active) == 75
    assert _percent(jp, dt.date(2026, 10, 1), activated=went_active) == 100
    assert _percent(jp, dt.date(2028, 1, 1), activated=went_active) == 100  # capped at the last
    assert _percent(jp, dt.date(2026, 5, 1), activated=went_active) == 50  # a month: its quarter
    assert _percent(jp, dt.date(2025, 10, 1), activated=went_active) == 25  # before: first value


def test_ramp_other_markets_are_faster_and_no_activation_means_full():
    th = Distributor(country="TH")
    went_active = dt.date(2026, 1, 15)
    assert _percent(th, dt.date(2026, 1, 1), activated=went_active) == 40
    assert _percent(th, dt.date(2026, 4, 1), activated=went_active) == 70
    assert _percent(th, dt.date(2026, 7, 1), activated=went_active) == 100
    assert _percent(th, dt.date(2026, 1, 1), activated=None) == 100
    assert target_ramp_percent(th, dt.date(2026, 1, 1), 1, {}, activated_on=went_active) == 100


def test_ramp_counts_fiscal_quarters():
    jp = Distributor(country="JP")
    # April fiscal year: March 2026 is FY2025 Q4, April starts FY2026 Q1 (its second quarter).
    assert _percent(jp, dt.date(2026, 3, 1), activated=dt.date(2026, 3, 20), fiscal=4) == 25
    assert _percent(jp, dt.date(2026, 4, 1), activated=dt.date(2026, 3, 20), fiscal=4) == 50
    # A fiscal year from February: January 15 is in the November-January quarter, so February
    # is already the second quarter (with calendar quarters it is still the first).
    assert _percent(jp, dt.date(2026, 2, 1), activated=dt.date(2026, 1, 15), fiscal=2) == 50
    assert _percent(jp, dt.date(2026, 2, 1), activated=dt.date(2026, 1, 15), fiscal=1) == 25


@pytest.mark.django_db
def test_activation_date_from_history_else_status_date(setup_world):
    a = setup_world.a
    calendar_quarters = 1
    with in_scope(a):
        assert target_ramp_percent(a.d1, dt.date(2026, 4, 1), calendar_quarters, _curves()) == 50
        DistributorStatusChange.objects.filter(distributor=a.d2).delete()
        Distributor.objects.filter(pk=a.d2.pk).update(status_changed_on=dt.date(2026, 4, 2))
        a.d2.refresh_from_db()
        assert target_ramp_percent(a.d2, dt.date(2026, 4, 1), calendar_quarters, _curves()) == 40
        Distributor.objects.filter(pk=a.d2.pk).update(status=DistributorStatus.ONBOARDING)
        a.d2.refresh_from_db()
        assert target_ramp_percent(a.d2, dt.date(2026, 4, 1), calendar_quarters, _curves()) == 100


# --- targets grid ----------------------------------------------------------------------------


def _grid_url(a, **params):
    query = "&".join(f"{k}={v}" for k, v in {"quarter": "2026-04-01", "kpi": "revenue",
                                               **params}.items())  # fmt: skip
    return f"/{a.slug}/scorecards/targets/?{query}"


def test_grid_errors_keep_every_typed_value_and_save_nothing(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    d1, d2 = a.d1.pk, a.d2.pk
    response = client.post(
        f"/{a.slug}/scorecards/targets/",
        {"period": "quarter", "quarter": "2026-04-01", "kpi": "revenue",
         f"base_{d1}": "1,000", f"stretch_{d1}": "900", f"exceed_{d1}": "abc",
         f"base_{d2}": "10", f"stretch_{d2}": "20", f"exceed_{d2}": "-5"},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    for typed in ('value="1,000"', 'value="900"', 'value="abc"', 'value="-5"'):
        assert typed in body
    assert "Stretch is at least base." in body
    assert "Enter a number." in body
    assert "A target cannot be below 0." in body
    with in_scope(a):
        assert not Target.objects.exists()
        assert not ScorecardRecompute.objects.exists()


def test_grid_saves_applies_ramp_shows_it_and_requests_recompute(
    client, setup_world, django_capture_on_commit_callbacks
):
    a = setup_world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    d1, d2 = a.d1.pk, a.d2.pk
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"/{a.slug}/scorecards/targets/",
            {"period": "quarter", "quarter": "2026-01-01", "kpi": "revenue",
             f"base_{d1}": "10,000,000", f"stretch_{d1}": "12000000", f"exceed_{d1}": "15000000",
             f"base_{d2}": "", f"stretch_{d2}": "", f"exceed_{d2}": ""},
        )  # fmt: skip
    assert response.status_code == 302
    assert callbacks  # the recompute task is queued after commit
    with in_scope(a):
        target = Target.objects.get()
        assert target.distributor_id == d1
        assert target.full_base == Decimal("10000000")
        assert target.ramp_percent == 25  # Japan, first quarter
        assert target.base == Decimal("2500000")
        assert target.exceed == Decimal("3750000")
        assert ScorecardRecompute.objects.filter(
            period_kind="quarter", period_start=dt.date(2026, 1, 1)
        ).exists()
        assert AuditEvent.objects.filter(action="scorecards.targets_saved").exists()
    page = client.get(response["Location"]).content.decode()
    assert "ramped 25% of 10,000,000" in page
    assert 'value="10000000"' in page


def test_grid_lower_is_better_reverses_the_order(setup_world):
    a = setup_world.a
    with in_scope(a):
        kpi = Kpi.objects.create(vendor=a.vendor, code="returns", name="Returns",
                                 family="operational", source="entered", unit="percent",
                                 direction="lower", aggregation="average")  # fmt: skip
        row = TargetRow(a.d2, kpi, "quarter", dt.date(2026, 7, 1), "5", "3", "1")
        result = targets_upsert(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), rows=[row])
        assert result == {"created": 1, "updated": 0}
        bad = TargetRow(a.d2, kpi, "quarter", dt.date(2026, 7, 1), "1", "3", "5")
        with pytest.raises(RowsInvalid) as exc:
            targets_upsert(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), rows=[bad])
        assert set(exc.value.rows[0]) == {"stretch", "exceed"}


def test_grid_month_targets_and_a_cleared_row_removes_the_target(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(VENDOR_ADMIN))
    url = f"/{a.slug}/scorecards/targets/"
    d1 = a.d1.pk
    data = {"period": "month", "month": "2026-02-01", "kpi": "units",
            f"base_{d1}": "10", f"stretch_{d1}": "20", f"exceed_{d1}": "30"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    with in_scope(a):
        target = Target.objects.get()
        assert (target.period_kind, target.ramp_percent, target.base) == (
            "month",
            25,
            Decimal("2.5"),
        )
    data.update({f"base_{d1}": "", f"stretch_{d1}": "", f"exceed_{d1}": ""})
    assert client.post(url, data).status_code == 302
    with in_scope(a):
        assert not Target.objects.exists()


def test_a_period_that_is_not_a_fiscal_quarter_is_refused(setup_world):
    a = setup_world.a
    with in_scope(a):
        kpi = Kpi.objects.get(code="revenue")
        row = TargetRow(a.d1, kpi, "quarter", dt.date(2026, 2, 1), 1, 2, 3)
        with pytest.raises(RowsInvalid) as exc:
            targets_upsert(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), rows=[row])
        assert "period_start" in exc.value.rows[0]


# --- roles -----------------------------------------------------------------------------------


def test_roles(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    assert client.get(f"/{a.slug}/scorecards/kpis/").status_code == 200
    assert client.get(f"/{a.slug}/scorecards/kpis/new/").status_code == 403
    assert client.post(f"/{a.slug}/scorecards/kpis/start/").status_code == 403
    with in_scope(a):
        revenue = Kpi.objects.get(code="revenue")
        with pytest.raises(PermissionDenied):
            from scorecards.services.kpis import kpi_update

            kpi_update(vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), kpi=revenue, weight=5)
    client.force_login(a.user(EXECUTIVE))
    page = client.get(_grid_url(a))
    assert page.status_code == 200
    assert "readonly" in page.content.decode()
    assert "Save targets" not in page.content.decode()
    d1 = a.d1.pk
    response = client.post(
        f"/{a.slug}/scorecards/targets/",
        {"quarter": "2026-04-01", "kpi": "revenue", f"base_{d1}": "1", f"stretch_{d1}": "2",
         f"exceed_{d1}": "3"},
    )  # fmt: skip
    assert response.status_code == 403
    for role in (DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER):
        client.force_login(a.user(role))
        assert client.get(_grid_url(a)).status_code == 403
    with in_scope(a):
        assert not Target.objects.exists()


# --- import ----------------------------------------------------------------------------------


def _csv(text: str, encoding="utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile("targets.csv", text.encode(encoding), "text/csv")


def test_import_is_all_or_nothing_with_errors_by_row_and_column(client, setup_world):
    a = setup_world.a
    text = (
        "Distributor name,KPI code,Period kind,Period start,Base,Stretch,Exceed\r\n"
        "sakura trading,revenue,quarter,2026-04-01,100,120,150\r\n"
        "Nobody Ltd,revenue,quarter,2026-04-01,100,120,150\r\n"
        "Lotus Distribution,revenue,quarter,2026-04-01,100,90,150\r\n"
        "Lotus Distribution,no-such-kpi,week,2026-04-01,1,2,3\r\n"
    )
    with in_scope(a):
        with pytest.raises(RowsInvalid) as exc:
            targets_import(vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), file=_csv(text))
        assert exc.value.rows == {
            3: {"distributor": ["No distributor of yours has this name."]},
            4: {"stretch": ["Stretch is at least base."]},
            5: {
                "kpi": ["No KPI of yours has this code."],
                "period_kind": ["Write month or quarter."],
            },
        }
        assert not Target.objects.exists()
    client.force_login(a.user(CHANNEL_MANAGER))
    response = client.post(f"/{a.slug}/scorecards/targets/import/", {"file": _csv(text)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body and "No distributor of yours has this name." in body
    good = "\r\n".join(text.split("\r\n")[:2]) + "\r\n"
    with in_scope(a):
        result = targets_import(
            vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), file=_csv(good, "cp932")
        )
        assert result == {"created": 1, "updated": 0}
        target = Target.objects.get()
        assert (target.distributor_id, target.source, target.ramp_percent) == (
            a.d1.pk,
            "imported",
            50,
        )


def test_export_reads_back_in_as_xlsx(client, setup_world):
    from openpyxl import Workbook, load_workbook

    a = setup_world.a
    with in_scope(a):
        kpi = Kpi.objects.get(code="revenue")
        targets_upsert(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), rows=[
            TargetRow(a.d1, kpi, "quarter", dt.date(2026, 4, 1), 100, 120, 150),
            TargetRow(a.d2, kpi, "quarter", dt.date(2026, 4, 1), 200, 220, 250),
        ])  # fmt: skip
    client.force_login(a.user(EXECUTIVE))
    response = client.get(_grid_url(a).replace("/targets/", "/targets/export/") + "&format=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:7] == ("Distributor id", "Distributor name", "KPI code", "Period kind",
                           "Period start", "Base", "Stretch")  # fmt: skip
    # Change one base in the workbook and import it back.
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows[1:]:
        row = list(row)
        row[5] = 110 if row[1] == "Sakura Trading" else row[5]
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("t.xlsx", buffer.getvalue())
    with in_scope(a):
        assert targets_import(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), file=upload) == {
            "created": 0, "updated": 2}  # fmt: skip
        assert Target.objects.get(distributor=a.d1).full_base == 110


# --- ramp curves -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, ok",
    [("25, 50, 75, 100", True), ("100", True), ("50,40,100", False), ("25, 50", False),
     ("0, 100", False), ("1,2,3,4,5,6,7,8,100", False), ("a, 100", False)],
)  # fmt: skip
def test_ramp_percents_validation(typed, ok):
    if ok:
        assert ramp_percents_clean(typed)[-1] == 100
    else:
        with pytest.raises(ValidationError):
            ramp_percents_clean(typed)


def test_changing_a_curve_reapplies_it_to_open_periods_only(setup_world, time_machine):
    a = setup_world.a
    time_machine.move_to(dt.datetime(2026, 5, 10, 12, tzinfo=dt.UTC))
    with in_scope(a):
        kpi = Kpi.objects.get(code="revenue")
        targets_upsert(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), rows=[
            TargetRow(a.d1, kpi, "quarter", dt.date(2026, 1, 1), 100, 100, 100),
            TargetRow(a.d1, kpi, "quarter", dt.date(2026, 4, 1), 100, 100, 100),
        ])  # fmt: skip
        ramp_curve_save(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), country="JP",
                        percents="10, 20, 100")  # fmt: skip
        ended, current = Target.objects.order_by("period_start")
        assert (ended.ramp_percent, ended.base) == (25, 25)
        assert (current.ramp_percent, current.base) == (20, 20)
        assert RampCurve.objects.get(country="JP").percents == [10, 20, 100]
        assert targets_ramp_reapply(vendor=a.vendor) == 0  # running it again changes nothing


def test_ramp_page_shows_errors_next_to_the_field(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(f"/{a.slug}/scorecards/ramps/", {"country": "JP", "percents": "50, 40"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "A ramp never goes down" in body and 'value="50, 40"' in body


# --- templates, entries, settings ------------------------------------------------------------


def test_template_needs_six_to_ten_kpis_with_a_clear_message(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(VENDOR_ADMIN))
    with in_scope(a):
        kpis = list(Kpi.objects.order_by("position")[:5])
    data = {"name": "Too lean", **{f"kpi_{k.pk}": "on" for k in kpis},
            **{f"weight_{k.pk}": "1" for k in kpis}}  # fmt: skip
    response = client.post(f"/{a.slug}/scorecards/templates/new/", data)
    assert response.status_code == 400
    assert "A scorecard has 6 to 10 KPIs; this one has 5." in response.content.decode()
    assert 'value="Too lean"' in response.content.decode()
    with in_scope(a):
        extra = Kpi.objects.order_by("position")[5]
    data.update({f"kpi_{extra.pk}": "on", f"weight_{extra.pk}": "2", "countries": ["TH"]})
    assert client.post(f"/{a.slug}/scorecards/templates/new/", data).status_code == 302
    with in_scope(a):
        template = ScorecardTemplate.objects.get(name="Too lean")
        assert template.countries == ["TH"]
        assert template.template_kpis.count() == 6
    page = client.get(f"/{a.slug}/scorecards/templates/").content.decode()
    assert "Its country" in page  # Lotus (TH) gets the Thai template


def test_template_default_flag_moves_and_assignment_overrides(setup_world, client):
    a = setup_world.a
    va = a.member(VENDOR_ADMIN)
    with in_scope(a):
        kpis = [(k, Decimal(1)) for k in Kpi.objects.order_by("position")[:6]]
        new = template_save(vendor=a.vendor, actor=va, name="New default", countries=[],
                            is_default=True, kpi_weights=kpis)  # fmt: skip
        assert list(ScorecardTemplate.objects.filter(is_default=True)) == [new]
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(
        f"/{a.slug}/scorecards/templates/assign/{a.d1.pk}/", {"template": new.pk}
    )
    assert response.status_code == 302
    with in_scope(a):
        assert ScorecardAssignment.objects.get(distributor=a.d1).template == new
        assert ScorecardRecompute.objects.exists()


def test_entries_grid_saves_values_of_entered_kpis(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    d1, d2 = a.d1.pk, a.d2.pk
    url = f"/{a.slug}/scorecards/entries/"
    data = {"period": "month", "month": "2026-03-01", "kpi": "on-time-delivery",
            f"value_{d1}": "97.5", f"note_{d1}": "ERP", f"value_{d2}": "x"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400 and 'value="x"' in response.content.decode()
    data[f"value_{d2}"] = ""
    assert client.post(url, data).status_code == 302
    with in_scope(a):
        entry = KpiEntry.objects.get()
        assert (entry.distributor_id, entry.value, entry.note) == (d1, Decimal("97.5"), "ERP")
        assert ScorecardRecompute.objects.filter(period_kind="month").exists()
    # A computed KPI is not offered here.
    page = client.get(url + "?kpi=revenue").content.decode()
    assert 'value="revenue"' not in page


def test_settings_and_rates(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(
        f"/{a.slug}/scorecards/settings/",
        {"reporting_currency": "JPY", "fiscal_year_start_month": "4", "amber_from_percent": "80"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/{a.slug}/scorecards/rates/",
        {"currency": "THB", "period_start": "2026-04-01", "rate": "4.3"},
    )
    assert response.status_code == 302
    bad = client.post(
        f"/{a.slug}/scorecards/rates/",
        {"currency": "THB", "period_start": "2026-04-03", "rate": "0"},
    )
    assert bad.status_code == 400
    assert 'value="2026-04-03"' in bad.content.decode()  # what was typed stays
    bad = client.post(
        f"/{a.slug}/scorecards/settings/",
        {"reporting_currency": "USD", "fiscal_year_start_month": "4", "amber_from_percent": "150"},
    )
    assert bad.status_code == 400 and 'value="150"' in bad.content.decode()
    a.vendor.refresh_from_db()
    assert a.vendor.fiscal_year_start_month == 4
    page = client.get(f"/{a.slug}/scorecards/settings/").content.decode()
    assert '<option value="4" selected>' in page  # the vendor's month, not the default
    with in_scope(a):
        policy = ScorecardPolicy.objects.get()
        assert (policy.reporting_currency, policy.amber_from_percent) == ("JPY", 80)
        event = AuditEvent.objects.get(action="scorecards.policy_updated")
        assert event.changes["fiscal_year_start_month"] == [1, 4]


def test_kpi_form_fixes_a_computed_kpis_shape(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(
        f"/{a.slug}/scorecards/kpis/new/",
        {"code": "leads", "name": "New leads", "family": "commercial", "source": "new_leads",
         "unit": "money", "direction": "lower", "aggregation": "last", "weight": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    with in_scope(a):
        kpi = Kpi.objects.get(code="leads")
        assert (kpi.unit, kpi.direction, kpi.aggregation) == ("count", "higher", "sum")
    duplicate = client.post(
        f"/{a.slug}/scorecards/kpis/new/",
        {"code": "leads", "name": "Again", "family": "commercial", "source": "entered",
         "unit": "count", "direction": "higher", "aggregation": "sum", "weight": "1"},
    )  # fmt: skip
    assert duplicate.status_code == 400
    assert "Another KPI already has this code." in duplicate.content.decode()


def test_catalogue_start_button_seeds_an_empty_workspace(client, world):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    assert (
        "Start from the standard catalogue"
        in client.get(f"/{a.slug}/scorecards/kpis/").content.decode()
    )
    assert client.post(f"/{a.slug}/scorecards/kpis/start/").status_code == 302
    with in_scope(a):
        assert Kpi.objects.count() == 18
        assert RampCurve.objects.get(country="JP").percents == JP_CURVE


# --- API -------------------------------------------------------------------------------------


def test_api_bulk_targets_reports_errors_per_row_and_writes_nothing(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    url = f"/api/v1/{a.slug}/targets/bulk/"
    good = {"distributor": a.d1.pk, "kpi": "revenue", "period_kind": "quarter",
            "period_start": "2026-04-01", "base": "10", "stretch": "12", "exceed": "15"}  # fmt: skip
    payload = {"targets": [good, {**good, "distributor": setup_world.b.d1.pk},
                           {**good, "kpi": "units", "stretch": "1"}]}  # fmt: skip
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 400
    rows = response.json()["rows"]
    assert set(rows) == {"1", "2"}
    assert "distributor" in rows["1"] and "stretch" in rows["2"]
    with in_scope(a):
        assert not Target.objects.exists()
    response = client.post(url, {"targets": [good]}, content_type="application/json")
    assert response.json() == {"created": 1, "updated": 0}


def test_api_distributor_people_list_only_their_own_targets(client, setup_world):
    a = setup_world.a
    with in_scope(a):
        kpi = Kpi.objects.get(code="revenue")
        targets_upsert(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), rows=[
            TargetRow(a.d1, kpi, "quarter", dt.date(2026, 4, 1), 100, 120, 150),
            TargetRow(a.d2, kpi, "quarter", dt.date(2026, 4, 1), 200, 220, 250),
        ])  # fmt: skip
    client.force_login(a.user(DISTRIBUTOR_USER))
    data = client.get(f"/api/v1/{a.slug}/targets/?distributor={a.d2.pk}").json()
    assert data["count"] == 0
    data = client.get(f"/api/v1/{a.slug}/targets/?period_kind=quarter&kpi=revenue").json()
    assert [row["distributor"] for row in data["results"]] == [a.d1.pk]
    assert data["results"][0]["ramp_percent"] == "50.00"
    assert (
        client.post(
            f"/api/v1/{a.slug}/targets/bulk/", {"targets": []}, content_type="application/json"
        ).status_code
        == 403
    )


def test_grid_pages_take_the_same_number_of_queries_for_more_distributors(client, setup_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DistributorFactory

    a = setup_world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    urls = [_grid_url(a), f"/{a.slug}/scorecards/entries/", f"/{a.slug}/scorecards/templates/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    with in_scope(a):
        for n in range(8):
            DistributorFactory(vendor=a.vendor, name=f"Extra {n}", status="active", country="VN",
                               currency="VND")  # fmt: skip
    assert counts() == before


def test_pages_render_in_japanese(client, setup_world):
    a = setup_world.a
    client.force_login(a.user(VENDOR_ADMIN))
    for path in ("kpis/", "templates/", "targets/", "ramps/", "entries/", "rates/", "settings/",
                 "kpis/new/", "templates/new/", "targets/import/"):  # fmt: skip
        response = client.get(f"/{a.slug}/scorecards/{path}", HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 200, path
