"""The partner's two-minute forms: the weekly update and the monthly summary.

Every field is optional here: the forms check what was typed (whole numbers, amounts, choices),
and the service decides what a submission needs, so a half-typed draft saves. ``to_data()``
turns the flat fields into the service's content shape and ``initial_from()`` does the reverse.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.models import WeeklyBlockerTag
from reporting.models.reports import MAX_BLOCKERS, MAX_PRIORITIES
from reporting.services.submissions import (
    MAX_COUNT,
    MAX_SHORT_TEXT,
    MAX_TEXT,
    MONTHLY_FIELDS,
    WEEKLY_COUNT_FIELDS,
)

PLACES = range(1, 4)
assert len(PLACES) == MAX_BLOCKERS == MAX_PRIORITIES


def _count(label, help_text="", *, allow_negative=False):
    # A phone shows its number pad for inputmode="numeric"; that pad has no minus sign, so
    # the one count that may be negative (units sold) keeps the browser's number keyboard.
    attrs = {"autocomplete": "off", "class": "count"}
    if not allow_negative:
        attrs["inputmode"] = "numeric"
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=-MAX_COUNT if allow_negative else 0,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs=attrs),
    )


def _money(label, help_text=""):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=16,
        decimal_places=2,
        # A number input (step 0.01) rather than inputmode="decimal": credit notes can make
        # revenue negative, and a phone's decimal pad has no minus sign.
        widget=forms.NumberInput(attrs={"step": "0.01", "autocomplete": "off"}),
    )


def _long_text(label, help_text="", rows=3):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReportForm(forms.Form):
    """Shared by both forms: how a form's fields become the service's data."""

    def to_data(self, *, whole: bool = False) -> dict:
        """The cleaned fields in the content's shape: only fields that passed the form's own
        checks, so an autosave can keep the good ones; with ``whole``, every field, those that
        failed as empty (to check the submission as a whole while their errors stand)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        return {k: v for k, v in data.items() if k in cls.base_fields}


class WeeklyUpdateForm(ReportForm):
    """Last week in numbers, what stands in the way, and next week's priorities."""

    new_leads = _count(_("New leads added"), _("Leads that came in last week."))
    meetings_held = _count(_("Meetings held"), _("Customer meetings, calls and demos."))
    opportunities_discovery = _count(_("Discovery"), _("Open opportunities still being qualified."))
    opportunities_proposal = _count(
        _("Proposal"), _("Open opportunities with a quote or proposal out.")
    )
    opportunities_negotiation = _count(_("Negotiation"), _("Open opportunities being negotiated."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in PLACES:
            self.fields[f"blocker_{n}_tag"] = forms.ChoiceField(
                label=_("Blocker %(n)s: tag") % {"n": n},
                required=False,
                choices=[("", _("— choose —")), *WeeklyBlockerTag.choices],
            )
            self.fields[f"blocker_{n}_text"] = forms.CharField(
                label=_("Blocker %(n)s: what is in the way") % {"n": n},
                required=False,
                max_length=MAX_SHORT_TEXT,
            )
        for n in PLACES:
            self.fields[f"priority_{n}"] = forms.CharField(
                label=_("Priority %(n)s") % {"n": n},
                required=False,
                max_length=MAX_SHORT_TEXT,
                help_text=_("At least one.") if n == 1 else "",
            )

    def blocker_rows(self):
        return [(self[f"blocker_{n}_tag"], self[f"blocker_{n}_text"]) for n in PLACES]

    def priority_fields(self):
        return [self[f"priority_{n}"] for n in PLACES]

    def count_fields(self):
        return [self[name] for name in ("new_leads", "meetings_held")]

    def stage_fields(self):
        return [self[name] for name in WEEKLY_COUNT_FIELDS[2:]]

    def to_data(self, *, whole: bool = False) -> dict:
        clean = super().to_data()
        data = {name: clean.get(name) for name in WEEKLY_COUNT_FIELDS if whole or name in clean}
        blocker_names = [f"blocker_{n}_{part}" for n in PLACES for part in ("tag", "text")]
        if whole or not any(name in self.errors for name in blocker_names):
            data["blockers"] = [
                {
                    "tag": clean.get(f"blocker_{n}_tag", ""),
                    "text": clean.get(f"blocker_{n}_text", ""),
                }
                for n in PLACES
            ]
        if whole or not any(f"priority_{n}" in self.errors for n in PLACES):
            data["priorities"] = [clean.get(f"priority_{n}", "") for n in PLACES]
        return data

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        initial = {name: data[name] for name in WEEKLY_COUNT_FIELDS if data.get(name) is not None}
        for n, blocker in enumerate(data.get("blockers") or [], start=1):
            if n in PLACES and isinstance(blocker, dict):
                initial[f"blocker_{n}_tag"] = blocker.get("tag", "")
                initial[f"blocker_{n}_text"] = blocker.get("text", "")
        for n, priority in enumerate(data.get("priorities") or [], start=1):
            if n in PLACES:
                initial[f"priority_{n}"] = priority
        return initial


class MonthlySummaryForm(ReportForm):
    """Last month's sales, conversion, stock, the 60-90 day outlook and what needs help."""

    units_sold = _count(
        _("Units sold"),
        _("Net of returns; may be negative if more came back than was sold."),
        allow_negative=True,
    )
    revenue = _money(_("Revenue"), _("In your currency, net of credit notes."))
    leads = _count(_("Leads"))
    quotes = _count(_("Quotes"))
    orders = _count(_("Orders"))
    inventory_units = _count(_("Inventory on hand (units)"), _("At the end of the month."))
    stockouts = _count(_("Stockouts"), _("How many times a product ran out."))
    stockout_notes = _long_text(_("Stockout notes"), rows=2)
    forecast_units = _count(_("Forecast, next 60-90 days (units)"))
    forecast_revenue = _money(_("Forecast, next 60-90 days (revenue)"))
    forecast_notes = _long_text(_("Forecast notes"), _("Deals behind the forecast, risks."))
    marketing_actions = _long_text(
        _("Marketing actions completed"), _("Events, campaigns, trainings held.")
    )
    escalations = _long_text(
        _("Issues needing support or escalation"), _("What you need from us, and by when.")
    )

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            for name in ("revenue", "forecast_revenue"):
                self.fields[name].label = f"{self.fields[name].label} ({currency})"

    def to_data(self, *, whole: bool = False) -> dict:
        clean = super().to_data()
        return {name: clean.get(name) for name in MONTHLY_FIELDS if whole or name in clean}


def report_form_class(report):
    return WeeklyUpdateForm if report.is_weekly else MonthlySummaryForm
