"""Contracts with distributors: terms, scope (territory x product line), phases, performance
clauses, amendments and the signed document.

How exclusivity is modelled
---------------------------
A contract runs through three phases (seed 002): **launch** (non-exclusive while the
distributor proves execution; by default the first 90 days), **conditional exclusivity**
(exclusivity, where granted, holds from here, renewed quarter by quarter on performance) and
**scale** (expansion after consistent performance). The phases are contiguous and derived from
two dates on the contract, ``launch_ends_on`` and ``scale_starts_on``, so they can never overlap
or leave a gap.

A scope line says that the distributor may sell one product line in one territory from
``starts_on`` to ``ends_on`` (both inclusive). A line granted exclusivity carries
``exclusive_from``: the first day of the conditional phase, or the line's own start when that is
later. During launch the line holds non-exclusively, as the seed asks, and exclusivity needs no
second row. The database refuses two exclusive periods for the same territory and product line
that overlap (an exclusion constraint over ``daterange(exclusive_from, ends_on, '[]')``), so one
vendor can never have two exclusive holders of the same scope on the same day, whatever the
application does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import (
    ArrayField,
    BigIntegerRangeField,
    DateRangeField,
    RangeOperators,
)
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from .base import TenantModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LAUNCH_DAYS = 90
DEFAULT_REMINDER_DAYS = [90, 60, 30]


class IdPoint(Func):
    """``int8range(id, id, '[]')``: one id as a range, so the exclusion constraint can compare
    ids with ``&&`` (GiST's own range operators) and needs no btree_gist extension, which the
    embedded PostgreSQL of ``make run`` does not ship."""

    function = "INT8RANGE"
    template = "%(function)s(%(expressions)s, %(expressions)s, '[]')"
    output_field = BigIntegerRangeField()


class DateRange(Func):
    """``daterange(lower, upper, bounds)`` in SQL (both ends inclusive here: ``'[]'``)."""

    function = "DATERANGE"
    output_field = DateRangeField()


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Signed and in force")
    TERMINATED = "terminated", _("Terminated")


class ContractPhase(models.TextChoices):
    LAUNCH = "launch", _("Launch")
    CONDITIONAL = "conditional", _("Conditional exclusivity")
    SCALE = "scale", _("Scale")


@dataclass(frozen=True)
class Phase:
    """One phase of a contract with its (inclusive) dates."""

    kind: str
    starts_on: dt.date
    ends_on: dt.date

    @property
    def label(self) -> StrOrPromise:
        return ContractPhase(self.kind).label

    @property
    def exclusive_possible(self) -> bool:
        return self.kind != ContractPhase.LAUNCH

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


def contract_document_path(instance, filename):
    """The service already chose a random per-vendor name (partners.platform.uploads.stored_name)."""
    return filename


def default_reminder_days() -> list[int]:
    return list(DEFAULT_REMINDER_DAYS)


class Contract(TenantModel):
    """A distribution agreement between the vendor and one distributor.

    ``reference`` is unique per vendor. ``notice_days`` is how long before the end either side
    must give notice (the *notice deadline* is ``ends_on`` minus that); ``auto_renews`` with
    ``renewal_term_months`` says what happens when nobody does. Phases come from
    ``launch_ends_on`` and ``scale_starts_on`` (see the module docstring). ``reminder_days`` are
    how many days ahead of the end and of the notice deadline the channel manager is reminded.
    The signed PDF is stored under a name the portal chooses and served only through a view
    that looked the contract up for the person asking.
    """

    distributor = models.ForeignKey(
        "partners.Distributor",
        verbose_name=_("distributor"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    reference = models.CharField(_("reference"), max_length=60)
    status = models.CharField(
        _("status"), max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    auto_renews = models.BooleanField(_("renews automatically"), default=False)
    renewal_term_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"), null=True, blank=True
    )
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=90)
    exit_rights = models.TextField(_("exit rights"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    launch_ends_on = models.DateField(_("launch phase ends on"))
    scale_starts_on = models.DateField(_("scale phase starts on"), null=True, blank=True)
    reminder_days = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("reminders (days ahead)"),
        default=default_reminder_days,
        blank=True,
    )
    document = models.FileField(
        _("signed document"), upload_to=contract_document_path, blank=True, max_length=200
    )
    document_name = models.CharField(max_length=200, blank=True)
    document_uploaded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "reference", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "reference"], name="contract_unique_ref"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(launch_ends_on__gte=F("starts_on"), launch_ends_on__lt=F("ends_on")),
                name="contract_launch_within",
            ),
            models.CheckConstraint(
                condition=Q(scale_starts_on__isnull=True)
                | Q(scale_starts_on__gt=F("launch_ends_on"), scale_starts_on__lte=F("ends_on")),
                name="contract_scale_within",
            ),
        ]
        indexes = [
            models.Index(fields=["vendor", "distributor"], name="contract_vendor_distributor"),
            models.Index(fields=["vendor", "ends_on"], name="contract_vendor_ends"),
            models.Index(fields=["vendor", "status"], name="contract_vendor_status"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def notice_deadline(self) -> dt.date:
        """The last day on which notice can be given to stop the contract at its end."""
        return self.ends_on - dt.timedelta(days=self.notice_days)

    @property
    def conditional_starts_on(self) -> dt.date:
        return self.launch_ends_on + dt.timedelta(days=1)

    @property
    def phases(self) -> list[Phase]:
        """Launch, conditional exclusivity and (when planned) scale, contiguous."""
        conditional_end = (
            self.scale_starts_on - dt.timedelta(days=1) if self.scale_starts_on else self.ends_on
        )
        result = [
            Phase(ContractPhase.LAUNCH, self.starts_on, self.launch_ends_on),
            Phase(ContractPhase.CONDITIONAL, self.conditional_starts_on, conditional_end),
        ]
        if self.scale_starts_on:
            result.append(Phase(ContractPhase.SCALE, self.scale_starts_on, self.ends_on))
        return result

    def reminders_due(self, today: dt.date) -> list[tuple[str, int, dt.date]]:
        """``(kind, days, target date)`` of the reminders due on ``today`` for a contract in
        force: for its end (``"end"``) and its notice deadline (``"notice"``), the nearest
        threshold of ``reminder_days`` already reached. A contract entered 45 days before its
        end gets the 60-day reminder, not the 90-day one as well."""
        if self.status != ContractStatus.ACTIVE:
            return []
        thresholds = sorted(self.reminder_days or [])
        due = []
        for kind, target in (("end", self.ends_on), ("notice", self.notice_deadline)):
            left = (target - today).days
            if left < 0:
                continue
            reached = [d for d in thresholds if left <= d]
            if reached:
                due.append((kind, reached[0], target))
        return due

    def phase_on(self, day: dt.date) -> Phase | None:
        """The phase the contract is in on ``day`` (None before the start or after the end)."""
        return next((p for p in self.phases if p.contains(day)), None)


class ScopeLine(TenantModel):
    """What the distributor may sell: one product line in one territory, from ``starts_on`` to
    ``ends_on`` inclusive, exclusively from ``exclusive_from`` when exclusivity was granted.

    Lines are never deleted by an amendment: a reduction ends a line the day before its
    effective date (``ended_by``) and an expansion starts a new one on it (``added_by``).
    ``distributor`` repeats the contract's so rules and reports need no join.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="scope_lines")
    distributor = models.ForeignKey(
        "partners.Distributor", on_delete=models.PROTECT, related_name="scope_lines"
    )
    territory = models.ForeignKey(
        "partners.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="scope_lines",
    )
    product_line = models.ForeignKey(
        "partners.ProductLine",
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        related_name="scope_lines",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    exclusive_from = models.DateField(_("exclusive from"), null=True, blank=True)
    added_by = models.ForeignKey(
        "partners.ContractAmendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="added_lines",
    )
    ended_by = models.ForeignKey(
        "partners.ContractAmendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ended_lines",
    )
    # A revoke of the line's exclusivity notified and not yet in effect: its last exclusive
    # day. Written by a higher app's job through ``scope_lines_exclusivity_ending_set`` so
    # that the contract and distributor pages say what the verdict says before the amendment
    # that ends the line is written on the day after.
    exclusivity_ends_on = models.DateField(_("exclusive until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["territory__name", "product_line__name", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="scopeline_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(exclusive_from__isnull=True)
                | Q(exclusive_from__gte=F("starts_on"), exclusive_from__lte=F("ends_on")),
                name="scopeline_exclusive_within",
            ),
            # THE rule: never two exclusive holders of the same scope on the same day.
            ExclusionConstraint(
                name="scopeline_no_overlapping_exclusive_scope",
                expressions=[
                    (IdPoint(F("vendor")), RangeOperators.OVERLAPS),
                    (IdPoint(F("territory")), RangeOperators.OVERLAPS),
                    (IdPoint(F("product_line")), RangeOperators.OVERLAPS),
                    (
                        DateRange(F("exclusive_from"), F("ends_on"), Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(exclusive_from__isnull=False),
                violation_error_message=_("Another distributor holds this scope exclusively."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["vendor", "territory", "product_line", "starts_on"],
                name="scopeline_vendor_scope",
            ),
            models.Index(fields=["vendor", "contract"], name="scopeline_vendor_contract"),
            models.Index(fields=["vendor", "distributor"], name="scopeline_vendor_distributor"),
        ]

    def __str__(self) -> str:
        return f"{self.territory} × {self.product_line}"

    @property
    def is_exclusive(self) -> bool:
        return self.exclusive_from is not None

    @property
    def exclusivity_ending(self) -> dt.date | None:
        """The last exclusive day of a revoke notified and not yet applied (None otherwise)."""
        if self.exclusive_from is None or self.ended_by_id or self.exclusivity_ends_on is None:
            return None
        return self.exclusivity_ends_on if self.exclusivity_ends_on < self.ends_on else None

    def is_current_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class ClauseKind(models.TextChoices):
    MIN_REVENUE = "min_revenue_quarter", _("Minimum revenue per quarter")
    MIN_REPORTING = "min_on_time_reporting", _("Minimum on-time reporting rate")
    QBR_ATTENDANCE = "qbr_attendance", _("QBR attendance required")


class PerformanceClause(TenantModel):
    """A performance term as data, for the jobs that check it later.

    * minimum revenue per quarter: ``amount`` in ``currency`` (the distributor's) for one
      ``scope_line`` of the same contract;
    * minimum on-time reporting rate: ``rate`` in percent (0-100);
    * QBR attendance required: no figure.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="clauses")
    kind = models.CharField(_("clause"), max_length=32, choices=ClauseKind.choices)
    scope_line = models.ForeignKey(
        ScopeLine,
        verbose_name=_("scope line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clauses",
    )
    amount = models.DecimalField(
        _("amount per quarter"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="min_revenue_quarter")
                | Q(amount__gt=0, scope_line__isnull=False),
                name="clause_revenue_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="min_on_time_reporting") | Q(rate__gte=0, rate__lte=100),
                name="clause_rate_in_range",
            ),
        ]
        indexes = [models.Index(fields=["vendor", "contract"], name="clause_vendor_contract")]

    def __str__(self) -> str:
        return self.get_kind_display()


class AmendmentKind(models.TextChoices):
    EXPAND = "expand", _("Expand scope")
    REDUCE = "reduce", _("Reduce scope")
    CHANGE = "change", _("Expand and reduce")


class ContractAmendment(TenantModel):
    """A change to a contract's scope from ``effective_on``, with its reason. The lines it
    ended and the lines it added point back at it, so the scope on any past day can be read."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    kind = models.CharField(_("kind"), max_length=16, choices=AmendmentKind.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        "partners.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [
            models.Index(fields=["vendor", "contract", "effective_on"], name="amendment_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.get_kind_display()} · {self.effective_on}"
