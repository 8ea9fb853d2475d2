"""Reads of conditional exclusivity: the vendor's rules, verdicts for a person, and the evidence
of a verdict in plain words (for notices and pages). See ``scorecards.models.exclusivity`` for
what the rules mean."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import Membership, Vendor
from scorecards import periods
from scorecards.charts import number_label
from scorecards.models import ExclusivityRules, ExclusivityVerdict, VerdictOutcome
from scorecards.selectors.dashboards import money_label

from .policy import policy_get

CONDITIONS = ("revenue", "weekly_on_time", "monthly_summaries", "qbr")


def exclusivity_rules_get(*, vendor: Vendor) -> ExclusivityRules:
    """The vendor's exclusivity rules (the seed's defaults, unsaved, when it has none)."""
    return ExclusivityRules.objects.filter(vendor=vendor).first() or ExclusivityRules(vendor=vendor)


def verdicts_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[ExclusivityVerdict]:
    """The verdicts ``actor`` may read: all of the vendor's for its staff, only its own
    distributor's for a distributor's people; newest quarter first."""
    qs = ExclusivityVerdict.objects.filter(vendor=vendor).select_related(
        "distributor", "contract", "scope_line__territory", "scope_line__product_line"
    )
    if not actor.is_staff_role:
        qs = qs.filter(distributor_id=actor.distributor_id)
    return qs.order_by("-quarter_start", "distributor__name", "scope_line_id")


def verdict_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ExclusivityVerdict:
    """One verdict ``actor`` may read, else 404 (another distributor's or vendor's alike)."""
    verdict = verdicts_for_actor(vendor=vendor, actor=actor).filter(pk=pk).first()
    if verdict is None:
        raise Http404
    return verdict


def quarter_label(*, vendor: Vendor, quarter_start) -> str:
    return periods.fiscal_quarter_label(
        quarter_start, policy_get(vendor=vendor).fiscal_year_start_month
    )


def outcome_sentence(*, outcome: str, scope: str, quarter: str, effective_on) -> str:
    """What a verdict means for the scope, in the active language."""
    params = {"scope": scope, "quarter": quarter, "date": date_format(effective_on, "DATE_FORMAT")}
    return {
        VerdictOutcome.STAY_IN_LAUNCH: _(
            "%(scope)s is still in its launch phase in %(quarter)s: no change to exclusivity."
        ),
        VerdictOutcome.RENEW: _(
            "Exclusivity for %(scope)s is renewed for the quarter after %(quarter)s."
        ),
        VerdictOutcome.WARN: _(
            "Exclusivity for %(scope)s is at risk: the conditions were not met in %(quarter)s. "
            "This is a warning; if they are not met next quarter, exclusivity is revoked."
        ),
        VerdictOutcome.REVOKE: _(
            "Exclusivity for %(scope)s is revoked after %(quarter)s: the conditions were not "
            "met again after a warning. From %(date)s the scope continues without exclusivity."
        ),
        VerdictOutcome.PROPOSE_SCALE: _(
            "Exclusivity for %(scope)s is renewed, and after consistent performance up to "
            "%(quarter)s we propose to talk about more territory or product lines."
        ),
    }[VerdictOutcome(outcome)] % params


def evidence_words(item: dict, *, scope: str) -> str:
    """One condition of a verdict's evidence in plain words, in the active language, e.g.
    "Revenue in Japan × Robotics: ¥9,000,000 against a base of ¥12,000,000 (not met)."."""
    condition = item.get("condition")
    met = _("met") if item.get("met") else _("not met")
    if not item.get("checked", True):
        met = _("not required")
    if condition == "revenue":
        currency = item.get("currency") or ""
        if item.get("threshold") is None:
            return _("Revenue in %(scope)s: %(value)s; no base target was set.") % {
                "scope": scope,
                "value": money_label(item.get("value"), currency),
            }
        return _("Revenue in %(scope)s: %(value)s against a base of %(threshold)s (%(met)s).") % {
            "scope": scope,
            "value": money_label(item.get("value"), currency),
            "threshold": money_label(item.get("threshold"), currency),
            "met": met,
        }
    if condition == "weekly_on_time":
        if item.get("value") is None:
            return _("Weekly updates on time: none was due (%(met)s).") % {"met": met}
        return _("Weekly updates on time: %(value)s, at least %(threshold)s needed (%(met)s).") % {
            "value": number_label(item.get("value"), "percent"),
            "threshold": number_label(item.get("threshold"), "percent"),
            "met": met,
        }
    if condition == "monthly_summaries":
        if item.get("value") is None:
            return _("Monthly summaries handed in: none was due (%(met)s).") % {"met": met}
        return _("Monthly summaries handed in: %(value)s of those due (%(met)s).") % {
            "value": number_label(item.get("value"), "percent"),
            "met": met,
        }
    if condition == "qbr":
        if item.get("value"):
            return _("QBR held on %(date)s (%(met)s).") % {
                "date": date_format(_as_date(item["value"]), "DATE_FORMAT"),
                "met": met,
            }
        return _("No QBR was held in the quarter (%(met)s).") % {"met": met}
    return ""


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
