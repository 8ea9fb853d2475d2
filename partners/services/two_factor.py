"""Two-factor authentication with TOTP apps (django-otp)."""

from __future__ import annotations

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def user_has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_setup_begin(*, user) -> TOTPDevice:
    """The unconfirmed device the person is setting up (made once, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def two_factor_setup_confirm(*, request, device: TOTPDevice, code: str) -> bool:
    """Confirm the device with a first code from the app; the session counts as verified."""
    if not device.verify_token(code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def two_factor_verify(*, request, code: str) -> bool:
    """Check a code against the person's confirmed device and mark the session verified."""
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        if device.verify_token(code):
            otp_login(request, device)
            return True
    return False


def two_factor_disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
