"""Forms of the contract pages. Choices are limited to the workspace (and to the contract);
the rules themselves live in partners/services/contracts/."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import (
    ClauseKind,
    Contract,
    Distributor,
    PerformanceClause,
    ProductLine,
    ScopeLine,
    Territory,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReminderDaysField(forms.CharField):
    """ "90, 60, 30" <-> [90, 60, 30]."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        try:
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(
                _("Enter whole numbers of days separated by commas, for example 90, 60, 30.")
            ) from exc


class ContractForm(forms.ModelForm):
    """The contract's terms. The distributor is chosen when the contract is created only."""

    distributor = forms.ModelChoiceField(
        label=_("Distributor"), queryset=Distributor.objects.none()
    )
    reminder_days = ReminderDaysField(
        label=_("Reminders (days ahead)"),
        required=False,
        help_text=_("Before the end and before the notice deadline. Default: 90, 60, 30."),
    )

    class Meta:
        model = Contract
        fields = [
            "distributor",
            "reference",
            "status",
            "starts_on",
            "ends_on",
            "signed_on",
            "auto_renews",
            "renewal_term_months",
            "notice_days",
            "exit_rights",
            "launch_ends_on",
            "scale_starts_on",
            "reminder_days",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "signed_on": DATE,
            "launch_ends_on": DATE,
            "scale_starts_on": DATE,
            "exit_rights": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "launch_ends_on": _("Leave empty for the first 90 days. No exclusivity during launch."),
            "scale_starts_on": _("Optional: when the scale phase begins."),
        }

    def __init__(self, *args, distributors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["launch_ends_on"].required = False
        if self.instance.pk:
            del self.fields["distributor"]
        else:
            cast(forms.ModelChoiceField, self.fields["distributor"]).queryset = (
                distributors or Distributor.objects.none()
            )
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("reminder_days", [90, 60, 30])

    def _post_clean(self):
        # The service validates and saves; the model's own checks would run against a
        # half-built instance (launch dates are defaulted by the service).
        pass

    def terms(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("distributor", None)
        if not data.get("reminder_days"):
            data["reminder_days"] = None
        return data


class ScopeLineForm(forms.Form):
    """One scope line: territory x product line, optional dates, exclusive or not."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    territory = forms.ModelChoiceField(label=_("Territory"), queryset=Territory.objects.none())
    product_line = forms.ModelChoiceField(
        label=_("Product line"), queryset=ProductLine.objects.none()
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)

    def __init__(self, *args, territories=None, product_lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["territory"]).queryset = territories
        cast(forms.ModelChoiceField, self.fields["product_line"]).queryset = product_lines


class BaseScopeLineFormSet(forms.BaseFormSet):
    def specs(self) -> list[dict]:
        result = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            data = dict(form.cleaned_data)
            if not data:
                continue
            data["delete"] = bool(data.pop("DELETE", False))
            if data["delete"] and not data.get("id"):
                continue
            result.append(data)
        return result


def scope_line_formset(*, data=None, initial=None, prefix="lines", can_delete=False, choices):
    """A formset of scope lines with the workspace's territories and product lines."""
    FormSet = forms.formset_factory(
        ScopeLineForm,
        formset=BaseScopeLineFormSet,
        extra=3 if not initial else 1,
        can_delete=can_delete,
    )
    return FormSet(
        data=data,
        initial=initial,
        prefix=prefix,
        form_kwargs={
            "territories": choices["territories"],
            "product_lines": choices["product_lines"],
        },
    )


def scope_line_initial(lines) -> list[dict]:
    return [
        {
            "id": line.pk,
            "territory": line.territory_id,
            "product_line": line.product_line_id,
            "starts_on": line.starts_on,
            "ends_on": line.ends_on,
            "exclusive": line.is_exclusive,
        }
        for line in lines
    ]


class AmendmentForm(forms.Form):
    """An amendment: from when, why, and which current lines end (new lines: a formset)."""

    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    end_lines = forms.ModelMultipleChoiceField(
        label=_("Scope lines to end"),
        queryset=ScopeLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They end the day before the effective date; their history is kept."),
    )

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["end_lines"]).queryset = lines
        cast(forms.ModelChoiceField, self.fields["end_lines"]).label_from_instance = lambda line: (  # type: ignore[method-assign,assignment]
            f"{line.territory} × {line.product_line} ({line.starts_on} – {line.ends_on})"
            + (f" · {_('exclusive')}" if line.is_exclusive else "")
        )


class ClauseForm(forms.ModelForm):
    """A performance clause; which fields apply depends on its kind."""

    scope_line = forms.ModelChoiceField(
        label=_("Scope line"), queryset=ScopeLine.objects.none(), required=False
    )

    class Meta:
        model = PerformanceClause
        fields = ["kind", "scope_line", "amount", "rate", "note"]
        help_texts = {
            "amount": _("In the distributor's currency, per quarter."),
            "rate": _("For the on-time reporting clause: 0 to 100."),
        }

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = ClauseKind.choices
        cast(forms.ModelChoiceField, self.fields["scope_line"]).queryset = lines
        self.fields["scope_line"].help_text = _(
            "For a minimum revenue clause: the scope line it applies to."
        )

    def _post_clean(self):
        pass  # the service validates (the same rules for the page and the API)


class ContractDocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Signed contract (PDF)"),
        help_text=_("PDF only, up to the size limit."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ContractFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or distributor"), required=False)
    distributor = forms.ModelChoiceField(
        label=_("Distributor"), queryset=Distributor.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    ending = forms.TypedChoiceField(
        label=_("Ending within"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Any time")),
            (30, _("30 days")),
            (60, _("60 days")),
            (90, _("90 days")),
            (180, _("180 days")),
        ],
    )

    def __init__(self, *args, distributors=None, **kwargs):
        from partners.models import ContractStatus

        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["distributor"]).queryset = distributors
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Any status")),
            *ContractStatus.choices,
        ]
