"""Forms for trainings, attendance and the sales kit. Related-object choices come from the
enablement selectors, so they are limited to the workspace (and to what the person reaches)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import (
    SALES_KIT_LANGUAGES,
    DistributorContact,
    ProductLine,
    SalesKitCategory,
    SalesKitDocument,
    Training,
    TrainingAttendance,
    TrainingKind,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _product_line_field(**kwargs):
    return forms.ModelChoiceField(
        label=_("Product line"),
        queryset=ProductLine.objects.none(),
        required=False,
        empty_label=_("All product lines"),
        **kwargs,
    )


class TrainingForm(forms.ModelForm):
    product_line = _product_line_field()

    class Meta:
        model = Training
        fields = [
            "title",
            "kind",
            "product_line",
            "starts_on",
            "ends_on",
            "provider",
            "trainer",
            "valid_months",
            "notes",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"ends_on": _("Leave empty for a one-day training.")}

    def __init__(self, *args, product_lines, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["product_line"]).queryset = product_lines

    def _post_clean(self):
        # The service validates and saves; ModelForm must not write onto the instance first.
        pass


class AttendeeContactField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_role_display()} · {obj.distributor.name}"


class AttendeesAddForm(forms.Form):
    contacts = AttendeeContactField(
        label=_("Attendees"),
        queryset=DistributorContact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Active sales reps and sales leads of your distributors."),
    )
    completed = forms.BooleanField(label=_("Completed"), required=False)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["contacts"]).queryset = contacts


class AttendanceForm(forms.Form):
    completed = forms.BooleanField(label=_("Completed"), required=False)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE,
        help_text=_(
            "The first day the completion no longer counts. Leave empty to follow the "
            "training's validity."
        ),
    )

    @classmethod
    def for_attendance(cls, attendance: TrainingAttendance, data=None):
        return cls(
            data,
            initial={
                "completed": attendance.completed,
                "completed_on": attendance.completed_on,
                "expires_on": attendance.expires_on,
            },
        )


class TrainingFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *TrainingKind.choices]
    )
    product_line = forms.ModelChoiceField(
        label=_("Product line"),
        required=False,
        queryset=ProductLine.objects.none(),
        empty_label=_("All product lines"),
    )

    def __init__(self, *args, product_lines, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["product_line"]).queryset = product_lines


class SalesKitDocumentForm(forms.ModelForm):
    product_line = _product_line_field(
        help_text=_("Leave empty for a document about all product lines.")
    )
    file = forms.FileField(
        label=_("File"),
        required=True,
        help_text=_("PDF, XLSX, DOCX, PPTX, PNG or JPEG."),
    )

    class Meta:
        model = SalesKitDocument
        fields = ["title", "category", "language", "product_line", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, product_lines, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["product_line"]).queryset = product_lines
        if replacing:
            self.fields["file"].required = False
            self.fields["file"].label = _("Replace the file")
            self.fields["file"].help_text = _("Leave empty to keep the current file.")

    def _post_clean(self):
        # The service validates and saves; ModelForm must not write onto the instance first.
        pass


class SalesKitFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *SalesKitCategory.choices],
    )
    product_line = forms.ModelChoiceField(
        label=_("Product line"),
        required=False,
        queryset=ProductLine.objects.none(),
        empty_label=_("All product lines"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *SALES_KIT_LANGUAGES],
    )

    def __init__(self, *args, product_lines, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["product_line"]).queryset = product_lines
