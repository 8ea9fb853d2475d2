"""The partner's two-minute form: drafts, submissions, versions, prefill, the form page, autosave,
the "Reports to do" panel and the API."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from partners.models import AuditEvent
from reporting.models import (
    MonthlySummary,
    Report,
    ReportKind,
    ReportReview,
    ReportReviewAction,
    ReportStatus,
    ReportVersion,
    WeeklyUpdate,
)
from reporting.services import submissions as svc
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories_reporting import MonthlySummaryFactory, ReportFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # the week reported on: 2-8 March 2026
DUE = dt.datetime(2026, 3, 9, 3, 0, tzinfo=dt.UTC)  # Monday 9 March, noon in Tokyo
BEFORE_DUE = dt.datetime(2026, 3, 9, 1, 0, tzinfo=dt.UTC)
AFTER_DUE = dt.datetime(2026, 3, 9, 5, 0, tzinfo=dt.UTC)

WEEKLY = {
    "new_leads": 4,
    "meetings_held": 3,
    "opportunities_discovery": 5,
    "opportunities_proposal": 2,
    "opportunities_negotiation": 1,
    "blockers": [{"tag": "pricing", "text": "Rival 10% cheaper"}],
    "priorities": ["Close the Osaka deal", "Demo day"],
}
MONTHLY = {
    "units_sold": 120,
    "revenue": "4800000.00",
    "leads": 40,
    "quotes": 12,
    "orders": 6,
}
WEEKLY_POST = {
    "new_leads": "4",
    "meetings_held": "3",
    "opportunities_discovery": "5",
    "opportunities_proposal": "2",
    "opportunities_negotiation": "1",
    "blocker_1_tag": "pricing",
    "blocker_1_text": "Rival 10% cheaper",
    "blocker_2_tag": "",
    "blocker_2_text": "",
    "blocker_3_tag": "",
    "blocker_3_text": "",
    "priority_1": "Close the Osaka deal",
    "priority_2": "Demo day",
    "priority_3": "",
}


def weekly_report(tenant, distributor=None, start=MONDAY, **kwargs) -> Report:
    with in_scope(tenant):
        return ReportFactory(
            distributor=distributor or tenant.d1,
            period_start=start,
            due_at=kwargs.pop("due_at", DUE + (start - MONDAY)),
            **kwargs,
        )


def monthly_report(tenant, start=dt.date(2026, 2, 1), **kwargs) -> Report:
    with in_scope(tenant):
        return ReportFactory(
            distributor=tenant.d1,
            kind=ReportKind.MONTHLY,
            period_start=start,
            due_at=dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC),
            **kwargs,
        )


def reload(tenant, report) -> Report:
    with in_scope(tenant):
        return Report.objects.select_related("distributor").get(pk=report.pk)


def submit(tenant, report, role=DISTRIBUTOR_USER, data=None):
    with in_scope(tenant):
        return svc.report_submit(
            vendor=tenant.vendor,
            actor=tenant.member(role),
            report=reload(tenant, report),
            data=WEEKLY if data is None else data,
        )


def return_report(tenant, report, comment="Leads look doubled: please check."):
    """What the review area does: a return for correction, with its comment."""
    with in_scope(tenant):
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED)
        ReportReview.objects.create(
            vendor=tenant.vendor,
            report_id=report.pk,
            action=ReportReviewAction.RETURN,
            comment=comment,
            version_number=1,
            author=tenant.member(CHANNEL_MANAGER),
        )


# --- services: drafts --------------------------------------------------------------------------


def test_draft_save_creates_the_content_keeps_partial_input_and_starts_the_draft(world):
    a = world.a
    report = weekly_report(a)
    with in_scope(a), time_machine.travel(BEFORE_DUE, tick=False):
        svc.report_draft_save(
            vendor=a.vendor,
            actor=a.member(DISTRIBUTOR_USER),
            report=reload(a, report),
            data={"new_leads": 7, "priorities": ["Restock", ""]},
        )
        stored = Report.objects.get(pk=report.pk)
        content = WeeklyUpdate.objects.get(report=report)
        assert stored.status == ReportStatus.DRAFT
        assert stored.draft_saved_at == BEFORE_DUE
        assert content.new_leads == 7 and content.meetings_held is None
        assert content.priorities == ["Restock"]
        assert not ReportVersion.objects.exists()
        # A second draft save changes only what it names.
        svc.report_draft_save(
            vendor=a.vendor,
            actor=a.member(DISTRIBUTOR_ADMIN),
            report=stored,
            data={"meetings_held": "2"},
        )
        content.refresh_from_db()
        assert (content.new_leads, content.meetings_held) == (7, 2)


def test_monthly_draft_is_in_the_distributors_currency(world):
    a = world.a
    report = monthly_report(a)
    with in_scope(a):
        svc.report_draft_save(
            vendor=a.vendor,
            actor=a.member(DISTRIBUTOR_USER),
            report=reload(a, report),
            data={"revenue": "1200.50", "units_sold": -3},
        )
        summary = MonthlySummary.objects.get(report=report)
    assert summary.currency == "JPY"
    assert summary.revenue == Decimal("1200.50") and summary.units_sold == -3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"new_leads": -1}, "new_leads"),
        ({"meetings_held": "three"}, "meetings_held"),
        ({"opportunities_proposal": 1_000_001}, "opportunities_proposal"),
        ({"blockers": [{"tag": "weather", "text": "Rain"}]}, "blocker_1_tag"),
        ({"priorities": ["a", "b", "c", "d"]}, "priorities"),
        ({"revenue": "12"}, "revenue"),  # not a weekly field
    ],
)
def test_draft_checks_types_and_changes_nothing_on_error(world, data, field):
    a = world.a
    report = weekly_report(a)
    before = db_state()
    with in_scope(a), pytest.raises(ValidationError) as exc:
        svc.report_draft_save(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER), report=reload(a, report), data=data
        )
    assert field in exc.value.message_dict
    assert db_state() == before


@pytest.mark.parametrize("role", [VENDOR_ADMIN, CHANNEL_MANAGER, EXECUTIVE])
def test_staff_cannot_write_a_report(world, role):
    a = world.a
    report = weekly_report(a)
    before = db_state()
    with in_scope(a):
        with pytest.raises(PermissionDenied):
            svc.report_draft_save(
                vendor=a.vendor, actor=a.member(role), report=reload(a, report), data=WEEKLY
            )
        with pytest.raises(PermissionDenied):
            svc.report_submit(
                vendor=a.vendor, actor=a.member(role), report=reload(a, report), data=WEEKLY
            )
    assert db_state() == before


def test_another_distributors_person_cannot_write(world):
    a = world.a
    report = weekly_report(a)
    before = db_state()
    with in_scope(a), pytest.raises(PermissionDenied):
        svc.report_submit(vendor=a.vendor, actor=a.d2_member, report=reload(a, report), data=WEEKLY)
    assert db_state() == before


# --- services: submissions ---------------------------------------------------------------------


def test_submit_creates_version_1_on_time(world):
    a = world.a
    report = weekly_report(a)
    with time_machine.travel(BEFORE_DUE, tick=False):
        submit(a, report)
    with in_scope(a):
        stored = Report.objects.get(pk=report.pk)
        version = ReportVersion.objects.get(report=report)
        assert AuditEvent.objects.filter(action="report.submit", object_id=str(report.pk)).exists()
    assert stored.status == ReportStatus.SUBMITTED
    assert stored.submitted_at == stored.last_submitted_at == BEFORE_DUE
    assert stored.submitted_by_id == a.member(DISTRIBUTOR_USER).pk
    assert stored.version_count == 1 and not stored.is_late
    assert version.number == 1 and version.was_late is False
    assert version.data["priorities"] == WEEKLY["priorities"]
    assert version.data["blockers"] == WEEKLY["blockers"]
    assert version.data["new_leads"] == 4


def test_submit_after_the_due_moment_is_late(world):
    a = world.a
    report = weekly_report(a)
    with time_machine.travel(AFTER_DUE, tick=False):
        submit(a, report)
    stored = reload(a, report)
    with in_scope(a):
        assert ReportVersion.objects.get(report=report).was_late is True
    assert stored.is_late


def test_submit_lays_data_over_the_draft(world):
    a = world.a
    report = weekly_report(a)
    with in_scope(a):
        svc.report_draft_save(
            vendor=a.vendor,
            actor=a.member(DISTRIBUTOR_USER),
            report=reload(a, report),
            data={k: v for k, v in WEEKLY.items() if k != "new_leads"},
        )
    submit(a, report, data={"new_leads": 9})
    with in_scope(a):
        assert ReportVersion.objects.get(report=report).data["new_leads"] == 9
        assert WeeklyUpdate.objects.get(report=report).meetings_held == 3


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"new_leads": None}, {"new_leads"}),
        ({"priorities": []}, {"priority_1"}),
        ({"blockers": [{"tag": "", "text": "No stock"}]}, {"blocker_1_tag"}),
        ({"blockers": [{"tag": "stock", "text": ""}]}, {"blocker_1_text"}),
        ({"blockers": [{"tag": "stock", "text": "x"}] * 4}, {"blockers"}),
    ],
)
def test_submit_validates_everything_and_changes_nothing(world, change, fields):
    a = world.a
    report = weekly_report(a)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        submit(a, report, data={**WEEKLY, **change})
    assert set(exc.value.message_dict) == fields
    assert db_state() == before


def test_monthly_rules(world):
    a = world.a
    report = monthly_report(a)
    with pytest.raises(ValidationError) as exc:
        submit(a, report, data={"units_sold": 3, "revenue": "-10"})
    errors = exc.value.message_dict
    assert set(errors) == {"revenue", "leads", "quotes", "orders"}
    # Returns larger than sales: negative units and revenue are accepted; orders may exceed
    # quotes (real data is messy).
    submit(a, report, data={**MONTHLY, "units_sold": -4, "revenue": "-800.00", "orders": 50})
    with in_scope(a):
        version = ReportVersion.objects.get(report=report)
    assert version.data["revenue"] == "-800.00" and version.data["currency"] == "JPY"


def test_resubmit_after_return_creates_version_2_and_keeps_the_first_submission_time(world):
    a = world.a
    report = weekly_report(a)
    with time_machine.travel(BEFORE_DUE, tick=False):
        submit(a, report)
    return_report(a, report)
    later = AFTER_DUE + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        submit(a, report, role=DISTRIBUTOR_ADMIN, data={"new_leads": 2})
    stored = reload(a, report)
    assert stored.status == ReportStatus.RESUBMITTED
    assert stored.submitted_at == BEFORE_DUE and stored.last_submitted_at == later
    assert stored.version_count == 2 and not stored.is_late
    with in_scope(a):
        versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [v.data["new_leads"] for v in versions] == [4, 2]


def test_draft_after_return_keeps_status_returned(world):
    a = world.a
    report = weekly_report(a)
    submit(a, report)
    return_report(a, report)
    with in_scope(a):
        svc.report_draft_save(
            vendor=a.vendor,
            actor=a.member(DISTRIBUTOR_USER),
            report=reload(a, report),
            data={"new_leads": 1},
        )
    assert reload(a, report).status == ReportStatus.RETURNED


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED])
def test_handed_in_report_is_locked(world, status):
    a = world.a
    report = weekly_report(a)
    submit(a, report)
    with in_scope(a):
        Report.objects.filter(pk=report.pk).update(status=status)
    before = db_state()
    for write in (svc.report_draft_save, svc.report_submit):
        with in_scope(a), pytest.raises(ValidationError):
            write(
                vendor=a.vendor,
                actor=a.member(DISTRIBUTOR_USER),
                report=reload(a, report),
                data=WEEKLY,
            )
    assert db_state() == before


# --- services: prefill -------------------------------------------------------------------------


def test_prefill_carries_open_opportunities_and_priorities_from_the_last_handed_in_week(world):
    a = world.a
    earlier = weekly_report(a, start=MONDAY - dt.timedelta(days=14))
    submit(a, earlier, data={**WEEKLY, "priorities": ["Old"]})
    previous = weekly_report(a, start=MONDAY - dt.timedelta(days=7))
    submit(a, previous)
    weekly_report(a, distributor=a.d2, start=MONDAY - dt.timedelta(days=7))  # not d1's
    report = weekly_report(a)
    with in_scope(a):
        prefill = svc.report_prefill(vendor=a.vendor, report=reload(a, report))
    assert prefill == {
        "opportunities_discovery": 5,
        "opportunities_proposal": 2,
        "opportunities_negotiation": 1,
        "priorities": ["Close the Osaka deal", "Demo day"],
    }


def test_prefill_is_empty_without_a_previous_report_handed_in(world):
    a = world.a
    weekly_report(a, start=MONDAY - dt.timedelta(days=7))  # never handed in
    report = weekly_report(a)
    with in_scope(a):
        assert svc.report_prefill(vendor=a.vendor, report=reload(a, report)) == {}


def test_monthly_prefill_carries_inventory_and_forecast_notes(world):
    a = world.a
    previous = monthly_report(a, start=dt.date(2026, 1, 1))
    submit(a, previous, data={**MONTHLY, "inventory_units": 300, "forecast_notes": "Tender Q2"})
    report = monthly_report(a)
    with in_scope(a):
        prefill = svc.report_prefill(vendor=a.vendor, report=reload(a, report))
    assert prefill == {"inventory_units": 300, "forecast_notes": "Tender Q2"}


def test_content_data_is_json_safe(world):
    a = world.a
    report = monthly_report(a)
    with in_scope(a):
        MonthlySummaryFactory(report=reload(a, report), revenue=Decimal("10.50"))
        data = svc.report_content_data(reload(a, report))
    assert data["revenue"] == "10.50" and data["forecast_revenue"] == "8000000.00"


# --- pages -------------------------------------------------------------------------------------


def edit_url(tenant, report):
    return f"/{tenant.slug}/reports/{report.pk}/edit/"


def autosave_url(tenant, report):
    return f"/{tenant.slug}/reports/{report.pk}/autosave/"


def test_form_page_shows_period_due_moment_in_the_distributors_zone_and_prefill(world, client):
    a = world.a
    previous = weekly_report(a, start=MONDAY - dt.timedelta(days=7))
    submit(a, previous)
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    with time_machine.travel(BEFORE_DUE, tick=False):
        response = client.get(edit_url(a, report))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Weekly update: March 2, 2026 – March 8, 2026" in body
    assert "March 9, 2026, noon" in body and "Asia/Tokyo" in body  # 03:00 UTC is noon there
    assert 'value="Close the Osaka deal"' in body  # carried over
    assert 'name="opportunities_discovery" value="5"' in body
    assert 'name="new_leads"' in body and 'name="new_leads" value' not in body  # not carried
    assert 'inputmode="numeric"' in body
    assert f'hx-post="{autosave_url(a, report)}"' in body
    assert "overdue" not in body


def test_form_has_no_fixed_widths(world, client):
    """Usable on a phone: the form's markup sets no widths and its CSS uses no fixed ones."""
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(edit_url(a, report)).content.decode()
    form = body[body.index('<form method="post" action') :]
    assert "style=" not in form and "width=" not in form and " size=" not in form
    css = Path("static/css/app.css").read_text()
    ours = css[css.index("/* reporting: submissions") :].split("\n/* ", 1)[0]
    assert not re.search(r"(?<!max-)(?<!min-)width:\s*\d+(px|rem|em)", ours)


def test_save_draft_without_js_redirects_back_with_the_input_kept(world, client):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    response = client.post(edit_url(a, report), {"new_leads": "7", "action": "save"})
    assert response.status_code == 302 and response.url == edit_url(a, report)
    page = client.get(edit_url(a, report)).content.decode()
    assert 'name="new_leads" value="7"' in page
    assert "Draft saved" in page and "Last saved" in page


def test_validation_errors_keep_input_and_show_the_message_beside_the_field(world, client):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    post = {**WEEKLY_POST, "meetings_held": "", "blocker_2_text": "Customs delay", "priority_1": "",
            "priority_2": "", "action": "submit"}  # fmt: skip
    response = client.post(edit_url(a, report), post)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="new_leads" value="4"' in body
    assert 'value="Customs delay"' in body
    assert re.search(r'id="id_meetings_held_error"><li>This field is required', body)
    assert re.search(r'id="id_blocker_2_tag_error"><li>Tag the blocker', body)
    assert re.search(r'id="id_priority_1_error"><li>Name at least one priority', body)
    stored = reload(a, report)
    assert stored.status == ReportStatus.DRAFT  # what was typed is kept as a draft
    with in_scope(a):
        assert not ReportVersion.objects.exists()
        assert WeeklyUpdate.objects.get(report=report).blockers[1]["text"] == "Customs delay"


def test_field_and_cross_field_errors_show_at_once(world, client):
    """A number the form cannot read and what the submission as a whole lacks (a required
    count, a blocker without its tag, no priority) are all shown on the first try."""
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    post = {**WEEKLY_POST, "new_leads": "many", "meetings_held": "", "blocker_2_text": "Customs",
            "priority_1": "", "priority_2": "", "action": "submit"}  # fmt: skip
    body = client.post(edit_url(a, report), post).content.decode()
    assert re.search(r'id="id_new_leads_error"><li>Enter a whole number', body)
    assert re.search(r'id="id_meetings_held_error"><li>This field is required', body)
    assert re.search(r'id="id_blocker_2_tag_error"><li>Tag the blocker', body)
    assert re.search(r'id="id_priority_1_error"><li>Name at least one priority', body)
    assert body.count('id="id_new_leads_error"><li>') == 1  # not also "required"
    assert 'name="new_leads" value="many"' in body and 'value="Customs"' in body
    assert reload(a, report).status == ReportStatus.PENDING  # nothing handed in

    monthly = monthly_report(a)
    post = {**MONTHLY, "revenue": "-10", "leads": "x", "action": "submit"}
    body = client.post(edit_url(a, monthly), post).content.decode()
    assert re.search(r'id="id_leads_error"><li>Enter a whole number', body)
    assert re.search(r'id="id_revenue_error"><li>Revenue can only be negative', body)


def test_service_reports_type_and_completeness_errors_together(world):
    a = world.a
    report = weekly_report(a)
    with pytest.raises(ValidationError) as exc:
        submit(a, report, data={**WEEKLY, "new_leads": "x", "meetings_held": None,
                                "priorities": []})  # fmt: skip
    assert set(exc.value.message_dict) == {"new_leads", "meetings_held", "priority_1"}


def test_bad_number_keeps_what_was_typed(world, client):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    response = client.post(
        edit_url(a, report), {**WEEKLY_POST, "new_leads": "-2", "action": "save"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="new_leads" value="-2"' in body
    assert 'id="id_new_leads_error"' in body
    assert reload(a, report).status == ReportStatus.PENDING


def test_submit_from_the_page(world, client):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    response = client.post(edit_url(a, report), {**WEEKLY_POST, "action": "submit"})
    assert response.status_code == 302
    stored = reload(a, report)
    assert stored.status == ReportStatus.SUBMITTED and stored.version_count == 1
    assert response.url == f"/{a.slug}/reports/{report.pk}/"  # the report's page
    page = client.get(response.url).content.decode()
    assert "Version 1" in page
    assert "Close the Osaka deal" in page and "Rival 10% cheaper" in page
    assert '<form method="post" action' not in page


def test_autosave_saves_a_draft_and_answers_with_the_time(world, client):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    saved = dt.datetime(2026, 3, 8, 1, 42, tzinfo=dt.UTC)  # 10:42 in Tokyo
    with time_machine.travel(saved, tick=False):
        response = client.post(
            autosave_url(a, report),
            {"new_leads": "12", "priority_1": "Visit Kobe", "meetings_held": "x"},
            headers={"HX-Request": "true"},
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<span id="autosave-status"')
    assert "Draft saved 10:42" not in body  # one field could not be saved: it says so
    assert "could not be saved" in body
    with in_scope(a):
        content = WeeklyUpdate.objects.get(report=report)
    assert content.new_leads == 12 and content.priorities == ["Visit Kobe"]
    page = client.get(edit_url(a, report)).content.decode()
    assert 'name="new_leads" value="12"' in page and 'value="Visit Kobe"' in page
    with time_machine.travel(saved, tick=False):
        response = client.post(autosave_url(a, report), {"new_leads": "13"})
    assert "Draft saved 10:42" in response.content.decode()


def test_autosave_marks_each_refused_field_and_keeps_what_was_typed(world, client):
    """The autosave answer puts each refused field's error beside it (htmx out of band, into a
    box the page always has) and clears the others; it sends no inputs, so nothing typed is
    replaced."""
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    page = client.get(edit_url(a, report)).content.decode()
    assert 'id="id_meetings_held_errors"' in page and 'id="id_new_leads_errors"' in page
    response = client.post(
        autosave_url(a, report),
        {"new_leads": "12", "meetings_held": "x", "opportunities_discovery": "-1"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.startswith('<span id="autosave-status"') and "could not be saved" in body
    refused = r'<div id="id_{}_errors" class="field-errors" hx-swap-oob="true"><ul class="errorlist" id="id_{}_error"><li>{}'
    assert re.search(refused.format("meetings_held", "meetings_held", "Enter a whole number"), body)
    assert re.search(
        refused.format("opportunities_discovery", "opportunities_discovery", "Ensure"), body
    )
    assert '<div id="id_new_leads_errors" class="field-errors" hx-swap-oob="true"></div>' in body
    assert "<input" not in body and "<textarea" not in body
    with in_scope(a):
        assert WeeklyUpdate.objects.get(report=report).new_leads == 12  # the good one is saved
    fixed = client.post(autosave_url(a, report), {"meetings_held": "2"}).content.decode()
    assert (
        '<div id="id_meetings_held_errors" class="field-errors" hx-swap-oob="true"></div>' in fixed
    )


def test_returned_report_shows_the_comment_and_resubmits(world, client):
    a = world.a
    report = weekly_report(a)
    submit(a, report)
    return_report(a, report, comment="Meetings look doubled.")
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(edit_url(a, report)).content.decode()
    assert "Meetings look doubled." in body and "Submit again" in body
    assert 'name="new_leads" value="4"' in body  # the last submission, to correct
    client.post(edit_url(a, report), {**WEEKLY_POST, "meetings_held": "1", "action": "submit"})
    stored = reload(a, report)
    assert stored.status == ReportStatus.RESUBMITTED and stored.version_count == 2


def test_overdue_report_warns(world, client):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    with time_machine.travel(AFTER_DUE, tick=False):
        body = client.get(edit_url(a, report)).content.decode()
    assert "past its due time" in body


def test_staff_get_403_and_another_distributor_404(world, client):
    a = world.a
    report = weekly_report(a)
    before = db_state()
    for role in (VENDOR_ADMIN, CHANNEL_MANAGER, EXECUTIVE):
        client.force_login(a.user(role))
        assert client.get(edit_url(a, report)).status_code == 403
        post = {**WEEKLY_POST, "action": "submit"}
        assert client.post(edit_url(a, report), post).status_code == 403
    client.force_login(a.d2_user)
    assert client.get(edit_url(a, report)).status_code == 404
    assert client.post(autosave_url(a, report), {"new_leads": "1"}).status_code == 404
    assert db_state() == before


@pytest.fixture
def japanese_fragment(tmp_path, settings):
    """The area's Japanese fragment compiled ahead of the catalogue (the fragments are merged
    into locale/ja/LC_MESSAGES/django.po when the areas are joined; until then the page would
    show English for the new strings)."""
    target = tmp_path / "ja" / "LC_MESSAGES"
    target.mkdir(parents=True)
    fragment = Path(settings.BASE_DIR) / "locale" / "ja" / "fragments" / "submissions.po"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(target / "django.mo"), str(fragment)], check=True
    )
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]


def test_form_in_japanese(world, client, japanese_fragment):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    post = {**WEEKLY_POST, "priority_1": "", "priority_2": "", "action": "submit"}
    response = client.post(edit_url(a, report), post, headers={"accept-language": "ja"})
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert "週次報告：2026年3月2日〜2026年3月8日" in body
    assert "新規リード数" in body and "下書きを保存" in body and "報告を提出する" in body
    assert "来週の優先事項を1件以上入力してください。" in body  # the error, beside the field
    assert 'value="Rival 10% cheaper"' in body  # what was typed is kept
    home = client.get(f"/{a.slug}/", headers={"accept-language": "ja"}).content.decode()
    assert "提出が必要な報告" in home


def test_monthly_form_page(world, client):
    a = world.a
    report = monthly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(edit_url(a, report)).content.decode()
    assert "Monthly summary: February 2026" in body
    assert "Revenue (JPY)" in body
    post = {**MONTHLY, "action": "submit"}
    response = client.post(edit_url(a, report), post)
    assert response.status_code == 302
    assert reload(a, report).status == ReportStatus.SUBMITTED


# --- the partner's home ------------------------------------------------------------------------


def test_partner_home_lists_reports_to_do_oldest_due_first_and_the_last_handed_in(world, client):
    a = world.a
    older = weekly_report(a, start=MONDAY - dt.timedelta(days=7))
    newer = weekly_report(a)
    done = weekly_report(a, start=MONDAY - dt.timedelta(days=14))
    submit(a, done)
    weekly_report(a, distributor=a.d2)  # another distributor's
    client.force_login(a.user(DISTRIBUTOR_USER))
    with time_machine.travel(BEFORE_DUE, tick=False):
        body = client.get(f"/{a.slug}/").content.decode()
    assert "Reports to do" in body
    panel = body[body.index('data-testid="reports-todo"') :]
    todo, handed_in = panel.split("Recently handed in")
    assert todo.index(edit_url(a, older)) < todo.index(edit_url(a, newer))
    assert todo.count(">overdue<") == 1  # the older one is past due; the newer is not yet
    assert f"/{a.slug}/reports/{done.pk}/" in handed_in
    assert "Lotus" not in panel


def test_returned_report_handed_in_on_time_is_not_labelled_overdue(world, client):
    """Returned for correction after an on-time submission: to correct, not overdue, on the
    home's list and on the form; one never handed in past its due moment still is."""
    a = world.a
    returned = weekly_report(a)
    with time_machine.travel(BEFORE_DUE, tick=False):
        submit(a, returned)
    return_report(a, returned)
    never = weekly_report(a, start=MONDAY - dt.timedelta(days=7))
    client.force_login(a.user(DISTRIBUTOR_USER))
    with time_machine.travel(AFTER_DUE + dt.timedelta(days=2), tick=False):
        home = client.get(f"/{a.slug}/").content.decode()
        form = client.get(edit_url(a, returned)).content.decode()
        owed = client.get(edit_url(a, never)).content.decode()
    panel = home[home.index('data-testid="reports-todo"') :].split("Recently handed in")[0]
    items = panel.split('<li class="report-todo')[1:]
    by_report = {
        report.pk: next(item for item in items if edit_url(a, report) in item)
        for report in (returned, never)
    }
    assert "returned for correction" in by_report[returned.pk]
    assert ">overdue<" not in by_report[returned.pk]
    assert ">overdue<" in by_report[never.pk]
    assert "past its due time" not in form
    assert "past its due time" in owed


def test_staff_home_has_no_reports_to_do(world, client):
    a = world.a
    weekly_report(a)
    client.force_login(a.user(CHANNEL_MANAGER))
    assert "Reports to do" not in client.get(f"/{a.slug}/").content.decode()


def test_one_submission_reads_as_one_time_with_its_zone_on_every_page(world, client):
    """A partner's people read the distributor's zone (Tokyo), staff the vendor's (Berlin);
    every page and the export give the same moment, with the zone named."""
    from partners.models import Vendor

    a = world.a
    Vendor.objects.filter(pk=a.vendor.pk).update(time_zone="Europe/Berlin")
    report = weekly_report(a)
    handed_in = dt.datetime(2026, 3, 9, 1, 10, tzinfo=dt.UTC)  # 10:10 Tokyo, 02:10 Berlin
    with time_machine.travel(handed_in, tick=False):
        submit(a, report)
    partner, staff = "10:10 a.m. (Asia/Tokyo)", "2:10 a.m. (Europe/Berlin)"
    detail = f"/{a.slug}/reports/{report.pk}/"

    client.force_login(a.user(DISTRIBUTOR_USER))
    for page in (detail, f"/{a.slug}/"):
        body = client.get(page).content.decode()
        assert partner in body, page
        assert "Europe/Berlin" not in body and "1:10 a.m." not in body, page
    # The API answers instants in UTC whoever asks (a client converts for its reader).
    listed = client.get(f"/api/v1/{a.slug}/reports/").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert {r["submitted_at"] for r in listed if r["id"] == report.pk} == {"2026-03-09T01:10:00Z"}

    client.force_login(a.user(VENDOR_ADMIN))
    for page in (detail, f"/{a.slug}/reports/", f"/{a.slug}/audit/"):
        body = client.get(page).content.decode()
        assert staff in body, page
        assert "Asia/Tokyo" not in body and "10:10 a.m." not in body, page
    export = client.get(
        f"/{a.slug}/reports/export/?status=all&period_from=2026-03-01"
    ).content.decode("utf-8-sig")
    header, row = export.splitlines()[:2]
    assert "First submitted (Europe/Berlin)" in header and "Due (Europe/Berlin)" in header
    assert "2026-03-09 02:10" in row
    xlsx = client.get(f"/{a.slug}/reports/export/?status=all&period_from=2026-03-01&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[c.value for c in r] for r in sheet.iter_rows()]
    column = cells[0].index("First submitted (Europe/Berlin)")
    assert cells[1][column] == "2026-03-09 02:10"


def test_signed_link_visitor_gets_a_minimal_navigation_and_submitted_after_submitting(
    world, client
):
    """Someone who opened a reminder link without logging in sees only the report's form and a
    way to log in (not the portal's menu, which would all lead to the login), and after handing
    in, "handed in" with the report submitted, never "draft saved"."""
    from reporting.services import schedule

    a = world.a
    report = weekly_report(a)
    with in_scope(a):
        _link, raw = schedule.report_link_create(
            vendor=a.vendor, report=report, membership=a.member(DISTRIBUTOR_USER)
        )
    form_url = f"/{a.slug}/reports/{report.pk}/via-link/"
    page = client.get(f"/{a.slug}/reports/link/{raw}/", follow=True).content.decode()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert 'data-testid="link-visitor-nav"' in nav
    assert f'href="{form_url}"' in nav and "/accounts/login/?next=" in nav
    for section in ("contracts/", "trainings/", "api-tokens/", "scorecards/", "plans/"):
        assert f"/{a.slug}/{section}" not in nav

    client.post(form_url, {"new_leads": "3", "action": "save"})
    done = client.post(form_url, {**WEEKLY_POST, "action": "submit"}, follow=True)
    body = done.content.decode()
    assert done.redirect_chain[-1][0] == form_url
    assert "your report has been handed in" in body and "status-submitted" in body
    assert "Draft saved" not in body and "Last saved" not in body
    assert 'data-testid="link-visitor-nav"' in body
    late = client.post(f"{form_url}autosave/", {"new_leads": "9"}).content.decode()
    assert "Draft saved" not in late and "handed in" in late
    assert reload(a, report).status == ReportStatus.SUBMITTED


# --- API ---------------------------------------------------------------------------------------


def api_url(tenant, suffix=""):
    return f"/api/v1/{tenant.slug}/reports/{suffix}"


def test_api_lists_reports_within_reach_with_content_and_filters(world, client):
    a = world.a
    own = weekly_report(a)
    submit(a, own)
    month = monthly_report(a)
    other = weekly_report(a, distributor=a.d2)
    weekly_report(world.b)
    client.force_login(a.user(DISTRIBUTOR_USER))
    rows = client.get(api_url(a)).json()["results"]
    assert {r["id"] for r in rows} == {own.pk, month.pk}
    weekly = next(r for r in rows if r["id"] == own.pk)
    assert weekly["status"] == "submitted" and weekly["content"]["new_leads"] == 4
    assert weekly["content"]["blockers"] == WEEKLY["blockers"]
    client.force_login(a.user(EXECUTIVE))
    rows = client.get(api_url(a)).json()["results"]
    assert {r["id"] for r in rows} == {own.pk, month.pk, other.pk}
    assert [r["id"] for r in client.get(api_url(a), {"kind": "monthly"}).json()["results"]] == [
        month.pk
    ]
    by_status = client.get(api_url(a), {"status": "submitted"}).json()["results"]
    assert [r["id"] for r in by_status] == [own.pk]
    by_distributor = client.get(api_url(a), {"distributor": a.d2.pk}).json()["results"]
    assert [r["id"] for r in by_distributor] == [other.pk]
    march = client.get(api_url(a), {"period_from": "2026-03-01", "period_to": "2026-03-31"})
    assert {r["id"] for r in march.json()["results"]} == {own.pk, other.pk}
    bad = client.get(api_url(a), {"period_from": "March"})
    assert bad.status_code == 400 and "period_from" in bad.json()


def test_api_draft_submit_and_versions(world, client):
    a = world.a
    report = weekly_report(a)
    client.force_login(a.user(DISTRIBUTOR_USER))
    response = client.patch(
        api_url(a, f"{report.pk}/draft/"), {"new_leads": 2}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "draft" and response.json()["content"]["new_leads"] == 2
    response = client.post(
        api_url(a, f"{report.pk}/submit/"), {"meetings_held": 1}, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"meetings_held", "new_leads", "priority_1"} & set(response.json())
    assert "opportunities_discovery" in response.json()
    response = client.post(
        api_url(a, f"{report.pk}/submit/"), WEEKLY, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    versions = client.get(api_url(a, f"{report.pk}/versions/")).json()
    assert [v["number"] for v in versions] == [1]
    assert versions[0]["data"]["priorities"] == WEEKLY["priorities"]
    assert versions[0]["submitted_by_name"] == a.user(DISTRIBUTOR_USER).full_name
    # Handed in: no more drafts.
    response = client.patch(
        api_url(a, f"{report.pk}/draft/"), {"new_leads": 3}, content_type="application/json"
    )
    assert response.status_code == 400


def test_api_staff_get_403_and_other_distributor_404_and_nothing_changes(world, client):
    a = world.a
    report = weekly_report(a)
    before = db_state()
    client.force_login(a.user(CHANNEL_MANAGER))
    for suffix, method in (("draft/", client.patch), ("submit/", client.post)):
        response = method(
            api_url(a, f"{report.pk}/{suffix}"), WEEKLY, content_type="application/json"
        )
        assert response.status_code == 403
    assert client.get(api_url(a, f"{report.pk}/versions/")).status_code == 200
    client.force_login(a.d2_user)
    for suffix, method in (("draft/", client.patch), ("submit/", client.post)):
        response = method(
            api_url(a, f"{report.pk}/{suffix}"), WEEKLY, content_type="application/json"
        )
        assert response.status_code == 404
    assert client.get(api_url(a, f"{report.pk}/")).status_code == 404
    assert db_state() == before


def test_acknowledged_report_page_is_read_only_and_a_post_changes_nothing(world, client):
    a = world.a
    report = weekly_report(a)
    submit(a, report)
    with in_scope(a):
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.ACKNOWLEDGED)
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    body = client.get(edit_url(a, report)).content.decode()
    assert "acknowledged this report" in body and 'name="action"' not in body
    before = db_state()
    response = client.post(edit_url(a, report), {**WEEKLY_POST, "action": "submit"})
    assert response.status_code == 302
    assert "can no longer be changed" in client.get(response.url).content.decode()
    response = client.post(autosave_url(a, report), {"new_leads": "1"})
    assert "can no longer be changed" in response.content.decode()
    assert db_state() == before


def test_form_handle_serves_a_resolved_person_without_a_login(world, rf):
    """The signed link of a reminder e-mail resolves the person itself and reuses the handlers
    with its own URLs."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from reporting.views.submissions import report_autosave_handle, report_form_handle

    a = world.a
    report = weekly_report(a)
    urls = {"form_url": "/link/abc/", "autosave_url": "/link/abc/autosave/", "done_url": "/thanks/"}

    def request(method, data=None):
        req = getattr(rf, method)("/link/abc/", data or {})
        req.user, req.session = AnonymousUser(), SessionStore()
        req._messages = FallbackStorage(req)
        return req

    actor = a.member(DISTRIBUTOR_USER)
    with in_scope(a):
        page = report_form_handle(
            request("get"), vendor=a.vendor, actor=actor, report=reload(a, report), **urls
        )
        assert page.status_code == 200
        assert 'hx-post="/link/abc/autosave/"' in page.content.decode()
        saved = report_autosave_handle(
            request("post", {"new_leads": "5"}),
            vendor=a.vendor,
            actor=actor,
            report=reload(a, report),
        )
        assert "Draft saved" in saved.content.decode()
        done = report_form_handle(
            request("post", {**WEEKLY_POST, "action": "submit"}),
            vendor=a.vendor,
            actor=actor,
            report=reload(a, report),
            **urls,
        )
        assert done.status_code == 302 and done.url == "/thanks/"
        with pytest.raises(PermissionDenied):
            report_form_handle(
                request("get"),
                vendor=a.vendor,
                actor=a.member(CHANNEL_MANAGER),
                report=reload(a, report),
                **urls,
            )
    assert reload(a, report).status == ReportStatus.SUBMITTED


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_api_list_and_partner_home_do_not_grow_with_reports(world, client):
    a = world.a
    client.force_login(a.user(DISTRIBUTOR_USER))
    first = weekly_report(a)
    submit(a, first)
    monthly_report(a)
    few = (_queries(client, api_url(a)), _queries(client, f"/{a.slug}/"))
    for weeks in range(1, 6):
        report = weekly_report(a, start=MONDAY - dt.timedelta(days=7 * weeks))
        submit(a, report)
        weekly_report(a, start=MONDAY + dt.timedelta(days=7 * weeks))
    assert (_queries(client, api_url(a)), _queries(client, f"/{a.slug}/")) == few
