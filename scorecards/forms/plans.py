"""Forms of corrective action plans: open a plan by hand (or reword a suggestion's gap), add an
action, set an action's status, and review a plan. Choices are limited to the workspace and to
the plan's distributor; the services check everything again."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.forms import OwnerChoiceField
from partners.models import Membership, ScopeLine
from scorecards.models import ActionStatus, PlanOutcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanGapForm(forms.Form):
    """What the gap is, in the staff's words."""

    gap = forms.CharField(
        label=_("The gap"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What falls short, against what was expected."),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gap"].required = required


class ActionForm(forms.Form):
    """An action: what, who owns it (vendor staff or the distributor's people), by when."""

    text = forms.CharField(label=_("Action"), max_length=300)
    owner = OwnerChoiceField(label=_("Owner"), queryset=Membership.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class ReviewForm(forms.Form):
    """The review of an open plan. An extension needs the new review date; a scope reduction
    needs the contract's scope lines that end and the date they end from."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=PlanOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    review_on = forms.DateField(
        label=_("New review date"),
        required=False,
        widget=DATE,
        help_text=_("When the plan is extended."),
    )
    end_lines = forms.ModelMultipleChoiceField(
        label=_("Scope lines that end"),
        queryset=ScopeLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When the scope is reduced: the territory and product lines taken away."),
    )
    effective_on = forms.DateField(
        label=_("Reduction takes effect on"),
        required=False,
        widget=DATE,
        help_text=_("The chosen lines end the day before."),
    )

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.contracts = contracts
        line_ids = [line.pk for c in contracts for line in c.running_lines]
        cast(forms.ModelChoiceField, self.fields["end_lines"]).queryset = ScopeLine.objects.filter(
            pk__in=line_ids
        ).select_related("territory", "product_line", "contract")
        cast(forms.ModelChoiceField, self.fields["end_lines"]).label_from_instance = lambda line: (  # type: ignore[method-assign,assignment]
            f"{line.contract.reference}: {line.territory} × {line.product_line}"
        )

    def contract(self):
        """The one contract the chosen lines belong to (None when none or several)."""
        lines = self.cleaned_data.get("end_lines") or []
        contracts = {line.contract_id for line in lines}
        if len(contracts) != 1:
            return None
        pk = contracts.pop()
        return next((c for c in self.contracts if c.pk == pk), None)
