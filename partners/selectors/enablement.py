"""Reads for enablement: trainings, attendance, training coverage and the sales kit. Every
selector takes ``vendor`` and ``actor``; a distributor's people reach only their own
distributor's records and the sales kit of the product lines their distributor sells."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners.models import (
    ContactRole,
    Distributor,
    DistributorContact,
    DistributorProductLine,
    Membership,
    ProductLine,
    SalesKitDocument,
    Training,
    TrainingAttendance,
    TrainingKind,
    Vendor,
)
from partners.selectors import distributor_list_for_actor

SALES_ROLES = (ContactRole.SALES_REP, ContactRole.SALES_LEAD)


# --- coverage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingCoverage:
    """A distributor's training coverage on ``as_of`` (its own today): how many of its active
    sales people (reps and leads) hold a current completed training, and how many of its sales
    leads hold a current leadership training."""

    as_of: dt.date
    sales_people: int
    sales_trained: int
    leads: int
    leads_trained: int

    @property
    def share(self) -> int | None:
        """The share of sales people trained, in whole percent (None with nobody to train)."""
        if not self.sales_people:
            return None
        return round(100 * self.sales_trained / self.sales_people)

    @property
    def level(self) -> str:
        """``ok`` from 80 %, ``warn`` from 50 %, ``bad`` below, ``none`` with nobody to train."""
        share = self.share
        if share is None:
            return "none"
        return "ok" if share >= 80 else "warn" if share >= 50 else "bad"


def local_date(moment: dt.datetime, zone):
    """SQL: the calendar date of ``moment`` in the time zone named by the expression ``zone``
    (PostgreSQL's ``timezone(zone, timestamptz)``; ``partners.periods.local_date`` in Python).
    The moment is a parameter, not ``now()``, so "today" is the application's clock."""
    return Cast(
        Func(
            zone,
            Value(moment, output_field=DateTimeField()),
            function="timezone",
            output_field=DateTimeField(),
        ),  # fmt: skip
        DateField(),
    )


def with_training_coverage(qs: QuerySet[Distributor], *, now: dt.datetime | None = None):
    """Annotate distributors with their training coverage as of today in each one's own time
    zone, in the same query (``coverage_date``, ``sales_people``, ``sales_trained``, ``leads``,
    ``leads_trained``). A completion is current from its day until the day before
    ``expires_on``."""
    now = now or timezone.now()
    qs = qs.annotate(coverage_date=local_date(now, F("time_zone")))
    today = F("coverage_date")
    sales = Q(contacts__is_active=True, contacts__role__in=SALES_ROLES)
    leads = Q(contacts__is_active=True, contacts__role=ContactRole.SALES_LEAD)
    current = Q(
        contacts__training_attendances__completed=True,
        contacts__training_attendances__completed_on__lte=today,
    ) & (
        Q(contacts__training_attendances__expires_on__isnull=True)
        | Q(contacts__training_attendances__expires_on__gt=today)
    )
    leadership = Q(contacts__training_attendances__training__kind=TrainingKind.LEADERSHIP)
    return qs.annotate(
        sales_people=Count("contacts", filter=sales, distinct=True),
        sales_trained=Count("contacts", filter=sales & current, distinct=True),
        leads=Count("contacts", filter=leads, distinct=True),
        leads_trained=Count("contacts", filter=leads & current & leadership, distinct=True),
    )


def coverage_of(distributor: Distributor) -> TrainingCoverage:
    """The coverage of a distributor annotated by ``with_training_coverage``."""
    return TrainingCoverage(
        # the annotations of with_training_coverage, which the model's type does not know
        as_of=distributor.coverage_date,  # type: ignore[attr-defined]
        sales_people=distributor.sales_people,  # type: ignore[attr-defined]
        sales_trained=distributor.sales_trained,  # type: ignore[attr-defined]
        leads=distributor.leads,  # type: ignore[attr-defined]
        leads_trained=distributor.leads_trained,  # type: ignore[attr-defined]
    )


def training_coverage_list_for_actor(
    *, vendor: Vendor, actor: Membership, search: str = "", country: str = ""
) -> QuerySet[Distributor]:
    """Distributors the person reaches, each annotated with its training coverage (one query
    whatever the number of distributors)."""
    qs = distributor_list_for_actor(vendor=vendor, actor=actor, search=search, country=country)
    return with_training_coverage(qs).order_by("name", "id")


def distributor_training_coverage(
    *, vendor: Vendor, actor: Membership, distributor: Distributor
) -> TrainingCoverage:
    """One distributor's training coverage (404 if the person does not reach it)."""
    row = get_object_or_404(
        training_coverage_list_for_actor(vendor=vendor, actor=actor), pk=distributor.pk
    )
    return coverage_of(row)


# --- trainings and attendance ---------------------------------------------------------------


def training_list_for_actor(
    *, vendor: Vendor, actor: Membership, kind: str = "", product_line=None, distributor=None
) -> QuerySet[Training]:
    """Trainings, newest first, with attendee and completion counts. A distributor's people
    see only trainings their own people attended, and the counts are of their people only."""
    qs = Training.objects.filter(vendor=vendor).select_related("product_line")
    attendance = Q()
    if actor.is_distributor_role:
        qs = qs.filter(
            Exists(
                TrainingAttendance.objects.filter(
                    training=OuterRef("pk"), distributor_id=actor.own_distributor_id
                )
            )
        )
        attendance = Q(attendances__distributor_id=actor.distributor_id)
    if distributor is not None:
        qs = qs.filter(
            Exists(
                TrainingAttendance.objects.filter(
                    training=OuterRef("pk"), distributor_id=distributor.pk
                )
            )
        )
    if kind:
        qs = qs.filter(kind=kind)
    if product_line is not None:
        qs = qs.filter(product_line=product_line)
    return qs.annotate(
        attendee_count=Count("attendances", filter=attendance),
        completed_count=Count("attendances", filter=attendance & Q(attendances__completed=True)),
    ).order_by("-starts_on", "-id")


def training_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Training:
    return get_object_or_404(training_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def attendance_list_for_actor(
    *, vendor: Vendor, actor: Membership, training: Training | None = None
) -> QuerySet[TrainingAttendance]:
    """Attendance records (of one training, if given); a distributor's people see their own
    distributor's only."""
    qs = TrainingAttendance.objects.filter(vendor=vendor).select_related(
        "contact", "distributor", "training", "training__product_line"
    )
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    if training is not None:
        qs = qs.filter(training=training)
    return qs.order_by("distributor__name", "contact__name", "id")


def attendance_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> TrainingAttendance:
    return get_object_or_404(attendance_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def attendee_choices_for_actor(
    *, vendor: Vendor, actor: Membership, training: Training | None = None
) -> QuerySet[DistributorContact]:
    """Who may be put on a training: the active sales reps and leads of the distributors the
    person reaches, minus those already on ``training``."""
    distributors = distributor_list_for_actor(vendor=vendor, actor=actor)
    qs = DistributorContact.objects.filter(
        vendor=vendor, distributor__in=distributors, is_active=True, role__in=SALES_ROLES
    ).select_related("distributor")
    if training is not None:
        qs = qs.exclude(training_attendances__training=training)
    return qs.order_by("distributor__name", "name", "id")


# --- sales kit ------------------------------------------------------------------------------


def sales_kit_list_for_actor(
    *,
    vendor: Vendor,
    actor: Membership,
    category: str = "",
    product_line: ProductLine | None = None,
    language: str = "",
) -> QuerySet[SalesKitDocument]:
    """The sales kit. A distributor's people see the documents for all product lines and those
    for the product lines their distributor sells."""
    qs = SalesKitDocument.objects.filter(vendor=vendor).select_related("product_line")
    if actor.is_distributor_role:
        sold = DistributorProductLine.objects.filter(
            distributor_id=actor.own_distributor_id, product_line=OuterRef("product_line")
        )
        qs = qs.filter(Q(product_line__isnull=True) | Exists(sold))
    if category:
        qs = qs.filter(category=category)
    if product_line is not None:
        qs = qs.filter(product_line=product_line)
    if language:
        qs = qs.filter(language=language)
    return qs.order_by("title", "id")


def sales_kit_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> SalesKitDocument:
    return get_object_or_404(sales_kit_list_for_actor(vendor=vendor, actor=actor), pk=pk)


# --- the distributor page -------------------------------------------------------------------


def distributor_enablement_panel(*, vendor, actor, distributor) -> dict:
    """Context for the enablement panel of the distributor page
    (templates/partners/distributor/_enablement.html): its coverage, and each active sales
    person with the trainings that currently count for them."""
    if hasattr(distributor, "sales_people"):  # annotated when the page read the distributor
        coverage = coverage_of(distributor)
    else:
        coverage = distributor_training_coverage(
            vendor=vendor, actor=actor, distributor=distributor
        )
    completions = (
        TrainingAttendance.objects.filter(vendor=vendor, completed=True)
        .select_related("training")
        .order_by("-completed_on", "-id")
    )
    people = list(
        DistributorContact.objects.filter(
            vendor=vendor, distributor=distributor, is_active=True, role__in=SALES_ROLES
        )
        .prefetch_related(Prefetch("training_attendances", completions, to_attr="completions"))
        .order_by("role", "name", "id")
    )
    today = coverage.as_of
    for person in people:
        person.current_trainings = [  # type: ignore[attr-defined]  # for the template
            a
            for a in person.completions
            if a.completed_on is not None
            and a.completed_on <= today
            and (a.expires_on is None or a.expires_on > today)
        ]
    return {"enablement": {"coverage": coverage, "people": people}}
