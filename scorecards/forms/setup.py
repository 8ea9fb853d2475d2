"""Forms of the setup area: a KPI, a template with its KPIs and weights, a ramp curve, an
exchange rate, the scorecard settings, the targets import file. Grids (targets, entries) are
parsed by the views, cell by cell, so every typed value comes back with its error."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.markets import COUNTRY_CHOICES, CURRENCY_CHOICES
from scorecards.models import Kpi, KpiSource, ScorecardPolicy, ScorecardTemplate
from scorecards.services.kpis import SOURCE_SHAPES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MONTH_CHOICES = [(n, f"{n:02d}") for n in range(1, 13)]


class KpiForm(forms.ModelForm):
    """A KPI. For a computed source the unit, direction and aggregation are set by the service
    (``SOURCE_SHAPES``) whatever is chosen here; the page says so."""

    class Meta:
        model = Kpi
        fields = ["code", "name", "name_ja", "description", "family", "source", "unit",
                  "direction", "aggregation", "weight"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "code": _("A short handle for imports and the API, for example on-time-delivery."),
            "source": _(
                "Computed sources fix the unit, direction and aggregation; choose "
                '"Entered by a person" to set them yourself.'
            ),
            "weight": _("The default weight when the KPI is put on a template."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("unit", "direction", "aggregation"):
            self.fields[name].required = False

    def clean(self):
        super().clean()
        data = self.cleaned_data
        source = data.get("source")
        if source in SOURCE_SHAPES:
            data["unit"], data["direction"], data["aggregation"] = SOURCE_SHAPES[source]
        elif source == KpiSource.ENTERED:
            for name in ("unit", "direction", "aggregation"):
                if not data.get(name):
                    self.add_error(name, _("Choose one for an entered KPI."))
        return data

    def _post_clean(self):
        # The service validates uniqueness and writes; the form does not touch the instance.
        pass


class TemplateForm(forms.Form):
    """A template's name, default countries and default flag; its KPIs and weights are the
    ``kpi_<id>`` and ``weight_<id>`` inputs of the KPI table (``kpi_rows``)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    countries = forms.MultipleChoiceField(
        label=_("Default for countries"),
        choices=COUNTRY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Distributors in these countries get this template unless assigned another."),
    )
    is_default = forms.BooleanField(
        label=_("Default template (for every other distributor)"), required=False
    )

    def __init__(self, *args, kpis, template: ScorecardTemplate | None = None, **kwargs):
        self.kpis = list(kpis)
        current = {}
        if template is not None:
            kwargs.setdefault(
                "initial",
                {"name": template.name, "countries": template.countries,
                 "is_default": template.is_default},
            )  # fmt: skip
            current = {tk.kpi_id: tk.weight for tk in template.template_kpis.all()}
        self.current = current
        super().__init__(*args, **kwargs)
        self.kpi_errors: list[str] = []
        self.weight_errors: dict[int, StrOrPromise] = {}

    def kpi_rows(self) -> list[dict]:
        """One row per KPI: checked or not and its weight, as typed when the form was sent."""
        rows = []
        for kpi in self.kpis:
            if self.is_bound:
                checked = self.data.get(f"kpi_{kpi.pk}") == "on"
                weight = self.data.get(f"weight_{kpi.pk}", "")
            else:
                checked = kpi.pk in self.current
                weight = self.current.get(kpi.pk, kpi.weight)
            rows.append({"kpi": kpi, "checked": checked, "weight": weight,
                         "error": self.weight_errors.get(kpi.pk, "")})  # fmt: skip
        return rows

    def kpi_weights(self) -> list[tuple[Kpi, Decimal]] | None:
        """The chosen KPIs with their weights (None when a weight is not a number)."""
        chosen = []
        for row in self.kpi_rows():
            if not row["checked"]:
                continue
            try:
                weight = Decimal(str(row["weight"]).strip() or str(row["kpi"].weight))
                if not weight.is_finite() or weight <= 0 or weight > 100:
                    raise ValueError
            except (ArithmeticError, ValueError):
                self.weight_errors[row["kpi"].pk] = _("A weight is a number above 0.")
                continue
            chosen.append((row["kpi"], weight))
        return None if self.weight_errors else chosen


class RampCurveForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Market"), choices=[("", _("Every other market")), *COUNTRY_CHOICES],
        required=False,
    )  # fmt: skip
    percents = forms.CharField(
        label=_("Percent of full target per quarter"),
        max_length=60,
        help_text=_("Quarters since going active, separated by commas; the last is 100."),
        widget=forms.TextInput(attrs={"placeholder": "25, 50, 75, 100"}),
    )


class ExchangeRateForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    period_start = forms.DateField(
        label=_("Month (first day)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    rate = forms.CharField(
        label=_("Rate"),
        max_length=30,
        help_text=_("Units of the reporting currency for one unit of this currency."),
    )


class ScorecardSettingsForm(forms.ModelForm):
    """The scorecard policy's fields and the vendor's fiscal year start (pass its current value
    as ``initial``); ``scorecard_policy_update`` saves them."""

    reporting_currency = forms.ChoiceField(label=_("Reporting currency"), choices=CURRENCY_CHOICES)
    fiscal_year_start_month = forms.TypedChoiceField(
        label=_("Fiscal year starts in month"), choices=MONTH_CHOICES, coerce=int,
        help_text=_("Quarters follow it. Quarter targets already set keep their dates."),
    )  # fmt: skip

    class Meta:
        model = ScorecardPolicy
        fields = ["reporting_currency", "fiscal_year_start_month", "amber_from_percent"]
        help_texts = {"amber_from_percent": _("Below base but at least this share of it is amber.")}

    def _post_clean(self):
        pass


class TargetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Targets file"),
        help_text=_(
            "CSV (UTF-8 or Shift_JIS) or Excel (.xlsx) with the columns Distributor id or "
            "Distributor name, KPI code, Period kind, Period start, Base, Stretch, Exceed. "
            "The grid's export reads back in."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
