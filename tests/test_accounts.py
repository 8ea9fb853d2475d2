"""Accounts: invitations, password reset, login and throttling, two-factor, language switch,
the workspace chooser and the audit log."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import AuditEvent, Distributor, Invitation, Membership, User, Vendor
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    PASSWORD,
    STAFF_ROLES,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Good-Passphrase-77"


def link_in(message, pattern: str) -> str:
    """The path of the first link in an e-mail matching ``pattern``."""
    match = re.search(re.escape(settings.SITE_URL) + pattern, message.body)
    assert match, message.body
    return match.group(0).removeprefix(settings.SITE_URL)


def invite(client, world, *, email, role, distributor="", by=VENDOR_ADMIN, capture):
    client.force_login(world.a.user(by))
    with capture(execute=True):
        response = client.post(
            f"/{world.a.slug}/members/",
            {"email": email, "role": role, "distributor": distributor, "language": "en"},
        )
    client.logout()
    return response


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


# --- invitations ----------------------------------------------------------------------------


def test_invitation_from_email_to_membership(client, world, django_capture_on_commit_callbacks):
    response = invite(
        client,
        world,
        email="Hana.Sato@Example.com",
        role=DISTRIBUTOR_ADMIN,
        distributor=world.a.d1.pk,
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hana.sato@example.com"]
    assert world.a.vendor.name in message.subject
    # The expiry is in the zone the person will read times in: their distributor's.
    assert re.search(r"The link works once, until .+ \(Asia/Tokyo\)\.", message.body)
    path = link_in(message, rf"/{world.a.slug}/invitations/[A-Za-z0-9_-]+/")
    with in_scope(world.a):
        invitation = Invitation.objects.get(email="hana.sato@example.com")
        assert (
            invitation.token_hash not in message.body
        )  # the link carries the secret, not the hash
        outbox_row = list(
            invitation._meta.apps.get_model("partners", "OutboundEmail").objects.values(
                "to", "sent_at"
            )
        )
    assert outbox_row[0]["to"] == "hana.sato@example.com" and outbox_row[0]["sent_at"]

    page = client.get(path)
    assert page.status_code == 200
    assert world.a.vendor.name in page.content.decode()
    response = client.post(path, {"full_name": "佐藤 花", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == f"/{world.a.slug}/"

    user = User.objects.get(email="hana.sato@example.com")
    assert user.full_name == "佐藤 花"
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)
    with in_scope(world.a):
        membership = Membership.objects.get(user=user)
        invitation.refresh_from_db()
        accepted = AuditEvent.objects.filter(action="invitation.accept").get()
    assert membership.role == DISTRIBUTOR_ADMIN
    assert membership.distributor_id == world.a.d1.pk
    assert invitation.accepted_at is not None and invitation.accepted_by_id == user.pk
    assert accepted.actor_id == user.pk
    assert client.get(f"/{world.a.slug}/").status_code == 200
    # Distributor 1 only.
    assert client.get(f"/{world.a.slug}/distributors/{world.a.d2.pk}/").status_code == 404

    # The link works once: afterwards a clear page, not an error.
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert 'data-testid="invitation-accepted"' in again.content.decode()
    before = db_state()
    again = client.post(path, {"full_name": "Someone Else", "password": NEW_PASSWORD})
    assert again.status_code == 410
    assert db_state() == before


def test_expired_invitation_shows_a_clear_page(client, world, django_capture_on_commit_callbacks):
    invite(client, world, email="late@example.com", role=EXECUTIVE,
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    path = link_in(mail.outbox[0], rf"/{world.a.slug}/invitations/[A-Za-z0-9_-]+/")
    later = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        page = client.get(path)
        assert page.status_code == 410
        assert 'data-testid="invitation-expired"' in page.content.decode()
        before = db_state()
        response = client.post(path, {"full_name": "Late Comer", "password": NEW_PASSWORD})
        assert response.status_code == 410
        assert db_state() == before
    assert not User.objects.filter(email="late@example.com").exists()


def test_invitation_still_works_just_before_it_expires(
    client, world, django_capture_on_commit_callbacks
):
    invite(client, world, email="ontime@example.com", role=EXECUTIVE,
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    path = link_in(mail.outbox[0], rf"/{world.a.slug}/invitations/[A-Za-z0-9_-]+/")
    almost = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS, minutes=-5)
    with time_machine.travel(almost, tick=False):
        response = client.post(path, {"full_name": "On Time", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_withdrawn_and_unknown_links_show_clear_pages(
    client, world, django_capture_on_commit_callbacks
):
    invite(client, world, email="maybe@example.com", role=EXECUTIVE,
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    path = link_in(mail.outbox[0], rf"/{world.a.slug}/invitations/[A-Za-z0-9_-]+/")
    with in_scope(world.a):
        invitation = Invitation.objects.get(email="maybe@example.com")
    client.force_login(world.a.user(CHANNEL_MANAGER))
    assert client.post(f"/{world.a.slug}/invitations/{invitation.pk}/revoke/").status_code == 302
    client.logout()
    page = client.get(path)
    assert page.status_code == 410
    assert 'data-testid="invitation-revoked"' in page.content.decode()
    unknown = client.get(f"/{world.a.slug}/invitations/not-a-real-token/")
    assert unknown.status_code == 404
    assert 'data-testid="invitation-unknown"' in unknown.content.decode()


def test_a_newer_invitation_replaces_the_pending_one(
    client, world, django_capture_on_commit_callbacks
):
    for _ in range(2):
        invite(client, world, email="twice@example.com", role=EXECUTIVE,
               capture=django_capture_on_commit_callbacks)  # fmt: skip
    first, second = (
        link_in(m, rf"/{world.a.slug}/invitations/[A-Za-z0-9_-]+/") for m in mail.outbox
    )
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_existing_login_accepts_while_logged_in(client, world, django_capture_on_commit_callbacks):
    """Someone of vendor B joins vendor A with the login they already have."""
    person = world.b.user(EXECUTIVE)
    invite(client, world, email=person.email, role=CHANNEL_MANAGER,
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    path = link_in(mail.outbox[0], rf"/{world.a.slug}/invitations/[A-Za-z0-9_-]+/")

    # Not logged in: asked to log in, and a new password cannot take the login over.
    page = client.get(path)
    assert page.status_code == 200
    assert "/accounts/login/" in page.content.decode()
    before = db_state()
    client.post(path, {"full_name": "Impostor", "password": NEW_PASSWORD})
    assert db_state() == before
    person.refresh_from_db()
    assert person.check_password(PASSWORD)

    client.force_login(person)
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, {"accept": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/{world.a.slug}/"
    with in_scope(world.a):
        assert Membership.objects.get(user=person).role == CHANNEL_MANAGER
    with in_scope(world.b):
        assert Membership.objects.get(user=person).role == EXECUTIVE
    assert client.get(f"/{world.a.slug}/members/").status_code == 200
    assert client.get(f"/{world.b.slug}/members/").status_code == 403
    chooser = client.get("/workspaces/")
    assert chooser.status_code == 200
    body = chooser.content.decode()
    assert world.a.vendor.name in body and world.b.vendor.name in body


def test_logged_in_as_someone_else_accepts_nothing(
    client, world, django_capture_on_commit_callbacks
):
    invite(client, world, email="right.person@example.com", role=EXECUTIVE,
           capture=django_capture_on_commit_callbacks)  # fmt: skip
    path = link_in(mail.outbox[0], rf"/{world.a.slug}/invitations/[A-Za-z0-9_-]+/")
    client.force_login(world.b.user(DISTRIBUTOR_USER))
    page = client.get(path)
    assert page.status_code == 200
    assert world.b.user(DISTRIBUTOR_USER).email in page.content.decode()
    before = db_state()
    # (A browser always sends the CSRF field; an empty body leaves the view's form unbound.)
    response = client.post(path, {"accept": "1"})
    assert response.status_code == 200
    assert db_state() == before
    client.logout()
    assert client.get(path).status_code == 200  # still usable by the right person


def test_channel_manager_cannot_invite_a_vendor_admin(client, world):
    client.force_login(world.a.user(CHANNEL_MANAGER))
    before = db_state()
    response = client.post(
        f"/{world.a.slug}/members/",
        {"email": "boss@example.com", "role": VENDOR_ADMIN, "distributor": "", "language": "en"},
    )
    assert response.status_code == 200
    assert db_state() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    "payload",
    [
        {"role": DISTRIBUTOR_USER, "distributor": ""},  # distributor roles need a distributor
        {"role": EXECUTIVE, "distributor": "__a_d1__"},  # staff belong to no distributor
        {"role": DISTRIBUTOR_USER, "distributor": "__b_d1__"},  # another vendor's distributor
        {"role": "superuser", "distributor": ""},
    ],
)
def test_invalid_invitations_are_refused(client, world, payload):
    distributor = {"__a_d1__": world.a.d1.pk, "__b_d1__": world.b.d1.pk}.get(
        payload["distributor"], payload["distributor"]
    )
    client.force_login(world.a.user(VENDOR_ADMIN))
    before = db_state()
    response = client.post(
        f"/{world.a.slug}/members/",
        {"email": "x@example.com", "language": "en", **payload, "distributor": distributor},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert db_state() == before
    assert mail.outbox == []


def test_inviting_a_current_member_is_refused(client, world):
    client.force_login(world.a.user(VENDOR_ADMIN))
    before = db_state()
    response = client.post(
        f"/{world.a.slug}/members/",
        {"email": world.a.user(EXECUTIVE).email.upper(), "role": EXECUTIVE, "language": "en"},
    )
    assert response.status_code == 200
    assert db_state() == before


def test_invitation_email_in_japanese(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.a.user(VENDOR_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/{world.a.slug}/members/",
            {"email": "ja@example.com", "role": EXECUTIVE, "distributor": "", "language": "ja"},
        )
    assert len(mail.outbox) == 1
    with translation.override("en"):
        english = "You are invited to"
    assert english not in mail.outbox[0].subject
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", mail.outbox[0].subject)


# --- password reset -------------------------------------------------------------------------


def test_password_reset_by_email(client, world, django_capture_on_commit_callbacks):
    user = world.a.user(EXECUTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": user.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    path = link_in(mail.outbox[0], r"/accounts/reset/[^/\s]+/[^/\s]+/")

    response = client.get(path)
    assert response.status_code == 302  # Django hides the token behind a session redirect
    form_path = response["Location"]
    page = client.get(form_path)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()
    response = client.post(
        form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link is spent.
    client.cookies.clear()
    again = client.get(path, follow=True)
    assert again.status_code == 200
    assert 'name="new_password1"' not in again.content.decode()

    # And the new password logs in.
    response = client.post("/accounts/login/", {"username": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(user.pk)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert callbacks == [] and mail.outbox == []


# --- login and throttling -------------------------------------------------------------------


def test_login_lands_in_the_only_workspace(client, world):
    user = world.a.user(DISTRIBUTOR_USER)
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/{world.a.slug}/"
    assert response.status_code == 200


def test_login_returns_to_the_page_asked_for(client, world):
    path = f"/{world.a.slug}/distributors/"
    response = client.get(path)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith("/accounts/login/")
    user = world.a.user(EXECUTIVE)
    response = client.post(login_url, {"username": user.email, "password": PASSWORD, "next": path})
    assert response.status_code == 302 and response["Location"] == path


def test_login_refuses_an_open_redirect(client, world):
    user = world.a.user(EXECUTIVE)
    response = client.post(
        "/accounts/login/",
        {"username": user.email, "password": PASSWORD, "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


def test_login_is_throttled_after_five_wrong_passwords(client, world):
    user = world.a.user(VENDOR_ADMIN)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
        assert response.status_code == 200
        assert logged_in_user_id(client) is None
    # The fifth wrong password locks the address and e-mail pair...
    response = client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
    assert response.status_code == 429
    # ... and then the right password is refused with the lockout page.
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert logged_in_user_id(client) is None

    # Another person from the same address is not locked out.
    other = Client()
    response = other.post(
        "/accounts/login/", {"username": world.a.user(EXECUTIVE).email, "password": PASSWORD}
    )
    assert response.status_code == 302

    # After the cool-off the right password works again.
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        assert response.status_code == 302
        assert logged_in_user_id(client) == str(user.pk)


def test_four_wrong_passwords_do_not_lock(client, world):
    user = world.a.user(VENDOR_ADMIN)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


# --- two-factor -----------------------------------------------------------------------------


def code_for(secret_b32: str, device: TOTPDevice) -> str:
    """The code an authenticator app shows now for the key the setup page displays."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    assert key == device.bin_key
    return f"{totp(key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def open_setup(client, user, next_path: str) -> tuple[str, TOTPDevice]:
    page = client.get(f"/accounts/two-factor/setup/?next={next_path}")
    assert page.status_code == 200
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    return secret, TOTPDevice.objects.get(user=user, confirmed=False)


def set_up_two_factor(client, user, next_path: str) -> TOTPDevice:
    secret, device = open_setup(client, user, next_path)
    response = client.post(
        "/accounts/two-factor/setup/", {"code": code_for(secret, device), "next": next_path}
    )
    assert response.status_code == 302
    assert response["Location"] == next_path
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_wrong_setup_code_confirms_nothing(client, world):
    Vendor.objects.filter(pk=world.a.vendor.pk).update(require_two_factor=True)
    user = world.a.user(VENDOR_ADMIN)
    client.force_login(user)
    secret, device = open_setup(client, user, f"/{world.a.slug}/")
    wrong = "000000" if code_for(secret, device) != "000000" else "111111"
    response = client.post("/accounts/two-factor/setup/", {"code": wrong})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(f"/{world.a.slug}/").status_code == 302


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_vendor_requiring_two_factor_sends_staff_to_setup(client, world, role):
    Vendor.objects.filter(pk=world.a.vendor.pk).update(require_two_factor=True)
    user = world.a.user(role)
    client.force_login(user)
    home = f"/{world.a.slug}/"
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    # Every page of the workspace, not only the home page.
    assert client.get(f"/{world.a.slug}/distributors/").status_code == 302
    set_up_two_factor(client, user, home)
    assert client.get(home).status_code == 200
    assert client.get(f"/{world.a.slug}/distributors/").status_code == 200


def test_two_factor_login_in_a_new_session_asks_for_a_code(client, world):
    Vendor.objects.filter(pk=world.a.vendor.pk).update(require_two_factor=True)
    user = world.a.user(VENDOR_ADMIN)
    client.force_login(user)
    device = set_up_two_factor(client, user, f"/{world.a.slug}/")

    other = Client()
    other.force_login(user)
    response = other.get(f"/{world.a.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    assert other.post("/accounts/two-factor/verify/", {"code": "000000"}).status_code == 200
    assert other.get(f"/{world.a.slug}/").status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=device.step * 2)):
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        response = other.post("/accounts/two-factor/verify/", {"code": code})
        assert response.status_code == 302
        assert other.get(f"/{world.a.slug}/").status_code == 200


@pytest.mark.parametrize("role", [DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER])
def test_distributor_people_are_not_asked_for_two_factor(client, world, role):
    Vendor.objects.filter(pk=world.a.vendor.pk).update(require_two_factor=True)
    client.force_login(world.a.user(role))
    assert client.get(f"/{world.a.slug}/").status_code == 200
    assert client.get(f"/api/v1/{world.a.slug}/me/").status_code == 200


def test_without_the_requirement_staff_are_not_asked(client, world):
    client.force_login(world.a.user(EXECUTIVE))
    assert client.get(f"/{world.a.slug}/").status_code == 200


def test_vendor_admin_turns_the_requirement_on(client, world):
    client.force_login(world.a.user(VENDOR_ADMIN))
    response = client.post(f"/{world.a.slug}/settings/", {"require_two_factor": "on"})
    assert response.status_code == 302
    assert Vendor.objects.get(pk=world.a.vendor.pk).require_two_factor
    with in_scope(world.a):
        assert AuditEvent.objects.filter(action="vendor.update").exists()
    other = Client()
    other.force_login(world.a.user(CHANNEL_MANAGER))
    assert other.get(f"/{world.a.slug}/").status_code == 302
    # Vendor B is not affected.
    other.force_login(world.b.user(CHANNEL_MANAGER))
    assert other.get(f"/{world.b.slug}/").status_code == 200


def test_vendor_admin_sets_the_zone_staff_read_times_in(client, world):
    client.force_login(world.a.user(VENDOR_ADMIN))
    page = client.get(f"/{world.a.slug}/settings/").content.decode()
    assert '<select name="time_zone"' in page and '<option value="UTC" selected>' in page
    response = client.post(f"/{world.a.slug}/settings/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert Vendor.objects.get(pk=world.a.vendor.pk).time_zone == "Asia/Tokyo"
    with in_scope(world.a):
        event = AuditEvent.objects.filter(action="vendor.update").latest("id")
    assert event.changes == {"time_zone": ["UTC", "Asia/Tokyo"]}
    assert "(Asia/Tokyo)" in client.get(f"/{world.a.slug}/audit/").content.decode()
    assert Vendor.objects.get(pk=world.b.vendor.pk).time_zone == "UTC"


# --- language -------------------------------------------------------------------------------


def test_language_switch(client, world):
    client.force_login(world.a.user(CHANNEL_MANAGER))
    page = client.get(f"/{world.a.slug}/distributors/")
    assert '<html lang="en">' in page.content.decode()
    response = client.post(
        "/i18n/setlang/", {"language": "ja", "next": f"/{world.a.slug}/distributors/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{world.a.slug}/distributors/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    page = client.get(f"/{world.a.slug}/distributors/")
    body = page.content.decode()
    assert '<html lang="ja">' in body
    with translation.override("ja"):
        translated = translation.gettext("Distributors")
    assert translated != "Distributors"  # the catalogue is compiled and loaded
    assert translated in body
    assert "Sakura Trading" in body  # data is shown as written

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(f"/{world.a.slug}/").content.decode()


def test_language_switch_before_logging_in(client):
    client.post("/i18n/setlang/", {"language": "ja", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert '<html lang="ja">' in page.content.decode()


def test_an_unknown_language_is_ignored(client):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


# --- audit log ------------------------------------------------------------------------------


def test_distributor_update_is_audited_and_vendor_admin_reads_it(client, world):
    client.force_login(world.a.user(CHANNEL_MANAGER))
    response = client.post(
        f"/{world.a.slug}/distributors/{world.a.d1.pk}/edit/",
        {
            "name": "Sakura Trading KK",
            "country": "JP",
            "currency": "JPY",
            "time_zone": "Asia/Tokyo",
            "language": "ja",
        },
    )
    assert response.status_code == 302
    with in_scope(world.a):
        event = AuditEvent.objects.get(action="distributor.update")
        assert Distributor.objects.get(pk=world.a.d1.pk).name == "Sakura Trading KK"
    assert event.actor_id == world.a.user(CHANNEL_MANAGER).pk
    assert event.actor_label == world.a.user(CHANNEL_MANAGER).email
    assert event.object_type == "distributor" and event.object_id == str(world.a.d1.pk)
    assert event.changes == {"name": ["Sakura Trading", "Sakura Trading KK"]}
    with in_scope(world.b):
        assert not AuditEvent.objects.filter(action="distributor.update").exists()

    # The channel manager may not read the log.
    assert client.get(f"/{world.a.slug}/audit/").status_code == 403

    client.force_login(world.a.user(VENDOR_ADMIN))
    page = client.get(f"/{world.a.slug}/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert world.a.user(CHANNEL_MANAGER).email in body
    assert "Sakura Trading KK" in body
    assert "audit-marker-acme" in body

    only_updates = client.get(f"/{world.a.slug}/audit/", {"action": "distributor.update"})
    body = only_updates.content.decode()
    assert "Sakura Trading KK" in body and "audit-marker-acme" not in body

    markers = client.get(f"/{world.a.slug}/audit/", {"action": "test.marker"})
    body = markers.content.decode()
    assert "audit-marker-acme" in body and "Sakura Trading KK" not in body

    by_person = client.get(f"/{world.a.slug}/audit/", {"actor_email": "channel_manager@"})
    body = by_person.content.decode()
    assert "Sakura Trading KK" in body and "audit-marker-acme" not in body

    by_type = client.get(f"/{world.a.slug}/audit/", {"object_type": "marker"})
    body = by_type.content.decode()
    assert "audit-marker-acme" in body and "Sakura Trading KK" not in body

    tomorrow = (timezone.now() + timedelta(days=2)).date().isoformat()
    future = client.get(f"/{world.a.slug}/audit/", {"date_from": tomorrow})
    body = future.content.decode()
    assert "audit-marker-acme" not in body and "Sakura Trading KK" not in body


def test_htmx_filter_returns_only_the_results_partial(client, world):
    client.force_login(world.a.user(VENDOR_ADMIN))
    response = client.get(
        f"/{world.a.slug}/audit/",
        {"action": "test.marker"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="audit-results",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "audit-marker-acme" in body
    assert "<html" not in body


# --- workspaces -----------------------------------------------------------------------------


def test_outsider_has_no_workspace(client, world):
    client.force_login(world.outsider)
    response = client.get("/workspaces/")
    assert response.status_code == 200
    body = response.content.decode()
    assert world.a.vendor.name not in body and world.b.vendor.name not in body
    assert client.get(f"/{world.a.slug}/").status_code == 404


def test_logout_ends_the_session(client, world):
    client.force_login(world.a.user(EXECUTIVE))
    assert client.post("/accounts/logout/").status_code == 302
    assert logged_in_user_id(client) is None
    assert client.get(f"/{world.a.slug}/").status_code == 302


def test_empty_post_to_someone_elses_invitation_is_not_a_server_error(client, world):
    client.force_login(world.b.user(DISTRIBUTOR_USER))
    response = client.post(f"/{world.a.slug}/invitations/{world.a.invitation_d1.raw_token}/")
    assert response.status_code == 200
    assert "another e-mail address" in response.content.decode()


@pytest.mark.django_db
def test_login_switches_to_the_persons_language(client, world):
    user = world.a.user(DISTRIBUTOR_USER)
    user.language = "ja"
    user.save(update_fields=["language"])
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD}, follow=True
    )
    assert client.cookies["django_language"].value == "ja"
    assert '<html lang="ja"' in response.content.decode()
