"""Forms for distributor profiles: contacts, carried brands, the catalogue, status changes and
partner selection. Validation and widgets only; the services decide."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import (
    CarriedBrand,
    DistributorContact,
    ProductLine,
    SelectionChecklist,
    Territory,
)


class ContactForm(forms.ModelForm):
    class Meta:
        model = DistributorContact
        fields = ["name", "role", "title", "email", "phone"]
        help_texts = {"name": _("As written, for example 山田 太郎.")}


class CarriedBrandForm(forms.ModelForm):
    class Meta:
        model = CarriedBrand
        fields = ["brand", "category", "competes", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"competes": _("Tick when the brand competes with our own products.")}


class ProductLineForm(forms.ModelForm):
    class Meta:
        model = ProductLine
        fields = ["name", "name_ja", "code", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TerritoryForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["name", "name_ja", "country", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    effective_on = forms.DateField(
        label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_status"]).choices = choices


class SelectionForm(forms.ModelForm):
    class Meta:
        model = SelectionChecklist
        fields = [
            "references_checked",
            "references_note",
            "competing_brands_reviewed",
            "competing_brands_note",
            "sales_people",
            "sales_capacity_confirmed",
            "sales_capacity_note",
            "willing_to_train",
            "training_note",
            "financial_check",
            "financial_note",
            "decision",
            "decision_reason",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in (
                "references_note",
                "competing_brands_note",
                "sales_capacity_note",
                "training_note",
                "financial_note",
                "decision_reason",
            )
        }


class SelectionOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the checklist is overridden"), widget=forms.Textarea(attrs={"rows": 3})
    )
