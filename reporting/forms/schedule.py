"""Forms of the reporting calendar page: the vendor's settings and its closures."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.markets import COUNTRY_CHOICES
from reporting.models import ReportingCalendar, ReportingClosure
from reporting.services.schedule import CALENDAR_FIELDS


class ReportingCalendarForm(forms.ModelForm):
    class Meta:
        model = ReportingCalendar
        fields = CALENDAR_FIELDS
        widgets = {
            "weekly_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "monthly_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class ReportingClosureForm(forms.ModelForm):
    class Meta:
        model = ReportingClosure
        fields = ["name", "start_date", "end_date", "country"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first."))
        return data


class DueCountryForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRY_CHOICES, required=False)
