"""Writes of the setup area's catalogue side: KPIs, templates, template assignments and the
vendor's scorecard policy. Vendor admins only; every write is audited and asks for the
scorecards it changes to be computed again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import periods, roles
from partners.markets import COUNTRY_CHOICES, CURRENCY_CHOICES
from partners.models import Distributor, Membership, Vendor
from partners.services.audit import audit_record, changes_between, snapshot
from scorecards.models import (
    TEMPLATE_MAX_KPIS,
    TEMPLATE_MIN_KPIS,
    Kpi,
    KpiAggregation,
    KpiDirection,
    KpiSource,
    KpiUnit,
    ScorecardAssignment,
    ScorecardPolicy,
    ScorecardTemplate,
    TemplateKpi,
)
from scorecards.selectors.policy import policy_get
from scorecards.services.catalogue import kpi_catalogue_seed
from scorecards.services.recompute import scorecards_recompute_request

S, U, D, A = KpiSource, KpiUnit, KpiDirection, KpiAggregation

# What a computed KPI's unit, direction and aggregation are: fixed by where its value comes
# from (the engine computes it that way). Only an ``entered`` KPI lets a person choose.
SOURCE_SHAPES: dict[str, tuple[str, str, str]] = {
    S.REVENUE: (U.MONEY, D.HIGHER, A.SUM),
    S.REVENUE_GROWTH: (U.PERCENT, D.HIGHER, A.RATE),
    S.UNITS: (U.COUNT, D.HIGHER, A.SUM),
    S.NEW_ACCOUNTS: (U.COUNT, D.HIGHER, A.SUM),
    S.LEAD_TO_QUOTE: (U.PERCENT, D.HIGHER, A.RATE),
    S.QUOTE_TO_ORDER: (U.PERCENT, D.HIGHER, A.RATE),
    S.LEAD_TO_ORDER: (U.PERCENT, D.HIGHER, A.RATE),
    S.PIPELINE_VALUE: (U.MONEY, D.HIGHER, A.LAST),
    S.PIPELINE_COVERAGE: (U.RATIO, D.HIGHER, A.LAST),
    S.NEW_LEADS: (U.COUNT, D.HIGHER, A.SUM),
    S.MEETINGS: (U.COUNT, D.HIGHER, A.SUM),
    S.WEEKLY_ON_TIME: (U.PERCENT, D.HIGHER, A.RATE),
    S.MONTHLY_REVIEW: (U.PERCENT, D.HIGHER, A.RATE),
}

KPI_FIELDS = ("code", "name", "name_ja", "description", "family", "source", "unit", "direction",
              "aggregation", "weight", "is_active")  # fmt: skip


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def current_periods(vendor: Vendor, *, today: dt.date | None = None) -> list[tuple[str, dt.date]]:
    """This month and this fiscal quarter: what a change to the catalogue, a template or the
    policy recomputes (earlier snapshots stay as they were computed)."""
    today = today or timezone.localdate()
    return [
        (periods.MONTH, periods.month_start(today)),
        (periods.QUARTER, periods.quarter_start(today, vendor.fiscal_year_start_month)),
    ]


def _recompute_current(vendor: Vendor) -> None:
    for kind, start in current_periods(vendor):
        scorecards_recompute_request(vendor_id=vendor.id, period_kind=kind, period_start=start)


# --- KPIs ------------------------------------------------------------------------------------


def _clean_kpi(vendor: Vendor, data: dict, *, instance: Kpi | None) -> dict:
    errors: dict[str, list[str]] = {}
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = [_("Give the KPI a short code (letters, digits and -).")]
    elif (
        Kpi.objects.filter(vendor=vendor, code=code)
        .exclude(pk__in=[instance.pk] if instance else [])
        .exists()
    ):
        errors["code"] = [_("Another KPI already has this code.")]
    if not (data.get("name") or "").strip():
        errors["name"] = [_("Give the KPI a name.")]
    try:
        weight = Decimal(str(data.get("weight", "1")))
        if weight <= 0 or weight > 100:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["weight"] = [_("A weight is a number above 0 and at most 100.")]
    source = data.get("source")
    if source in SOURCE_SHAPES:
        data["unit"], data["direction"], data["aggregation"] = SOURCE_SHAPES[source]
    elif source == S.ENTERED:
        for name, choices in (("unit", U), ("direction", D), ("aggregation", A)):
            if data.get(name) not in choices.values:
                errors[name] = [_("Choose one for an entered KPI.")]
    else:
        errors["source"] = [_("Choose where the value comes from.")]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def kpi_create(*, vendor: Vendor, actor: Membership, **data) -> Kpi:
    """Add a KPI to the catalogue. A computed KPI takes the unit, direction and aggregation of
    its source (``SOURCE_SHAPES``); an entered one keeps what was chosen."""
    _require(roles.is_vendor_admin(actor))
    data = _clean_kpi(vendor, dict(data), instance=None)
    position = Kpi.objects.filter(vendor=vendor).count()
    kpi = Kpi.objects.create(
        vendor=vendor,
        position=position,
        **{k: data[k] for k in KPI_FIELDS if k in data},
    )
    audit_record(vendor=vendor, actor=actor, action="scorecards.kpi_created", obj=kpi)
    return kpi


@transaction.atomic
def kpi_update(*, vendor: Vendor, actor: Membership, kpi: Kpi, **data) -> Kpi:
    """Change a KPI (also how it is deactivated: ``is_active=False``); this month's and this
    quarter's scorecards are computed again."""
    _require(roles.is_vendor_admin(actor))
    merged = {**snapshot(kpi, KPI_FIELDS), **data}
    merged = _clean_kpi(vendor, merged, instance=kpi)
    before = snapshot(kpi, KPI_FIELDS)
    for name in KPI_FIELDS:
        if name in merged:
            setattr(kpi, name, merged[name])
    kpi.save()
    changes = changes_between(before, snapshot(kpi, KPI_FIELDS))
    if changes:
        audit_record(
            vendor=vendor, actor=actor, action="scorecards.kpi_updated", obj=kpi, changes=changes
        )
        _recompute_current(vendor)
    return kpi


@transaction.atomic
def kpi_catalogue_start(*, vendor: Vendor, actor: Membership) -> int:
    """ "Start from the standard catalogue": add the standard KPIs, template, ramp curves and
    policy the vendor does not have yet. Returns how many KPIs were added."""
    _require(roles.is_vendor_admin(actor))
    before = Kpi.objects.filter(vendor=vendor).count()
    kpis = kpi_catalogue_seed(vendor=vendor)
    added = Kpi.objects.filter(vendor=vendor).count() - before
    if kpis:
        audit_record(
            vendor=vendor,
            actor=actor,
            action="scorecards.catalogue_started",
            obj=kpis[0],
            changes={"kpis_added": [0, added]},
        )
    _recompute_current(vendor)
    return added


# --- templates -------------------------------------------------------------------------------


@transaction.atomic
def template_save(
    *,
    vendor: Vendor,
    actor: Membership,
    template: ScorecardTemplate | None = None,
    name: str,
    countries: list[str],
    is_default: bool,
    kpi_weights: list[tuple[Kpi, Decimal]],
) -> ScorecardTemplate:
    """Create or change a template: its name, the countries it is the default for, whether it
    is the vendor's fallback, and its 6 to 10 KPIs with their weights (in order). Making it
    the default takes the flag from the previous default."""
    _require(roles.is_vendor_admin(actor))
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the template a name.")]
    elif (
        ScorecardTemplate.objects.filter(vendor=vendor, name=name)
        .exclude(pk__in=[template.pk] if template else [])
        .exists()
    ):
        errors["name"] = [_("Another template already has this name.")]
    valid_countries = {code for code, _label in COUNTRY_CHOICES}
    if any(c not in valid_countries for c in countries):
        errors["countries"] = [_("Choose countries from the list.")]
    kpi_ids = [kpi.pk for kpi, _w in kpi_weights]
    if len(set(kpi_ids)) != len(kpi_ids):
        errors["kpis"] = [_("A KPI can be on a template only once.")]
    elif not TEMPLATE_MIN_KPIS <= len(kpi_ids) <= TEMPLATE_MAX_KPIS:
        errors["kpis"] = [
            _("A scorecard has %(min)s to %(max)s KPIs; this one has %(count)s.")
            % {"min": TEMPLATE_MIN_KPIS, "max": TEMPLATE_MAX_KPIS, "count": len(kpi_ids)}
        ]
    if any(kpi.vendor_id != vendor.id or not kpi.is_active for kpi, _w in kpi_weights):
        errors["kpis"] = [_("Choose KPIs that are in use in this workspace.")]
    if any(Decimal(w) <= 0 for _k, w in kpi_weights):
        errors["kpis"] = [_("Every weight is a number above 0.")]
    if errors:
        raise ValidationError(errors)
    created = template is None
    if template is None:
        template = ScorecardTemplate(vendor=vendor)
    before = {} if created else snapshot(template, ("name", "countries", "is_default"))
    before_kpis = (
        {}
        if created
        else {
            str(tk.kpi_id): str(tk.weight) for tk in TemplateKpi.objects.filter(template=template)
        }
    )
    if is_default:
        ScorecardTemplate.objects.filter(vendor=vendor, is_default=True).exclude(
            pk=template.pk
        ).update(is_default=False)
    template.name, template.countries, template.is_default = name, list(countries), is_default
    template.save()
    TemplateKpi.objects.filter(template=template).delete()
    TemplateKpi.objects.bulk_create(
        TemplateKpi(vendor=vendor, template=template, kpi=kpi, weight=Decimal(w), position=n)
        for n, (kpi, w) in enumerate(kpi_weights)
    )
    after = snapshot(template, ("name", "countries", "is_default"))
    after_kpis = {str(kpi.pk): str(Decimal(w)) for kpi, w in kpi_weights}
    changes = changes_between(before, after)
    if before_kpis != after_kpis:
        changes["kpis"] = [before_kpis, after_kpis]
    audit_record(
        vendor=vendor,
        actor=actor,
        action="scorecards.template_created" if created else "scorecards.template_updated",
        obj=template,
        changes=changes,
    )
    _recompute_current(vendor)
    return template


@transaction.atomic
def template_assign(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: Distributor,
    template: ScorecardTemplate | None,
) -> None:
    """Score ``distributor`` on ``template`` whatever its country (``None``: back to the
    template of its country, else the default)."""
    _require(roles.is_vendor_admin(actor))
    if template is not None and template.vendor_id != vendor.id:
        raise ValidationError({"template": _("Choose a template of this workspace.")})
    current = ScorecardAssignment.objects.filter(vendor=vendor, distributor=distributor).first()
    before = current.template_id if current else None
    if template is None:
        if current:
            current.delete()
    else:
        ScorecardAssignment.objects.update_or_create(
            vendor=vendor, distributor=distributor, defaults={"template": template}
        )
    after = template.pk if template else None
    if before != after:
        audit_record(
            vendor=vendor,
            actor=actor,
            action="scorecards.template_assigned",
            obj=distributor,
            changes={"scorecard_template": [before, after]},
        )
        _recompute_current(vendor)


# --- policy ----------------------------------------------------------------------------------

POLICY_FIELDS = ("reporting_currency", "amber_from_percent")
VENDOR_FIELDS = ("fiscal_year_start_month",)


@transaction.atomic
def scorecard_policy_update(
    *,
    vendor: Vendor,
    actor: Membership,
    reporting_currency: str,
    fiscal_year_start_month: int,
    amber_from_percent: int,
) -> ScorecardPolicy:
    """Change the reporting currency, the first month of the vendor's fiscal year (kept on the
    vendor: every app's quarters follow it) and where amber starts; one audit event for the
    three, and this month's and this quarter's scorecards are computed again."""
    _require(roles.is_vendor_admin(actor))
    errors = {}
    if reporting_currency not in {c for c, _label in CURRENCY_CHOICES}:
        errors["reporting_currency"] = [_("Choose a currency from the list.")]
    if not 1 <= int(fiscal_year_start_month) <= 12:
        errors["fiscal_year_start_month"] = [_("Choose a month from 1 to 12.")]
    if not 1 <= int(amber_from_percent) <= 100:
        errors["amber_from_percent"] = [_("Amber starts between 1 and 100 percent of base.")]
    if errors:
        raise ValidationError(errors)
    policy = policy_get(vendor=vendor)
    before = snapshot(policy, POLICY_FIELDS) | snapshot(vendor, VENDOR_FIELDS)
    policy.reporting_currency = reporting_currency
    policy.amber_from_percent = int(amber_from_percent)
    policy.save()
    vendor.fiscal_year_start_month = int(fiscal_year_start_month)
    vendor.save(update_fields=["fiscal_year_start_month"])
    changes = changes_between(
        before, snapshot(policy, POLICY_FIELDS) | snapshot(vendor, VENDOR_FIELDS)
    )
    if changes:
        audit_record(
            vendor=vendor,
            actor=actor,
            action="scorecards.policy_updated",
            obj=policy,
            changes=changes,
        )
        _recompute_current(vendor)
    return policy
