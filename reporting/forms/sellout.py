"""Forms for sell-out uploads: the file (and, for vendor staff, the distributor it is for) and
the column mapping."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.sellout_fields import FIELDS


class SalesUploadForm(forms.Form):
    """A sales file; vendor staff also choose the distributor (a distributor's people upload
    for their own, so the field is left out for them)."""

    # Staff find the distributor by name above the form (a drop-down of thousands was most of
    # the page); the form carries the chosen one's id.
    distributor: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        label=_("Distributor"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Search for the distributor by name and choose it."),
            "invalid_choice": _("Search for the distributor by name and choose it."),
        },
    )
    file = forms.FileField(
        label=_("Sales file"),
        help_text=_(
            "A CSV file (UTF-8, UTF-16 or Shift_JIS as Excel saves it) or an Excel workbook "
            "(.xlsx), with the column names in the first row."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.tsv"}),
    )

    def __init__(self, *args, distributors, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.is_distributor_role:
            del self.fields["distributor"]
        else:
            cast(forms.ModelChoiceField, self.fields["distributor"]).queryset = distributors


class SalesMappingForm(forms.Form):
    """Which column of the file holds each of our fields (empty: not in this file)."""

    def __init__(self, *args, headers: list[str], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in this file —"))] + [(h, h) for h in headers if h]
        for field in FIELDS:
            self.fields[field.key] = forms.ChoiceField(
                label=field.label,
                choices=choices,
                required=False,
                initial=initial_mapping.get(field.key, ""),
            )
            if field.required:
                self.fields[field.key].widget.attrs["aria-required"] = "true"

    def mapping(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}
