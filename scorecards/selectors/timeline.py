"""The timeline of one distributor: what happened to its exclusivity and its contracts, newest
first, each entry a sentence in the active language with a link.

The timeline is assembled from *sources*: functions called with ``vendor``, ``actor``,
``distributor`` and ``today`` that return a list of ``TimelineEntry``, each with one query
whatever the number of rows (``SOURCES``; another area adds one with ``timeline_source_register``,
for example corrective action plans). The sources here: the exclusivity verdicts with their
overrides, holds and applied revokes (one query on the verdicts), contract amendments, contract
phase changes (the end of launch and the start of scale, once the day is reached), the
distributor's status history and the QBRs held.

Vendor-internal notes (the reason written for an override or a hold, for a status change, the
notes of a QBR) are kept in ``TimelineEntry.note`` and shown to vendor staff only: a
distributor's people see that something happened, not what the vendor wrote about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners import periods
from partners.models import (
    Contract,
    ContractAmendment,
    ContractStatus,
    Distributor,
    DistributorStatus,
    DistributorStatusChange,
    Membership,
    Vendor,
)
from scorecards.exclusivity_words import outcome_sentence
from scorecards.models import (
    ExclusivityVerdict,
    PlanTrigger,
    VerdictOutcome,
)
from scorecards.selectors.plans import plan_list_for_actor
from scorecards.selectors.qbr import qbr_meeting_list_for_actor

# Kinds of entries (a CSS class and the API's ``kind``).
VERDICT, OVERRIDE, HOLD, REVOKE_APPLIED = "verdict", "override", "hold", "revoke_applied"
AMENDMENT, PHASE, STATUS, QBR = "amendment", "phase", "status", "qbr"
PLAN = "plan"


@dataclass(frozen=True)
class TimelineEntry:
    """One event: its day, a sentence, where to read more, and a vendor-internal note."""

    day: dt.date
    kind: str
    sentence: str
    url: str = ""
    note: str = ""
    # Ties on the same day: the later moment first (a timestamp when the event has one).
    at: dt.datetime | None = None


Source = Callable[..., list[TimelineEntry]]
SOURCES: list[Source] = []


def timeline_source_register(source: Source) -> Source:
    """Add a source of entries (idempotent); usable as a decorator."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def _day(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` in the reader's time zone (the active one)."""
    return periods.local_date(moment, timezone.get_current_timezone())


def _d(day: dt.date | None) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


def _person(user) -> str:
    return (user.full_name or user.email) if user is not None else _("someone")


@timeline_source_register
def verdict_entries(*, vendor: Vendor, distributor: Distributor, **_kwargs) -> list[TimelineEntry]:
    """Each verdict, and its override, hold and applied revoke when there are (one query)."""
    fiscal = vendor.fiscal_year_start_month
    verdicts = ExclusivityVerdict.objects.filter(
        vendor=vendor, distributor=distributor
    ).select_related(
        "scope_line__territory",
        "scope_line__product_line",
        "overridden_by",
        "held_by",
        "applied_amendment",
    )
    entries = []
    for v in verdicts:
        scope = str(v.scope_line)
        quarter = periods.fiscal_quarter_label(v.quarter_start, fiscal)
        url = reverse("verdict-detail", args=[vendor.slug, v.pk])
        entries.append(
            TimelineEntry(
                day=_day(v.computed_at),
                kind=VERDICT,
                sentence=outcome_sentence(
                    outcome=v.outcome, scope=scope, quarter=quarter, effective_on=v.effective_on
                ),
                url=url,
                at=v.computed_at,
            )
        )
        if v.overridden_at and (v.overridden_outcome or v.override_reason):
            entries.append(
                TimelineEntry(
                    day=_day(v.overridden_at),
                    kind=OVERRIDE,
                    sentence=_(
                        "%(person)s overrode the verdict on %(scope)s for %(quarter)s: %(outcome)s."
                    )
                    % {
                        "person": _person(v.overridden_by),
                        "scope": scope,
                        "quarter": quarter,
                        "outcome": VerdictOutcome(v.effective_outcome).label,
                    },
                    url=url,
                    note=v.override_reason,
                    at=v.overridden_at,
                )
            )
        if v.held_at and v.held_until:
            entries.append(
                TimelineEntry(
                    day=_day(v.held_at),
                    kind=HOLD,
                    sentence=_(
                        "%(person)s held the revoke of exclusivity for %(scope)s until %(date)s."
                    )
                    % {"person": _person(v.held_by), "scope": scope, "date": _d(v.held_until)},
                    url=url,
                    note=v.hold_reason,
                    at=v.held_at,
                )
            )
        if v.applied_at:
            effective = v.applied_amendment.effective_on if v.applied_amendment else v.effective_on
            entries.append(
                TimelineEntry(
                    day=_day(v.applied_at),
                    kind=REVOKE_APPLIED,
                    sentence=_(
                        "Exclusivity for %(scope)s ended: from %(date)s the scope continues "
                        "without exclusivity."
                    )
                    % {"scope": scope, "date": _d(effective)},
                    url=url,
                    at=v.applied_at,
                )
            )
    return entries


@timeline_source_register
def amendment_entries(
    *, vendor: Vendor, distributor: Distributor, **_kwargs
) -> list[TimelineEntry]:
    """Contract amendments, on the day they take effect (one query)."""
    amendments = ContractAmendment.objects.filter(
        vendor=vendor, contract__distributor=distributor
    ).select_related("contract")
    return [
        TimelineEntry(
            day=a.effective_on,
            kind=AMENDMENT,
            sentence=_("Contract %(reference)s amended (%(kind)s) from %(date)s: %(reason)s")
            % {
                "reference": a.contract.reference,
                "kind": a.get_kind_display().lower(),
                "date": _d(a.effective_on),
                "reason": a.reason,
            },
            url=reverse("contract-detail", args=[vendor.slug, a.contract_id]),
            at=a.created_at,
        )
        for a in amendments
    ]


@timeline_source_register
def phase_entries(
    *, vendor: Vendor, distributor: Distributor, today: dt.date, **_kwargs
) -> list[TimelineEntry]:
    """The end of launch and the start of scale of each signed contract, once the day has come
    (one query)."""
    contracts = Contract.objects.filter(vendor=vendor, distributor=distributor).exclude(
        status=ContractStatus.DRAFT
    )
    entries = []
    for c in contracts:
        url = reverse("contract-detail", args=[vendor.slug, c.pk])
        conditional = c.conditional_starts_on
        if conditional <= min(today, c.ends_on):
            entries.append(
                TimelineEntry(
                    day=conditional,
                    kind=PHASE,
                    sentence=_(
                        "Contract %(reference)s: the launch phase ended; conditional "
                        "exclusivity from %(date)s."
                    )
                    % {"reference": c.reference, "date": _d(conditional)},
                    url=url,
                )
            )
        if c.scale_starts_on and c.scale_starts_on <= today:
            entries.append(
                TimelineEntry(
                    day=c.scale_starts_on,
                    kind=PHASE,
                    sentence=_("Contract %(reference)s: the scale phase started on %(date)s.")
                    % {"reference": c.reference, "date": _d(c.scale_starts_on)},
                    url=url,
                )
            )
    return entries


@timeline_source_register
def status_entries(*, vendor: Vendor, distributor: Distributor, **_kwargs) -> list[TimelineEntry]:
    """The distributor's status history (one query)."""
    changes = DistributorStatusChange.objects.filter(vendor=vendor, distributor=distributor)
    url = reverse("distributor-detail", args=[vendor.slug, distributor.pk])
    entries = []
    for change in changes:
        params = {
            "to": DistributorStatus(change.to_status).label,
            "date": _d(change.effective_on),
        }
        if change.from_status:
            params["from"] = DistributorStatus(change.from_status).label
            sentence = _("Status changed from %(from)s to %(to)s on %(date)s.") % params
        else:
            sentence = _("Status set to %(to)s on %(date)s.") % params
        entries.append(
            TimelineEntry(
                day=change.effective_on,
                kind=STATUS,
                sentence=sentence,
                url=url,
                note=change.reason,
                at=change.created_at,
            )
        )
    return entries


@timeline_source_register
def qbr_entries(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **_kwargs
) -> list[TimelineEntry]:
    """QBRs held (one query)."""
    url = reverse("distributor-exclusivity", args=[vendor.slug, distributor.pk])
    return [
        TimelineEntry(
            day=m.held_on,
            kind=QBR,
            sentence=_("QBR held on %(date)s.") % {"date": _d(m.held_on)},
            url=url,
            note=m.notes,
            at=m.created_at,
        )
        for m in qbr_meeting_list_for_actor(
            vendor=vendor, actor=actor, distributor_id=distributor.pk
        )
    ]


@timeline_source_register
def plan_entries(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, **_kwargs
) -> list[TimelineEntry]:
    """Corrective plans: suggested, opened, reviewed (one query; the latest review only, the
    audit log keeps every one). A distributor's people see the plans they can open (open and
    closed ones), not the vendor's suggestions."""
    entries = []
    staff = actor.is_staff_role
    for plan in plan_list_for_actor(vendor=vendor, actor=actor).filter(distributor=distributor):
        url = reverse("plan-detail", args=[vendor.slug, plan.pk])
        if plan.trigger != PlanTrigger.MANUAL and staff:
            entries.append(
                TimelineEntry(
                    day=_day(plan.created_at),
                    kind=PLAN,
                    sentence=_("Corrective plan suggested: %(trigger)s.")
                    % {"trigger": plan.get_trigger_display()},
                    url=url,
                    at=plan.created_at,
                )
            )
        if plan.opened_at:
            entries.append(
                TimelineEntry(
                    day=_day(plan.opened_at),
                    kind=PLAN,
                    sentence=_("Corrective plan opened; review on %(date)s.")
                    % {"date": _d(plan.review_on)},
                    url=url,
                    note=plan.gap,
                    at=plan.opened_at,
                )
            )
        if plan.reviewed_at and plan.outcome:
            entries.append(
                TimelineEntry(
                    day=_day(plan.reviewed_at),
                    kind=PLAN,
                    sentence=_("Corrective plan reviewed: %(outcome)s.")
                    % {"outcome": plan.get_outcome_display()},
                    url=url,
                    note=plan.outcome_reason,
                    at=plan.reviewed_at,
                )
            )
    return entries


_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


def distributor_timeline(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: Distributor,
    limit: int | None = None,
    today: dt.date | None = None,
) -> list[TimelineEntry]:
    """Every source's entries for ``distributor``, newest first (``limit`` keeps the first
    ones). One query per source whatever the number of entries. The caller has checked that
    ``actor`` may see this distributor; a distributor's people get the entries without the
    vendor-internal notes."""
    today = today or timezone.localdate()
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        entries.extend(source(vendor=vendor, actor=actor, distributor=distributor, today=today))
    if not actor.is_staff_role:
        entries = [
            TimelineEntry(e.day, e.kind, e.sentence, e.url, "", e.at) if e.note else e
            for e in entries
        ]
    entries.sort(key=lambda e: (e.day, e.at or _EPOCH), reverse=True)
    return entries[:limit] if limit else entries
