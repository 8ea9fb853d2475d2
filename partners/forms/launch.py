"""Forms for the launch template and checklist pages."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from partners.models import LaunchTemplateItem
from partners.models.launch import LAUNCH_WEEKS, MAX_DUE_DAY, WEEK_NAMES


class LaunchTemplateItemForm(forms.ModelForm):
    """An item of the vendor's launch template. A standard item is shown in the reader's
    language; saving it unchanged keeps it standard (the service decides)."""

    week = forms.TypedChoiceField(
        label=_("Week"),
        coerce=int,
        choices=[(n, format_lazy("{} · {}", n, WEEK_NAMES[n])) for n in LAUNCH_WEEKS],
    )
    due_day = forms.IntegerField(
        label=_("Due on day"),
        min_value=1,
        max_value=MAX_DUE_DAY,
        help_text=_("Days after the launch start, e.g. 7 for the end of week 1."),
    )

    class Meta:
        model = LaunchTemplateItem
        fields = ["week", "title", "description", "side", "due_day"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.default_key and not self.is_bound:
            self.initial["title"] = self.instance.display_title
            self.initial["description"] = self.instance.display_description


class LaunchOwnerForm(forms.Form):
    """Who an item belongs to: a person with a login ("m<id>") or a contact ("c<id>")."""

    owner = forms.ChoiceField(label=_("Owner"), required=False)

    def __init__(self, *args, memberships, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {m.pk: m for m in memberships}
        self.contacts = {c.pk: c for c in contacts}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", _("Nobody")),
            (
                _("People with a login"),
                [
                    (f"m{m.pk}", f"{m.user.full_name} · {m.get_role_display()}")
                    for m in self.memberships.values()
                ],
            ),
            (
                _("Distributor contacts"),
                [
                    (f"c{c.pk}", f"{c.name} · {c.get_role_display()}")
                    for c in self.contacts.values()
                ],
            ),
        ]

    def owner_kwargs(self) -> dict:
        value = self.cleaned_data["owner"]
        if value.startswith("m"):
            return {"owner_membership": self.memberships[int(value[1:])], "owner_contact": None}
        if value.startswith("c"):
            return {"owner_membership": None, "owner_contact": self.contacts[int(value[1:])]}
        return {"owner_membership": None, "owner_contact": None}
