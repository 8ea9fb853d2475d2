"""Corrective action plans: suggestions from KPIs red two months running (exactly one, however
often the job runs), opening with a 30-day review, the three-action limit (service, page and
API), who may change which action, reviews (scope reduced through a contract amendment) and
reminders sent once each."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.models import (
    ContractAmendment,
    DistributorStatus,
    OutboundEmail,
    ProductLine,
    Territory,
)
from scorecards.models import CorrectivePlan, KpiActual, PlanAction, PlanStatus, PlanTrigger
from scorecards.services import plans as services
from scorecards.services.catalogue import kpi_catalogue_seed
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories_contracts import ContractFactory, ScopeLineFactory

pytestmark = pytest.mark.django_db

MARCH, APRIL, MAY = dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)
NOON_TOKYO_MAY_11 = dt.datetime(2026, 5, 11, 3, 0, tzinfo=dt.UTC)


def _activate(tenant):
    with in_scope(tenant):
        for d in (tenant.d1, tenant.d2):
            d.status = DistributorStatus.ACTIVE
            d.owner = tenant.member(CHANNEL_MANAGER)
            d.save(update_fields=["status", "owner"])


def _actual(tenant, distributor, kpi, month, rag, value="10", attainment="40"):
    KpiActual.objects.create(
        vendor=tenant.vendor, distributor=distributor, kpi=kpi, family=kpi.family,
        period_kind="month", period_start=month, value=Decimal(value), base=Decimal("100"),
        attainment=Decimal(attainment), rag=rag, computed_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def reds(world):
    """Distributor 1: revenue and meetings red in March and April (one plan, two KPIs);
    distributor 2: revenue red in April only, meetings red in March and amber in April
    (nothing). Vendor B: distributor 1 red both months (its own business)."""
    for tenant in (world.a, world.b):
        _activate(tenant)
    a = world.a
    with in_scope(a):
        kpis = {k.code: k for k in kpi_catalogue_seed(vendor=a.vendor)}
        for month in (MARCH, APRIL):
            _actual(a, a.d1, kpis["revenue"], month, "red")
            _actual(a, a.d1, kpis["meetings"], month, "red", value="2", attainment="20")
        _actual(a, a.d2, kpis["revenue"], MARCH, "green", value="120", attainment="120")
        _actual(a, a.d2, kpis["revenue"], APRIL, "red")
        _actual(a, a.d2, kpis["meetings"], MARCH, "red")
        _actual(a, a.d2, kpis["meetings"], APRIL, "amber", attainment="85")
    b = world.b
    with in_scope(b):
        kpis_b = {k.code: k for k in kpi_catalogue_seed(vendor=b.vendor)}
        for month in (MARCH, APRIL):
            _actual(b, b.d1, kpis_b["revenue"], month, "red")
    return kpis


def _open_plan(tenant, distributor=None, gap="Pipeline has dried up in Kansai."):
    with in_scope(tenant):
        return services.plan_open(
            vendor=tenant.vendor,
            actor=tenant.member(CHANNEL_MANAGER),
            distributor=distributor or tenant.d1,
            gap=gap,
        )


def _add(tenant, plan, owner_role=DISTRIBUTOR_ADMIN, text="Call the top ten accounts", due=None):
    with in_scope(tenant):
        return services.action_add(
            vendor=tenant.vendor,
            actor=tenant.member(CHANNEL_MANAGER),
            plan=plan,
            text=text,
            owner=tenant.member(owner_role),
            due_on=due or dt.date(2026, 5, 20),
        )


# --- suggestions ---------------------------------------------------------------------------------


def test_same_kpi_red_two_months_running_suggests_exactly_one_plan(world, reds):
    a = world.a
    with in_scope(a):
        assert services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL) == 1
        assert services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL) == 0
        plans = list(CorrectivePlan.objects.all())
    assert len(plans) == 1
    plan = plans[0]
    assert plan.distributor_id == a.d1.pk
    assert plan.status == PlanStatus.SUGGESTED and plan.trigger == "red_kpi"
    assert plan.trigger_period == APRIL
    details = plan.trigger_details["kpis"]
    assert [k["code"] for k in details] == ["revenue", "meetings"]
    assert details[0]["months"] == ["2026-03-01", "2026-04-01"]
    assert details[1]["values"] == ["2.0000", "2.0000"]
    with in_scope(world.b):
        assert not CorrectivePlan.objects.exists()  # vendor A's run wrote nothing in B


def test_a_reviewed_suggestion_is_not_suggested_again_for_the_same_month(world, reds):
    a = world.a
    with in_scope(a):
        services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL)
        plan = CorrectivePlan.objects.get()
        services.plan_open(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), plan=plan)
        services.plan_review(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), plan=plan,
            outcome="recovered", reason="May figures are back on target.",
        )  # fmt: skip
        assert services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL) == 0
        assert CorrectivePlan.objects.count() == 1


def test_the_suggestion_task_runs_twice_with_one_plan(world, reds, settings):
    from scorecards.tasks import plans_suggest_task

    assert plans_suggest_task(world.a.vendor.pk, APRIL.isoformat()) == 1
    assert plans_suggest_task(world.a.vendor.pk, APRIL.isoformat()) == 0
    with in_scope(world.a):
        assert CorrectivePlan.objects.count() == 1


# --- opening and the 30-day review ------------------------------------------------------------


def test_opening_sets_the_review_thirty_days_on_in_the_distributors_calendar(world, reds):
    a = world.a
    # 23:30 UTC on 10 May is already 11 May in Tokyo.
    with time_machine.travel(dt.datetime(2026, 5, 10, 23, 30, tzinfo=dt.UTC), tick=False):
        plan = _open_plan(a)
        with in_scope(a):
            services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL)
            suggested = CorrectivePlan.objects.get(trigger="red_kpi")
            accepted = services.plan_open(
                vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), plan=suggested,
                gap="Revenue and meetings both red since March.",
            )  # fmt: skip
    assert plan.status == "open" and plan.review_on == dt.date(2026, 6, 10)
    assert accepted.review_on == dt.date(2026, 6, 10)
    assert accepted.gap == "Revenue and meetings both red since March."
    assert not plan.review_due(dt.date(2026, 6, 9)) and plan.review_due(dt.date(2026, 6, 10))


def test_only_managers_open_plans_and_a_second_manual_plan_is_refused(world):
    a = world.a
    _open_plan(a)
    before = db_state()
    for role in (EXECUTIVE, DISTRIBUTOR_ADMIN):
        with in_scope(a), pytest.raises(PermissionDenied):
            services.plan_open(vendor=a.vendor, actor=a.member(role), distributor=a.d1, gap="x")
    with in_scope(a), pytest.raises(ValidationError) as exc:
        services.plan_open(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributor=a.d1, gap="Again"
        )
    assert "distributor" in exc.value.message_dict
    assert db_state() == before


# --- the three-action limit ----------------------------------------------------------------------


def test_a_fourth_action_is_refused_and_nothing_is_added(world):
    a = world.a
    plan = _open_plan(a)
    for n in range(3):
        _add(a, plan, text=f"Action {n + 1}")
    before = db_state()
    with in_scope(a), pytest.raises(ValidationError) as exc:
        _add(a, plan, text="A fourth action")
    assert "at most three actions" in " ".join(exc.value.message_dict["plan"])
    assert db_state() == before
    with in_scope(a):
        assert PlanAction.objects.filter(plan=plan).count() == 3


def test_the_page_refuses_a_fourth_action_beside_the_form_keeping_the_input(client, world):
    a = world.a
    plan = _open_plan(a)
    for n in range(2):
        _add(a, plan, text=f"Action {n + 1}")
    client.force_login(a.user(CHANNEL_MANAGER))
    url = f"/{a.slug}/plans/{plan.pk}/actions/"
    data = {"text": "Third", "owner": a.member(DISTRIBUTOR_ADMIN).pk, "due_on": "2026-05-30"}
    assert client.post(url, data).status_code == 302
    # The form is gone once three actions exist; a stale form posting a fourth is refused.
    before = db_state()
    response = client.post(url, {**data, "text": "A fourth, from a stale page"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "A plan has at most three actions" in body
    assert "A fourth, from a stale page" in body  # what was typed is kept
    assert db_state() == before


def test_action_fields_are_checked_beside_the_form(client, world):
    a = world.a
    plan = _open_plan(a)
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(
        f"/{a.slug}/plans/{plan.pk}/actions/",
        {"text": "Visit Osaka", "owner": a.d2_member.pk, "due_on": ""},
    )
    form = response.context["action_form"]
    assert "owner" in form.errors and "due_on" in form.errors
    assert 'value="Visit Osaka"' in response.content.decode()
    with in_scope(a):
        assert not PlanAction.objects.exists()


def test_api_refuses_a_fourth_action_naming_the_plan(client, world):
    a = world.a
    plan = _open_plan(a)
    client.force_login(a.user(CHANNEL_MANAGER))
    url = f"/api/v1/{a.slug}/plan-actions/"
    payload = {"plan": plan.pk, "owner": a.member(VENDOR_ADMIN).pk, "due_on": "2026-06-01"}
    for n in range(3):
        response = client.post(
            url, {**payload, "text": f"Action {n}"}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
    before = db_state()
    response = client.post(url, {**payload, "text": "Fourth"}, content_type="application/json")
    assert response.status_code == 400
    assert "plan" in response.json()
    assert db_state() == before


# --- who may change which action -------------------------------------------------------------


def test_a_distributor_person_sets_only_the_status_of_actions_they_own(world):
    a = world.a
    plan = _open_plan(a)
    own = _add(a, plan, owner_role=DISTRIBUTOR_ADMIN, text="Share the stock report")
    vendor_action = _add(a, plan, owner_role=CHANNEL_MANAGER, text="Price review")
    admin = a.member(DISTRIBUTOR_ADMIN)
    user = a.member(DISTRIBUTOR_USER)
    before = db_state()
    with in_scope(a):
        for actor, action, change in (
            (admin, vendor_action, {"status": "done"}),  # a vendor action
            (user, own, {"status": "done"}),  # another person's action
            (admin, own, {"text": "Something easier"}),  # more than the status
            (admin, own, {"due_on": dt.date(2026, 12, 31)}),
            (a.member(EXECUTIVE), own, {"status": "done"}),  # executives read only
        ):
            with pytest.raises(PermissionDenied):
                services.action_update(vendor=a.vendor, actor=actor, action=action, **change)
    assert db_state() == before
    with in_scope(a):
        done = services.action_update(vendor=a.vendor, actor=admin, action=own, status="done")
        assert done.status == "done" and done.done_at is not None
        again = services.action_update(vendor=a.vendor, actor=admin, action=own, status="open")
        assert again.done_at is None


def test_pages_and_api_refuse_another_persons_action_and_change_nothing(client, world):
    a = world.a
    plan = _open_plan(a)
    own = _add(a, plan, owner_role=DISTRIBUTOR_USER)
    vendor_action = _add(a, plan, owner_role=VENDOR_ADMIN)
    other_plan = _open_plan(a, a.d2)
    other = _add(a, other_plan, owner_role=CHANNEL_MANAGER)
    client.force_login(a.user(DISTRIBUTOR_USER))
    before = db_state()
    assert (
        client.post(
            f"/{a.slug}/plan-actions/{vendor_action.pk}/status/", {"status": "done"}
        ).status_code
        == 404  # not theirs to tick: for them it is not there
    )
    assert (
        client.post(f"/{a.slug}/plan-actions/{other.pk}/status/", {"status": "done"}).status_code
        == 404
    )
    api = f"/api/v1/{a.slug}/plan-actions/"
    assert (
        client.patch(
            f"{api}{vendor_action.pk}/", {"status": "done"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{api}{own.pk}/", {"text": "Rewritten"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{api}{other.pk}/", {"status": "done"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert db_state() == before
    response = client.patch(f"{api}{own.pk}/", {"status": "done"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    response = client.post(f"/{a.slug}/plan-actions/{own.pk}/status/", {"status": "open"})
    assert response.status_code == 302
    with in_scope(a):
        own.refresh_from_db()
    assert own.status == "open"


def test_a_distributor_does_not_see_suggestions_or_other_distributors_plans(client, world, reds):
    a = world.a
    with in_scope(a):
        services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL)
        suggested = CorrectivePlan.objects.get()
    other = _open_plan(a, a.d2)
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    assert client.get(f"/{a.slug}/plans/{suggested.pk}/").status_code == 404
    assert client.get(f"/{a.slug}/plans/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/{a.slug}/corrective-plans/").json()["count"] == 0


# --- reviews -----------------------------------------------------------------------------------


def _contract(tenant):
    with in_scope(tenant):
        contract = ContractFactory(vendor=tenant.vendor, distributor=tenant.d1, reference="JP-7")
        kanto = Territory.objects.create(vendor=tenant.vendor, name="Kanto", country="JP")
        kansai = Territory.objects.create(vendor=tenant.vendor, name="Kansai", country="JP")
        arms = ProductLine.objects.create(vendor=tenant.vendor, name="Robot arms")
        keep = ScopeLineFactory(contract=contract, territory=kanto, product_line=arms)
        cut = ScopeLineFactory(contract=contract, territory=kansai, product_line=arms)
    return contract, keep, cut


def test_scope_reduced_goes_through_a_contract_amendment(world):
    a = world.a
    contract, keep, cut = _contract(a)
    plan = _open_plan(a)
    with in_scope(a):
        reviewed = services.plan_review(
            vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), plan=plan,
            outcome="scope_reduced", reason="No improvement in Kansai after 30 days.",
            contract=contract, end_line_ids=[cut.pk], effective_on=dt.date(2026, 7, 1),
        )  # fmt: skip
        amendment = ContractAmendment.objects.get()
        cut.refresh_from_db()
        keep.refresh_from_db()
    assert amendment.kind == "reduce" and amendment.contract_id == contract.pk
    assert amendment.reason == "No improvement in Kansai after 30 days."
    assert cut.ends_on == dt.date(2026, 6, 30) and cut.ended_by_id == amendment.pk
    assert keep.ends_on == contract.ends_on and keep.ended_by_id is None
    assert reviewed.status == "closed" and reviewed.amendment_id == amendment.pk
    assert reviewed.outcome == "scope_reduced"


def test_a_refused_amendment_leaves_the_plan_open_and_the_contract_alone(world):
    a = world.a
    contract, _keep, cut = _contract(a)
    plan = _open_plan(a)
    before = db_state()
    with in_scope(a), pytest.raises(ValidationError) as exc:
        services.plan_review(
            vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), plan=plan,
            outcome="scope_reduced", reason="Cut Kansai.", contract=contract,
            end_line_ids=[cut.pk], effective_on=dt.date(2030, 1, 1),  # after the contract ends
        )  # fmt: skip
    assert "effective_on" in exc.value.message_dict
    assert db_state() == before


def test_review_page_reduces_scope_and_checks_its_fields(client, world):
    a = world.a
    contract, _keep, cut = _contract(a)
    plan = _open_plan(a)
    client.force_login(a.user(CHANNEL_MANAGER))
    url = f"/{a.slug}/plans/{plan.pk}/review/"
    page = client.get(url).content.decode()
    assert "JP-7: Kansai × Robot arms" in page
    response = client.post(url, {"outcome": "extended", "reason": "Give it a month more"})
    assert "Enter the new review date." in response.content.decode()
    assert "Give it a month more" in response.content.decode()
    response = client.post(
        url,
        {"outcome": "scope_reduced", "reason": "Kansai goes to a second distributor.",
         "end_lines": [cut.pk], "effective_on": "2026-08-01"},
    )  # fmt: skip
    assert response.status_code == 302
    with in_scope(a):
        plan.refresh_from_db()
        assert plan.status == "closed" and plan.amendment.contract_id == contract.pk


def test_extension_moves_the_review_date_and_keeps_the_plan_open(world):
    a = world.a
    plan = _open_plan(a)
    with in_scope(a), time_machine.travel(NOON_TOKYO_MAY_11, tick=False):
        with pytest.raises(ValidationError) as exc:
            services.plan_review(
                vendor=a.vendor, actor=a.member(VENDOR_ADMIN), plan=plan, outcome="extended",
                reason="", review_on=dt.date(2026, 5, 1),
            )  # fmt: skip
        assert set(exc.value.message_dict) == {"reason", "review_on"}
        plan = services.plan_review(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), plan=plan, outcome="extended",
            reason="Two actions landed late.", review_on=dt.date(2026, 7, 15),
        )  # fmt: skip
    assert plan.status == "open" and plan.review_on == dt.date(2026, 7, 15)
    assert plan.outcome == "extended" and plan.outcome_reason == "Two actions landed late."


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_are_queued_once_each_in_the_recipients_language(world):
    a = world.a
    _activate(a)
    with in_scope(a):
        owner_user = a.user(DISTRIBUTOR_ADMIN)
        owner_user.language = "ja"
        owner_user.save(update_fields=["language"])
    with time_machine.travel(dt.datetime(2026, 4, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        plan = _open_plan(a)  # review on 1 May
    soon = _add(a, plan, owner_role=DISTRIBUTOR_ADMIN, due=dt.date(2026, 5, 13))
    late = _add(a, plan, owner_role=VENDOR_ADMIN, due=dt.date(2026, 5, 8))
    _add(a, plan, owner_role=DISTRIBUTOR_USER, due=dt.date(2026, 5, 30))  # not due yet
    with time_machine.travel(NOON_TOKYO_MAY_11, tick=False), in_scope(a):
        assert services.plan_reminders_send(vendor=a.vendor) == 3
        assert services.plan_reminders_send(vendor=a.vendor) == 0
        emails = {e.dedupe_key: e for e in OutboundEmail.objects.all()}
    assert set(emails) == {
        f"plan-action-due:{soon.pk}:2026-05-13",
        f"plan-action-overdue:{late.pk}:2026-05-08",
        f"plan-review-due:{plan.pk}:2026-05-01:{a.user(CHANNEL_MANAGER).pk}",
    }
    due = emails[f"plan-action-due:{soon.pk}:2026-05-13"]
    assert due.to == a.user(DISTRIBUTOR_ADMIN).email and due.language == "ja"
    assert f"/{a.slug}/plans/{plan.pk}/" in due.body_text
    assert emails[f"plan-action-overdue:{late.pk}:2026-05-08"].to == a.user(VENDOR_ADMIN).email
    # A done action and a closed plan are not reminded; the same day again queues nothing.
    with in_scope(a):
        services.action_update(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), action=late, status="done"
        )
    with time_machine.travel(NOON_TOKYO_MAY_11 + dt.timedelta(days=1), tick=False), in_scope(a):
        assert services.plan_reminders_send(vendor=a.vendor) == 0


def test_the_reminder_sweep_task_queues_nothing_twice(world):
    from scorecards.tasks import plan_reminders_send_task

    a = world.a
    with time_machine.travel(dt.datetime(2026, 4, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        _open_plan(a)
    with time_machine.travel(NOON_TOKYO_MAY_11, tick=False):
        assert plan_reminders_send_task(a.vendor.pk) == 1
        assert plan_reminders_send_task(a.vendor.pk) == 0


# --- pages ---------------------------------------------------------------------------------------


def test_staff_list_views_and_the_distributor_panel(client, world, reds):
    a = world.a
    with in_scope(a):
        services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL)
    _open_plan(a, a.d2)
    client.force_login(a.user(EXECUTIVE))
    body = client.get(f"/{a.slug}/plans/?view=suggested").content.decode()
    assert "Sakura Trading" in body and "Lotus Distribution" not in body
    body = client.get(f"/{a.slug}/plans/").content.decode()
    assert "Lotus Distribution" in body and "Sakura Trading" not in body
    client.force_login(a.user(CHANNEL_MANAGER))
    body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert 'data-testid="plans-panel"' in body and "Same KPI red two months running" in body


def test_a_partner_sees_and_ticks_its_own_plan_in_japanese(client, world):
    a = world.a
    plan = _open_plan(a)
    mine = _add(a, plan, owner_role=DISTRIBUTOR_ADMIN, text="在庫レポートを共有する")
    _add(a, plan, owner_role=CHANNEL_MANAGER, text="Price review")
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    client.cookies["django_language"] = "ja"
    body = client.get(f"/{a.slug}/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "在庫レポートを共有する" in body
    assert f"/plan-actions/{mine.pk}/status/" in body
    assert body.count("/status/") == 1  # only the action this person owns can be ticked
    assert 'action="/acme/plans/' not in body  # no add-action or open form
    home = client.get(f"/{a.slug}/").content.decode()
    assert 'data-testid="plans-panel"' in home
    mine_page = client.get(f"/{a.slug}/plans/mine/").content.decode()
    assert f"/plans/{plan.pk}/" in mine_page


def test_plan_list_and_plan_page_queries_do_not_grow_with_rows(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import DistributorFactory

    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))

    def counts():
        with CaptureQueriesContext(connection) as listing:
            assert client.get(f"/{a.slug}/plans/").status_code == 200
        with CaptureQueriesContext(connection) as page:
            assert client.get(f"/{a.slug}/plans/{first.pk}/").status_code == 200
        return len(listing), len(page)

    first = _open_plan(a)
    _add(a, first, text="One")
    small = counts()
    with in_scope(a):
        for n in range(6):
            _open_plan(a, DistributorFactory(vendor=a.vendor, name=f"Extra {n}"))
    _add(a, first, text="Two", owner_role=VENDOR_ADMIN)  # two actions: the form still shows
    assert counts() == small


def _plans(tenant, n, *, status=PlanStatus.SUGGESTED, start=0, review_on=None):
    """``n`` plans of ``status``, each for a distributor of its own named "Plan 000", ..."""
    from tests.factories import DistributorFactory

    now = timezone.now()
    extra = {}
    if status == PlanStatus.OPEN:
        extra = {"opened_at": now, "review_on": review_on or dt.date(2026, 5, 1)}
    elif status == PlanStatus.CLOSED:
        extra = {"closed_at": now}
    with in_scope(tenant):
        for i in range(start, start + n):
            d = DistributorFactory(vendor=tenant.vendor, name=f"Plan {i:03d}")
            CorrectivePlan.objects.create(
                vendor=tenant.vendor, distributor=d, trigger=PlanTrigger.RED_KPI,
                trigger_period=MARCH, status=status, **extra,
            )  # fmt: skip


def _listed(body: str) -> list[str]:
    return re.findall(r"Plan \d{3}", body)


def test_the_staff_list_pages_every_view_through_all_its_plans_once(client, world):
    """25 plans to a page; walking a view's pages lists each of its plans exactly once, as
    many as its tab says, and the page links keep the view."""
    a = world.a
    _plans(a, 30)
    _plans(a, 27, status=PlanStatus.OPEN, start=100, review_on=dt.date(2026, 4, 1))
    _plans(a, 2, status=PlanStatus.OPEN, start=200, review_on=dt.date(2026, 6, 1))
    _plans(a, 3, status=PlanStatus.CLOSED, start=300)
    client.force_login(a.user(CHANNEL_MANAGER))
    expected = {"suggested": 30, "open": 29, "due": 27, "closed": 3}
    with time_machine.travel(NOON_TOKYO_MAY_11, tick=False):
        for view, count in expected.items():
            first = client.get(f"/{a.slug}/plans/?view={view}").content.decode()
            assert f"({count})</a>" in first  # the tab's count
            names = _listed(first)
            pages = -(-count // 25)
            if pages > 1:
                assert f"Page 1 of {pages}" in first
                assert f'href="?view={view}&amp;page=2"' in first
                second = client.get(f"/{a.slug}/plans/?view={view}&page=2").content.decode()
                assert f'href="?view={view}&amp;page=1"' in second
                names += _listed(second)
            else:
                assert "Page 1 of" not in first
            assert len(names) == len(set(names)) == count, view
    assert len(_listed(first)) == 3  # closed: its own plans only


def test_the_staff_list_queries_do_not_grow_with_pages_of_plans(client, world):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    _plans(a, 2)
    few, body = count(f"/{a.slug}/plans/?view=suggested")
    assert len(_listed(body)) == 2
    _plans(a, 60, start=2)
    many, body = count(f"/{a.slug}/plans/?view=suggested")
    assert len(_listed(body)) == 25 and "Page 1 of 3" in body
    last, body = count(f"/{a.slug}/plans/?view=suggested&page=3")
    assert len(_listed(body)) == 12
    assert few == many == last


def test_suggestions_run_after_the_nightly_scorecards_and_reminders_daily():
    from celery.schedules import crontab

    from config.celery_app import app

    beat = app.conf.beat_schedule
    nightly, suggest = beat["scorecards-nightly"]["schedule"], beat["plans-suggest"]["schedule"]
    assert isinstance(suggest, crontab)
    assert (min(suggest.hour), min(suggest.minute)) > (min(nightly.hour), min(nightly.minute))
    assert beat["plans-suggest"]["task"] == "scorecards.tasks.plans_suggest_sweep_task"
    assert beat["plan-reminders-sweep"]["task"] == "scorecards.tasks.plan_reminders_sweep_task"


def test_partner_home_puts_what_it_must_do_first_with_its_own_corrective_actions(client, world):
    """On a partner's home, in this order: the report to hand in (with its link), the
    exclusivity standing, its own open corrective actions (not another distributor's), then
    the launch checklist summarised (a count of overdue tasks, not the twelve of them), the
    contract and the company facts."""
    from partners.models import LaunchChecklist, LaunchChecklistItem
    from tests.factories_contracts import ProductLineFactory, TerritoryFactory
    from tests.factories_reporting import ReportFactory

    a = world.a
    _activate(a)
    with time_machine.travel(NOON_TOKYO_MAY_11, tick=False):
        plan = _open_plan(a)
        mine = _add(a, plan, text="Share the stock report", due=dt.date(2026, 5, 20))
        other_plan = _open_plan(a, a.d2)
        with in_scope(a):
            other = services.action_add(
                vendor=a.vendor, actor=a.member(CHANNEL_MANAGER), plan=other_plan,
                text="Lotus: visit Chiang Mai", owner=a.member(CHANNEL_MANAGER),
                due_on=dt.date(2026, 5, 25),
            )  # fmt: skip
            contract = ContractFactory(
                vendor=a.vendor, distributor=a.d1, starts_on=dt.date(2026, 1, 1),
                launch_ends_on=dt.date(2026, 3, 31), ends_on=dt.date(2028, 12, 31),
            )  # fmt: skip
            ScopeLineFactory(
                vendor=a.vendor, contract=contract, exclusive_from=dt.date(2026, 4, 1),
                territory=TerritoryFactory(vendor=a.vendor, name="Kanto", country="JP"),
                product_line=ProductLineFactory(vendor=a.vendor, name="Robots"),
            )  # fmt: skip
            report = ReportFactory(distributor=a.d1)
            checklist = LaunchChecklist.objects.create(
                vendor=a.vendor, distributor=a.d1, start_date=dt.date(2026, 4, 1)
            )
            for n in range(12):
                LaunchChecklistItem.objects.create(
                    vendor=a.vendor, checklist=checklist, week=1 + n // 4,
                    title=f"Launch task {n + 1}", side="vendor",
                    due_on=dt.date(2026, 4, 8) + dt.timedelta(days=n),
                )  # fmt: skip
        client.force_login(a.user(DISTRIBUTOR_USER))
        home = client.get(f"/{a.slug}/").content.decode()
    order = [
        'data-testid="reports-todo"',
        f"/reports/{report.pk}/edit/",
        'data-testid="keeping-exclusivity"',
        'data-testid="my-plan-actions"',
        'data-testid="launch-panel"',
        'data-testid="count-members"',
    ]
    positions = [home.index(marker) for marker in order]
    assert positions == sorted(positions)
    actions = home[home.index('data-testid="my-plan-actions"') :]
    actions = actions[: actions.index("</section>")]
    assert "Share the stock report" in actions and f"#plan-action-{mine.pk}" in actions
    assert "Lotus: visit Chiang Mai" not in home and f"plan-action-{other.pk}" not in home
    launch = home[home.index('data-testid="launch-panel"') :]
    launch = launch[: launch.index("</section>")]
    assert "12 tasks overdue" in launch and "Launch task 1" not in launch
    assert f"/distributors/{a.d1.pk}/launch/" in launch


def test_plans_page_congratulates_only_when_exclusivity_is_not_at_risk(client, world):
    """With no plan, "keep it that way" only when no exclusive line is warned or being
    revoked; under a warning it says so, under a revoke to come it gives the day."""
    from scorecards.models import ExclusivityVerdict
    from tests.factories_contracts import ProductLineFactory, TerritoryFactory

    a = world.a
    _activate(a)
    with time_machine.travel(dt.datetime(2026, 10, 15, 3, tzinfo=dt.UTC), tick=False):
        with in_scope(a):
            contract = ContractFactory(
                vendor=a.vendor, distributor=a.d1, starts_on=dt.date(2026, 1, 1),
                launch_ends_on=dt.date(2026, 3, 31), ends_on=dt.date(2028, 12, 31),
            )  # fmt: skip
            line = ScopeLineFactory(
                vendor=a.vendor, contract=contract, exclusive_from=dt.date(2026, 4, 1),
                territory=TerritoryFactory(vendor=a.vendor, name="Kanto", country="JP"),
                product_line=ProductLineFactory(vendor=a.vendor, name="Robots"),
            )  # fmt: skip
        client.force_login(a.user(DISTRIBUTOR_USER))

        def page():
            body = client.get(f"/{a.slug}/plans/mine/").content.decode()
            return body[body.index('data-testid="plans-empty"') :]

        assert "Keep it that way!" in page()
        with in_scope(a):
            verdict = ExclusivityVerdict.objects.create(
                vendor=a.vendor, scope_line=line, contract=contract, distributor=a.d1,
                quarter_start=dt.date(2026, 7, 1), quarter_end=dt.date(2026, 9, 30),
                outcome="warn", conditions_met=False, effective_on=dt.date(2026, 10, 1),
                computed_at=timezone.now(),
            )  # fmt: skip
        warned = page()
        assert "Keep it that way" not in warned
        assert "Kanto × Robots was warned in FY2026 Q3" in warned
        with in_scope(a):
            ExclusivityVerdict.objects.filter(pk=verdict.pk).update(
                outcome="revoke", effective_on=dt.date(2026, 11, 29)
            )
        revoking = page()
        assert "Keep it that way" not in revoking and "was warned" not in revoking
        assert "Exclusivity for Kanto × Robots ends on Nov. 29, 2026." in revoking


def test_a_growth_kpi_red_two_months_reads_in_points_on_the_plan(client, world):
    """A suggested plan for revenue growth red two months running says how far from base in
    percentage points, not "-20 and -152 percent of base"; revenue keeps percent of base."""
    a = world.a
    _activate(a)
    with in_scope(a):
        kpis = {k.code: k for k in kpi_catalogue_seed(vendor=a.vendor)}
        growth = kpis["revenue-growth"]
        for month in (MARCH, APRIL):
            _actual(a, a.d1, kpis["revenue"], month, "red")  # 40% of base
        for month, value in ((MARCH, "-1"), (APRIL, "-7.6")):
            KpiActual.objects.create(
                vendor=a.vendor, distributor=a.d1, kpi=growth, family=growth.family,
                period_kind="month", period_start=month, value=Decimal(value), base=Decimal(5),
                attainment=Decimal(value) * 20, rag="red", computed_at=timezone.now(),
            )  # fmt: skip
        assert services.plan_suggest_from_reds(vendor=a.vendor, month_start=APRIL) == 1
        plan = CorrectivePlan.objects.get()
    client.force_login(a.user(VENDOR_ADMIN))
    body = client.get(f"/{a.slug}/plans/{plan.pk}/").content.decode()
    assert "(-6 pts vs base 5%, then -12.6 pts vs base 5%)" in body
    assert "(40 and 40 percent of base)" in body  # revenue, a money KPI
    assert "-20 and -152" not in body
