"""Forms of the exclusivity pages: the vendor's rules, the override and the hold of a verdict,
and recording a QBR held. The services check the roles and the rules again."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from scorecards.models import ExclusivityRules, VerdictOutcome
from scorecards.services.exclusivity import RULE_FIELDS


class ExclusivityRulesForm(forms.ModelForm):
    class Meta:
        model = ExclusivityRules
        fields = RULE_FIELDS
        help_texts = {
            "launch_days": _("Scope added by an amendment gets a launch of its own."),
            "warning_quarters": _("0 revokes at the first quarter the conditions are not met."),
            "evaluate_after_days": _("Leaves time for the last weekly update and late sales data."),
        }

    # The service's bounds, checked here too so that the message stands beside the field
    # (the database's check constraints would otherwise give a message for the whole form).
    BOUNDS = {
        "launch_days": (0, 730),
        "weekly_on_time_percent": (0, 100),
        "warning_quarters": (0, 8),
        "scale_after_quarters": (1, 20),
        "evaluate_after_days": (0, 60),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.BOUNDS.items():
            message = gettext_now("Enter a whole number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
            field = cast(forms.IntegerField, self.fields[name])
            field.min_value, field.max_value = low, high
            field.widget.attrs.update({"min": low, "max": high})
            field.validators.append(MinValueValidator(low, message=message))
            field.validators.append(MaxValueValidator(high, message=message))


class VerdictOverrideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VerdictOutcome.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the verdict and in the audit log."),
        error_messages={"required": _("Say why the verdict is overridden.")},
    )


class DateInput(forms.DateInput):
    input_type = "date"


class VerdictHoldForm(forms.Form):
    held_until = forms.DateField(
        label=_("Held until"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date the hold ends.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the revoke is held.")},
    )


class QbrMeetingForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        widget=DateInput(),
        error_messages={"required": _("Enter the date the QBR was held.")},
    )
    notes = forms.CharField(
        label=_("Notes (vendor staff only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
