"""Conditional exclusivity in plain words, in the active language: what a verdict means
(``outcome_sentence``), each condition of its evidence (``evidence_words``,
``verdict_evidence_lines``), where a revenue threshold comes from (``threshold_source_words``),
what a line's revenue counts (``revenue_counted_words``) and what a line still needs in the
quarter under way (``needs_words``).

Wording only: no query. The notices (``scorecards.services.exclusivity``), the pages, the API,
the close-quarter command and the timeline all read it from here, so that the same verdict says
the same thing everywhere; keeping it apart from the selectors also keeps the timeline and the
exclusivity selectors from importing each other.

A revenue threshold always names its source, and the two sources never share a name: the
**minimum revenue** of a contract's clause for the line ("minimum revenue per quarter in
contract KS-TH-03"), or the distributor's **base revenue target** on the vendor's revenue KPI
for the quarter ("base revenue target (KPI Revenue) for FY2026 Q3"). The revenue a verdict
counts is the line's: sales of the line's product line in the quarter; a scorecard's revenue
counts all of the distributor's sales, so the two differ by definition and the pages say so.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scorecards.charts import number_label
from scorecards.labels import money_label
from scorecards.models import ExclusivityRules, VerdictOutcome

if TYPE_CHECKING:
    from scorecards.models import ExclusivityVerdict
    from scorecards.selectors.exclusivity import LineStanding


def outcome_sentence(
    *, outcome: str, scope: str, quarter: str, effective_on, applied: bool = False
) -> str:
    """What a verdict means for the scope, in the active language. A revoke not yet applied
    says the line stays exclusive until the day before it takes effect (the contract is
    amended on that day); once applied, that the scope continues without exclusivity."""
    params = {"scope": scope, "quarter": quarter, "date": date_format(effective_on, "DATE_FORMAT")}
    if outcome == VerdictOutcome.REVOKE:
        params["last"] = date_format(effective_on - dt.timedelta(days=1), "DATE_FORMAT")
        if applied:
            return (
                _(
                    "Exclusivity for %(scope)s was revoked after %(quarter)s: the conditions "
                    "were not met again after a warning. Since %(date)s the scope continues "
                    "without exclusivity (the contract was amended)."
                )
                % params
            )
        return (
            _(
                "Exclusivity for %(scope)s is revoked after %(quarter)s: the conditions were not "
                "met again after a warning. The scope stays exclusive until %(last)s; from "
                "%(date)s, at the end of the notice period, it continues without exclusivity."
            )
            % params
        )
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
        VerdictOutcome.PROPOSE_SCALE: _(
            "Exclusivity for %(scope)s is renewed, and after consistent performance up to "
            "%(quarter)s we propose to talk about more territory or product lines."
        ),
    }[VerdictOutcome(outcome)] % params


def threshold_source_words(item: dict, *, quarter: str = "") -> str:
    """Where a revenue condition's threshold comes from, e.g. "minimum revenue per quarter in
    contract KS-TH-03" or "base revenue target (KPI Revenue) for FY2026 Q3". Evidence written
    before the source was recorded in detail still names the kind of source."""
    source = item.get("threshold_source")
    if source == "clause":
        if item.get("contract_reference"):
            return _("minimum revenue per quarter in contract %(reference)s") % {
                "reference": item["contract_reference"]
            }
        return _("minimum revenue per quarter in the contract")
    if source == "target":
        kpi = item.get("kpi_name") or ""
        if kpi and quarter:
            return _("base revenue target (KPI %(kpi)s) for %(quarter)s") % {
                "kpi": kpi,
                "quarter": quarter,
            }
        if kpi:
            return _("base revenue target (KPI %(kpi)s)") % {"kpi": kpi}
        return _("base revenue target of the quarter")
    return ""


def revenue_counted_words(*, product_line: str, quarter: str) -> str:
    """What a line's revenue counts, said beside it so that it is not read as the scorecard's
    revenue (all of the distributor's sales)."""
    return _(
        "Revenue counted: sales of %(product_line)s invoiced in %(quarter)s. The scorecard's "
        "revenue counts all of the distributor's sales, so the two figures differ."
    ) % {"product_line": product_line, "quarter": quarter}


def evidence_words(item: dict, *, scope: str, quarter: str = "") -> str:
    """One condition of a verdict's evidence in plain words, in the active language, e.g.
    "Revenue in Japan × Robotics: ¥9,000,000 against the minimum revenue per quarter in contract
    KS-JP-01 of ¥12,000,000 (not met)."."""
    condition = item.get("condition")
    met = _("met") if item.get("met") else _("not met")
    if not item.get("checked", True):
        met = _("not required")
    if condition == "revenue":
        currency = item.get("currency") or ""
        if item.get("threshold") is None:
            return _(
                "Revenue in %(scope)s: %(value)s; neither a minimum revenue in the contract nor "
                "a base revenue target was set."
            ) % {"scope": scope, "value": money_label(item.get("value"), currency)}
        return _(
            "Revenue in %(scope)s: %(value)s against the %(source)s of %(threshold)s (%(met)s)."
        ) % {
            "scope": scope,
            "value": money_label(item.get("value"), currency),
            "source": threshold_source_words(item, quarter=quarter),
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
                "date": date_format(as_date(item["value"]), "DATE_FORMAT"),
                "met": met,
            }
        return _("No QBR was held in the quarter (%(met)s).") % {"met": met}
    return ""


def as_date(value) -> dt.date:
    """An ISO date as stored in evidence (or a date already)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def verdict_evidence_lines(verdict: ExclusivityVerdict, *, quarter: str = "") -> list[dict]:
    """The verdict's evidence as table rows in words: condition, value, threshold (with its
    source), met."""
    scope = str(verdict.scope_line)
    names = {
        "revenue": _("Revenue"),
        "weekly_on_time": _("Weekly updates on time"),
        "monthly_summaries": _("Monthly summaries handed in"),
        "qbr": _("QBR held"),
    }
    rows = []
    for item in verdict.evidence:
        unit, currency = item.get("unit"), item.get("currency") or ""
        value, threshold = item.get("value"), item.get("threshold")
        source = ""
        if unit == "money":
            value_text = money_label(value, currency) if value is not None else "–"
            threshold_text = money_label(threshold, currency) if threshold is not None else "–"
            source = threshold_source_words(item, quarter=quarter) if threshold is not None else ""
        elif unit == "percent":
            value_text = number_label(value, "percent") if value is not None else _("none due")
            threshold_text = number_label(threshold, "percent") if threshold is not None else "–"
        else:
            value_text = date_format(as_date(value), "DATE_FORMAT") if value else _("none")
            threshold_text = _("one in the quarter")
        rows.append(
            {
                "condition": item.get("condition"),
                "name": names.get(item.get("condition"), item.get("condition")),
                "value": value_text,
                "threshold": threshold_text,
                "source": source,
                "checked": item.get("checked", True),
                "met": item.get("met"),
                "words": evidence_words(item, scope=scope, quarter=quarter),
            }
        )
    return rows


def needs_words(s: LineStanding, rules: ExclusivityRules, currency: str) -> list[str]:
    """What a line still needs in the quarter under way, one phrase per missing condition."""
    needs = []
    if rules.require_weekly_on_time and s.weekly_more_needed:
        if s.weekly_still_possible:
            needs.append(
                ngettext(
                    "%(count)s more on-time weekly update",
                    "%(count)s more on-time weekly updates",
                    s.weekly_more_needed,
                )
                % {"count": s.weekly_more_needed}
            )
        else:
            needs.append(
                _("Weekly updates on time can no longer reach %(percent)s this quarter.")
                % {"percent": number_label(rules.weekly_on_time_percent, "percent")}
            )
    if rules.require_revenue and s.revenue_missing:
        needs.append(
            _("%(amount)s more revenue in %(scope)s")
            % {"amount": money_label(s.revenue_missing, currency), "scope": s.scope}
        )
    if rules.require_monthly_summaries and s.monthly_missing:
        needs.append(
            ngettext(
                "%(count)s monthly summary due and not handed in",
                "%(count)s monthly summaries due and not handed in",
                s.monthly_missing,
            )
            % {"count": s.monthly_missing}
        )
    if rules.require_qbr and s.qbr_held_on is None:
        needs.append(_("a QBR held this quarter"))
    return needs
