from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners import zones
from partners.models import Distributor, Membership, ProductLine, Role, Territory
from partners.services.outbox import email_queue


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, delivered through the outbox like every other e-mail."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        email_queue(
            vendor=None,
            to=to_email,
            template="password_reset",
            language=user.language or "en",
            context={
                "full_name": user.full_name,
                "reset_path": reverse(
                    "password-reset-confirm",
                    kwargs={"uidb64": context["uid"], "token": context["token"]},
                ),
            },
        )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} · {obj.get_role_display()}"


class DistributorForm(forms.ModelForm):
    """A distributor's profile. The status is not here: it changes only through the status
    page, with a date and a reason. Choices are limited to the workspace (``vendor``/``actor``
    give the querysets)."""

    owner = OwnerChoiceField(
        label=_("Channel manager"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("The vendor person who owns the relationship."),
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Territories"),
        queryset=Territory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    product_lines = forms.ModelMultipleChoiceField(
        label=_("Product lines it sells"),
        queryset=ProductLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Distributor
        fields = [
            "name",
            "legal_name",
            "country",
            "currency",
            "time_zone",
            "language",
            "owner",
            "territories",
            "product_lines",
        ]
        help_texts = {
            "legal_name": _("The registered name, as written (for example 株式会社山田商事)."),
        }

    def __init__(self, *args, vendor, actor, **kwargs):
        from partners.selectors import profile as profile_selectors

        super().__init__(*args, **kwargs)
        # A list of zone names, the country's own first; left empty, the country's usual zone.
        country = self.data.get("country") if self.is_bound else None
        country = country or self.initial.get("country") or getattr(self.instance, "country", "")
        self.fields["time_zone"] = forms.ChoiceField(
            label=self.fields["time_zone"].label,
            required=False,
            choices=[
                ("", _("The country's usual time zone")),
                *zones.zone_choices(country, keep=getattr(self.instance, "time_zone", "")),
            ],
            help_text=_("Times are shown to the distributor's people in this zone."),
        )
        cast(
            forms.ModelChoiceField, self.fields["owner"]
        ).queryset = profile_selectors.owner_choices(vendor=vendor, actor=actor)
        cast(
            forms.ModelChoiceField, self.fields["territories"]
        ).queryset = profile_selectors.territory_choices(vendor=vendor, actor=actor)
        cast(
            forms.ModelChoiceField, self.fields["product_lines"]
        ).queryset = profile_selectors.product_line_choices(vendor=vendor, actor=actor)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("time_zone") and cleaned.get("country"):
            cleaned["time_zone"] = zones.country_default_zone(cleaned["country"])
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    distributor = forms.ModelChoiceField(
        label=_("Distributor"),
        queryset=Distributor.objects.none(),
        required=False,
        help_text=_("Required for distributor admins and distributor users."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation e-mail"),
        choices=[("en", _("English")), ("ja", _("Japanese"))],
    )

    def __init__(self, *args, distributors, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["distributor"]).queryset = distributors


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, for example “ERP sell-out sync”."),
    )


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    actor_email = forms.CharField(label=_("Who"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class VendorSettingsForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication for vendor staff"), required=False
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of vendor staff"),
        help_text=_("Vendor staff read every time in this zone."),
        choices=zones.zone_choices,
        required=False,
    )
