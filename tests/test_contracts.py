"""Contracts in the service layer: the overlap rule (and the database constraint behind it),
phases, the selection gate, clauses, amendments, permissions and reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from partners.models import (
    AuditEvent,
    ClauseKind,
    Contract,
    ContractStatus,
    Distributor,
    DistributorStatus,
    FinancialCheck,
    OutboundEmail,
    ScopeLine,
    SelectionChecklist,
    SelectionDecision,
)
from partners.services import contracts as services
from partners.services.contracts import scope as contract_scope
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories_contracts import (
    ContractFactory,
    ProductLineFactory,
    ScopeLineFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def cat(world):
    """Vendor A's catalogue, and both distributors active (past selection)."""
    a = world.a
    with in_scope(a):
        Distributor.objects.filter(vendor=a.vendor).update(status=DistributorStatus.ACTIVE)
        a.d1.refresh_from_db()
        a.d2.refresh_from_db()
        return {
            "kanto": TerritoryFactory(vendor=a.vendor, name="Kanto", country="JP"),
            "kansai": TerritoryFactory(vendor=a.vendor, name="Kansai", country="JP"),
            "cobots": ProductLineFactory(vendor=a.vendor, name="Cobots"),
            "vision": ProductLineFactory(vendor=a.vendor, name="Vision sensors"),
        }


def create(world, distributor, reference, lines, *, role=CHANNEL_MANAGER, **terms):
    a = world.a
    terms.setdefault("starts_on", D(2026, 1, 1))
    terms.setdefault("ends_on", D(2027, 12, 31))
    with in_scope(a):
        return services.contract_create(
            vendor=a.vendor,
            actor=a.member(role),
            distributor=distributor,
            reference=reference,
            scope_lines=lines,
            **terms,
        )


def line(cat, territory="kanto", product="cobots", **kw):
    return {"territory": cat[territory], "product_line": cat[product], **kw}


# --- phases ------------------------------------------------------------------------------------


def test_launch_defaults_to_first_90_days_and_exclusivity_starts_after_it(world, cat):
    contract = create(world, world.a.d1, "JP-001", [line(cat, exclusive=True)])
    assert contract.launch_ends_on == D(2026, 3, 31)  # 1 Jan + 89 days: 90 days of launch
    kinds = [(p.kind, p.starts_on, p.ends_on) for p in contract.phases]
    assert kinds == [
        ("launch", D(2026, 1, 1), D(2026, 3, 31)),
        ("conditional", D(2026, 4, 1), D(2027, 12, 31)),
    ]
    with in_scope(world.a):
        stored = ScopeLine.objects.get(contract=contract)
    assert stored.starts_on == D(2026, 1, 1)
    assert stored.exclusive_from == D(2026, 4, 1)
    assert contract.phase_on(D(2026, 2, 1)).kind == "launch"


def test_exclusive_line_that_ends_during_launch_is_refused(world, cat):
    with pytest.raises(ValidationError) as exc:
        create(world, world.a.d1, "JP-001", [line(cat, exclusive=True, ends_on=D(2026, 3, 1))])
    assert "conditional phase" in str(exc.value.message_dict["scope_lines"])


# --- the overlap rule --------------------------------------------------------------------------


def test_second_exclusive_holder_is_refused_with_the_conflicting_contract_named(world, cat):
    create(world, world.a.d1, "JP-001", [line(cat, exclusive=True)])
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        create(world, world.a.d2, "TH-001", [line(cat, exclusive=True, starts_on=D(2027, 6, 1))])
    message = " ".join(exc.value.message_dict["scope_lines"])
    assert "JP-001" in message and "Sakura Trading" in message
    assert "Kanto" in message and "Cobots" in message
    assert db_state() == before


def test_scope_overlapping_another_distributors_exclusivity_is_refused_even_non_exclusive(
    world, cat
):
    create(world, world.a.d1, "JP-001", [line(cat, exclusive=True)])
    with pytest.raises(ValidationError) as exc:
        create(world, world.a.d2, "TH-001", [line(cat, starts_on=D(2026, 5, 1))])
    assert "JP-001" in str(exc.value) and "Sakura Trading" in str(exc.value)


def test_exclusivity_over_another_distributors_non_exclusive_scope_is_refused(world, cat):
    create(world, world.a.d1, "JP-001", [line(cat)])
    with pytest.raises(ValidationError) as exc:
        create(world, world.a.d2, "TH-001", [line(cat, exclusive=True)])
    assert "cannot be exclusive" in str(exc.value) and "JP-001" in str(exc.value)


def test_non_exclusive_lines_of_two_distributors_may_overlap(world, cat):
    create(world, world.a.d1, "JP-001", [line(cat)])
    create(world, world.a.d2, "TH-001", [line(cat)])
    with in_scope(world.a):
        assert ScopeLine.objects.count() == 2


def test_adjacent_exclusive_periods_are_allowed(world, cat):
    create(
        world,
        world.a.d1,
        "JP-001",
        [line(cat, exclusive=True)],
        ends_on=D(2026, 12, 31),
    )
    create(
        world,
        world.a.d2,
        "TH-001",
        [line(cat, exclusive=True)],
        starts_on=D(2027, 1, 1),
        ends_on=D(2028, 12, 31),
        launch_ends_on=D(2027, 1, 1),
    )
    # One day of overlap is refused.
    with pytest.raises(ValidationError):
        create(
            world,
            world.a.d2,
            "TH-002",
            [line(cat, "kanto", "cobots", exclusive=True)],
            starts_on=D(2026, 12, 31),
            ends_on=D(2027, 3, 31),
            launch_ends_on=D(2026, 12, 31),
            scale_starts_on=None,
        )


def test_other_scope_and_other_vendor_do_not_conflict(world, cat):
    create(world, world.a.d1, "JP-001", [line(cat, exclusive=True)])
    create(world, world.a.d2, "TH-001", [line(cat, "kansai", "cobots", exclusive=True)])
    create(world, world.a.d2, "TH-002", [line(cat, "kanto", "vision", exclusive=True)])
    b = world.b
    with in_scope(b):
        Distributor.objects.filter(pk=b.d1.pk).update(status=DistributorStatus.ACTIVE)
        b.d1.refresh_from_db()
        services.contract_create(
            vendor=b.vendor,
            actor=b.member(VENDOR_ADMIN),
            distributor=b.d1,
            reference="JP-001",  # references are unique per vendor only
            starts_on=D(2026, 1, 1),
            ends_on=D(2027, 12, 31),
            scope_lines=[
                {
                    "territory": TerritoryFactory(vendor=b.vendor, name="Kanto"),
                    "product_line": ProductLineFactory(vendor=b.vendor, name="Cobots"),
                    "exclusive": True,
                }
            ],
        )


def test_database_refuses_overlapping_exclusivity_written_around_the_service(world, cat):
    with in_scope(world.a):
        c1 = ContractFactory(vendor=world.a.vendor, distributor=world.a.d1)
        c2 = ContractFactory(vendor=world.a.vendor, distributor=world.a.d2)
        ScopeLineFactory(
            contract=c1, territory=cat["kanto"], product_line=cat["cobots"],
            exclusive_from=D(2026, 4, 1),
        )  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            ScopeLineFactory(
                contract=c2, territory=cat["kanto"], product_line=cat["cobots"],
                exclusive_from=D(2027, 12, 31),
            )  # fmt: skip


def test_constraint_violation_becomes_the_same_message(world, cat, monkeypatch):
    """If the check were skipped (a writer without the lock), the constraint's error is turned
    into the same ValidationError naming the contract."""
    create(world, world.a.d1, "JP-001", [line(cat, exclusive=True)])
    real = contract_scope._scope_conflict
    calls = []

    def blind_first(line_obj):
        calls.append(line_obj)
        return None if len(calls) == 1 else real(line_obj)

    # Patched where _save_line looks it up.
    monkeypatch.setattr(contract_scope, "_scope_conflict", blind_first)
    with pytest.raises(ValidationError) as exc:
        create(world, world.a.d2, "TH-001", [line(cat, exclusive=True)])
    assert len(calls) == 2
    assert "JP-001" in str(exc.value) and "Sakura Trading" in str(exc.value)


def test_reference_is_unique_per_vendor(world, cat):
    create(world, world.a.d1, "JP-001", [])
    with pytest.raises(ValidationError) as exc:
        create(world, world.a.d2, "jp-001", [])
    assert "reference" in exc.value.message_dict


def test_terms_are_validated(world, cat):
    with pytest.raises(ValidationError) as exc:
        create(
            world,
            world.a.d1,
            "JP-001",
            [],
            ends_on=D(2025, 12, 1),
        )
    assert "ends_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        create(world, world.a.d1, "JP-001", [], auto_renews=True, status=ContractStatus.ACTIVE)
    assert {"renewal_term_months", "signed_on"} <= set(exc.value.message_dict)


# --- selection gate and permissions ----------------------------------------------------------


def test_prospect_needs_a_complete_selection_or_an_override(world, cat):
    a = world.a
    with in_scope(a):
        Distributor.objects.filter(pk=a.d1.pk).update(status=DistributorStatus.PROSPECT)
        a.d1.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        create(world, a.d1, "JP-001", [])
    assert "selection checklist" in " ".join(exc.value.message_dict["distributor"])
    with in_scope(a):
        SelectionChecklist.objects.create(
            vendor=a.vendor,
            distributor=a.d1,
            references_checked=True,
            competing_brands_reviewed=True,
            sales_capacity_confirmed=True,
            willing_to_train=True,
            financial_check=FinancialCheck.PASSED,
            decision=SelectionDecision.APPROVED,
            decision_reason="Strong references, 12 sales people.",
        )
    assert create(world, a.d1, "JP-001", []).pk


def test_prospect_with_override_gets_a_contract(world, cat):
    a = world.a
    from django.utils import timezone

    with in_scope(a):
        Distributor.objects.filter(pk=a.d1.pk).update(status=DistributorStatus.PROSPECT)
        a.d1.refresh_from_db()
        SelectionChecklist.objects.create(
            vendor=a.vendor,
            distributor=a.d1,
            override_reason="Strategic account",
            overridden_at=timezone.now(),
        )
    assert create(world, a.d1, "JP-001", []).pk


@pytest.mark.parametrize("role", [EXECUTIVE, DISTRIBUTOR_ADMIN])
def test_only_admins_and_channel_managers_write_contracts(world, cat, role):
    before = db_state()
    with pytest.raises(PermissionDenied):
        create(world, world.a.d1, "JP-001", [line(cat)], role=role)
    assert db_state() == before


def test_create_is_audited(world, cat):
    contract = create(world, world.a.d1, "JP-001", [line(cat, exclusive=True)])
    with in_scope(world.a):
        event = AuditEvent.objects.get(action="contract.create", object_id=str(contract.pk))
    assert event.changes["reference"] == [None, "JP-001"]
    assert event.changes["scope_lines"][1][0]["exclusive_from"] == "2026-04-01"


# --- updates -----------------------------------------------------------------------------------


def test_moving_the_launch_moves_exclusivity_and_is_checked_again(world, cat):
    a = world.a
    c1 = create(world, a.d1, "JP-001", [line(cat, exclusive=True)])
    # Lotus may sell there during Sakura's launch (non-exclusive), until 15 March.
    create(world, a.d2, "TH-001", [line(cat, ends_on=D(2026, 3, 15))])
    with in_scope(a):
        contract = Contract.objects.get(pk=c1.pk)
        assert ScopeLine.objects.get(contract=contract).exclusive_from == D(2026, 4, 1)
        services.contract_update(
            vendor=a.vendor,
            actor=a.member(VENDOR_ADMIN),
            contract=contract,
            launch_ends_on=D(2026, 4, 30),
        )
        assert ScopeLine.objects.get(contract=contract).exclusive_from == D(2026, 5, 1)
        with pytest.raises(ValidationError) as exc:
            services.contract_update(
                vendor=a.vendor,
                actor=a.member(VENDOR_ADMIN),
                contract=contract,
                launch_ends_on=D(2026, 2, 28),
            )
        assert "TH-001" in str(exc.value) and "Lotus Distribution" in str(exc.value)


# --- clauses -----------------------------------------------------------------------------------


def test_clause_validation(world, cat):
    a = world.a
    c1 = create(world, a.d1, "JP-001", [line(cat)])
    c2 = create(world, a.d2, "TH-001", [line(cat, "kansai")])
    with in_scope(a):
        va = a.member(VENDOR_ADMIN)
        own_line = ScopeLine.objects.get(contract=c1)
        other_line = ScopeLine.objects.get(contract=c2)

        def add(**fields):
            return services.clause_create(vendor=a.vendor, actor=va, contract=c1, **fields)

        for fields, field in [
            ({"kind": ClauseKind.MIN_REVENUE, "amount": Decimal("100")}, "scope_line"),
            (
                {"kind": ClauseKind.MIN_REVENUE, "scope_line": other_line, "amount": 5},
                "scope_line",
            ),
            ({"kind": ClauseKind.MIN_REVENUE, "scope_line": own_line, "amount": 0}, "amount"),
            ({"kind": ClauseKind.MIN_REPORTING, "rate": Decimal("100.5")}, "rate"),
            ({"kind": ClauseKind.MIN_REPORTING, "rate": Decimal("-1")}, "rate"),
            ({"kind": ClauseKind.MIN_REPORTING}, "rate"),
            ({"kind": "bonus"}, "kind"),
        ]:
            with pytest.raises(ValidationError) as exc:
                add(**fields)
            assert field in exc.value.message_dict, fields
        revenue = add(kind=ClauseKind.MIN_REVENUE, scope_line=own_line, amount=Decimal("2500000"))
        assert revenue.currency == "JPY"  # the distributor's currency
        reporting = add(kind=ClauseKind.MIN_REPORTING, rate=Decimal("90"))
        add(kind=ClauseKind.QBR_ATTENDANCE)
        with pytest.raises(ValidationError):
            add(kind=ClauseKind.QBR_ATTENDANCE)  # once per contract
        services.clause_update(vendor=a.vendor, actor=va, clause=reporting, rate=Decimal("95"))
        reporting.refresh_from_db()
        assert reporting.rate == Decimal("95")
        with pytest.raises(PermissionDenied):
            services.clause_delete(vendor=a.vendor, actor=a.member(EXECUTIVE), clause=reporting)


# --- amendments --------------------------------------------------------------------------------


def test_amendment_ends_and_adds_lines_keeping_history(world, cat):
    a = world.a
    contract = create(world, a.d1, "JP-001", [line(cat), line(cat, "kansai")])
    with in_scope(a):
        kansai = ScopeLine.objects.get(contract=contract, territory=cat["kansai"])
        amendment = services.contract_amend(
            vendor=a.vendor,
            actor=a.member(CHANNEL_MANAGER),
            contract=contract,
            effective_on=D(2026, 7, 1),
            reason="Kansai reassigned; vision sensors added after a strong Q2.",
            end_line_ids=[kansai.pk],
            add_lines=[line(cat, "kanto", "vision", exclusive=True)],
        )
        assert amendment.kind == "change"
        kansai.refresh_from_db()
        assert kansai.ends_on == D(2026, 6, 30) and kansai.ended_by == amendment
        added = ScopeLine.objects.get(added_by=amendment)
        assert added.starts_on == D(2026, 7, 1) and added.exclusive_from == D(2026, 7, 1)
        assert ScopeLine.objects.filter(contract=contract).count() == 3  # nothing deleted
        assert AuditEvent.objects.filter(action="contract.amend").count() == 1


def test_amendment_goes_through_the_overlap_rule(world, cat):
    a = world.a
    create(world, a.d1, "JP-001", [line(cat, exclusive=True)])
    contract = create(world, a.d2, "TH-001", [line(cat, "kansai")])
    before = db_state()
    with in_scope(a), pytest.raises(ValidationError) as exc:
        services.contract_amend(
            vendor=a.vendor,
            actor=a.member(CHANNEL_MANAGER),
            contract=contract,
            effective_on=D(2026, 9, 1),
            reason="Expand to Kanto",
            add_lines=[line(cat)],
        )
    assert "JP-001" in " ".join(exc.value.message_dict["add_lines"])
    assert db_state() == before


def test_amendment_validation(world, cat):
    a = world.a
    contract = create(world, a.d1, "JP-001", [line(cat, starts_on=D(2026, 8, 1))])
    with in_scope(a):
        only_line = ScopeLine.objects.get(contract=contract)
        cm = a.member(CHANNEL_MANAGER)

        def amend(**kw):
            kw.setdefault("effective_on", D(2026, 7, 1))
            kw.setdefault("reason", "Because")
            return services.contract_amend(vendor=a.vendor, actor=cm, contract=contract, **kw)

        for kw, field in [
            ({"reason": " ", "end_line_ids": [only_line.pk]}, "reason"),
            ({"effective_on": D(2028, 1, 1), "end_line_ids": [only_line.pk]}, "effective_on"),
            ({}, "add_lines"),
            ({"end_line_ids": [only_line.pk]}, "end_lines"),  # starts after the date
        ]:
            with pytest.raises(ValidationError) as exc:
                amend(**kw)
            assert field in exc.value.message_dict, kw
        assert not contract.amendments.exists()


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_are_queued_once_when_the_sweep_runs_twice(world, cat):
    from partners.tasks import contract_reminders_sweep_task

    a = world.a
    create(
        world,
        a.d1,
        "JP-001",
        [],
        status=ContractStatus.ACTIVE,
        signed_on=D(2025, 12, 20),
        notice_days=60,
    )
    with in_scope(a):
        Distributor.objects.filter(pk=a.d1.pk).update(owner=a.member(CHANNEL_MANAGER))
    # 90 days before the end (31 Dec 2027), 30 before the notice deadline (1 Nov 2027); noon
    # in Tokyo.
    with time_machine.travel(dt.datetime(2027, 10, 2, 3, 0, tzinfo=dt.UTC), tick=False):
        assert contract_reminders_sweep_task() == 1
        assert contract_reminders_sweep_task() == 1  # found again, queued nothing new
    with in_scope(a):
        emails = list(OutboundEmail.objects.order_by("subject"))
    assert len(emails) == 2
    assert {e.to for e in emails} == {a.user(CHANNEL_MANAGER).email}
    assert "JP-001" in emails[0].subject
    assert sorted(e.dedupe_key.split(":")[2:4] for e in emails) == [["end", "90"], ["notice", "30"]]
    # The next threshold is another reminder; the day after, nothing new.
    with time_machine.travel(dt.datetime(2027, 10, 3, 3, 0, tzinfo=dt.UTC), tick=False):
        contract_reminders_sweep_task()
    with time_machine.travel(dt.datetime(2027, 11, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        contract_reminders_sweep_task()
        contract_reminders_sweep_task()
    with in_scope(a):
        keys = sorted(OutboundEmail.objects.values_list("dedupe_key", flat=True))
    assert [k.split(":")[2:4] for k in keys] == [["end", "60"], ["end", "90"], ["notice", "30"]]


def test_reminders_fall_back_to_vendor_admins_and_skip_drafts(world, cat):
    from partners.tasks import contract_reminders_sweep_task

    a = world.a
    create(world, a.d1, "JP-DRAFT", [], ends_on=D(2026, 12, 31))
    create(
        world,
        a.d2,
        "TH-001",
        [],
        ends_on=D(2026, 12, 31),
        status=ContractStatus.ACTIVE,
        signed_on=D(2025, 12, 1),
        notice_days=30,
        reminder_days=[45],
    )
    with time_machine.travel(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC), tick=False):
        contract_reminders_sweep_task()
    with in_scope(a):
        emails = list(OutboundEmail.objects.all())
    # The end (41 days away) and the notice deadline (11 days away), nothing for the draft.
    assert [e.to for e in emails] == [a.user(VENDOR_ADMIN).email] * 2
    assert all("TH-001" in e.subject for e in emails)


def test_reminder_sweep_keeps_each_vendor_to_its_own_people(world, cat):
    """One sweep over both workspaces: each vendor's reminder goes to its own people, names
    its own contract and is an outbox row of its own workspace only."""
    from partners.tasks import contract_reminders_sweep_task

    terms = {"status": ContractStatus.ACTIVE, "signed_on": D(2025, 12, 1), "reminder_days": [45]}
    create(world, world.a.d1, "ACME-END", [], ends_on=D(2026, 12, 31), **terms)
    b = world.b
    with in_scope(b):
        Distributor.objects.filter(vendor=b.vendor).update(status=DistributorStatus.ACTIVE)
        b.d1.refresh_from_db()
        services.contract_create(
            vendor=b.vendor,
            actor=b.member(CHANNEL_MANAGER),
            distributor=b.d1,
            reference="BOREALIS-END",
            scope_lines=[],
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 12, 31),
            **terms,
        )
    with time_machine.travel(dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC), tick=False):
        contract_reminders_sweep_task()
    for tenant, own, other in (
        (world.a, "ACME-END", "BOREALIS-END"),
        (b, "BOREALIS-END", "ACME-END"),
    ):
        with in_scope(tenant):
            emails = list(OutboundEmail.objects.all())
        assert emails, f"no reminder in {tenant.slug}"
        people = {u.email for u in tenant.users.values()}
        for email in emails:
            assert email.vendor_id == tenant.vendor.pk
            assert email.to in people
            assert own in email.subject and other not in email.subject
            assert other not in email.body_text
