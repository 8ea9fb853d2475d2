"""The e-mail outbox: a row first, delivery by a task, retries by a sweep."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from partners.models import OutboundEmail
from partners.services.outbox import MAX_ATTEMPTS, email_deliver, email_queue
from partners.tasks import outbox_sweep_task, system_email_deliver_task, vendor_email_deliver_task
from tests.conftest import in_scope
from tests.factories import OutboundEmailFactory

pytestmark = pytest.mark.django_db

TEST_TEMPLATES = Path(__file__).parent / "templates"
FAILING = "tests.mail_backends.FailingBackend"


@pytest.fixture(autouse=True)
def note_template(settings):
    """A test-only e-mail template, ``emails/test_note.*``."""
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = [engine]


def queue_note(vendor, to="ken@example.com", **kwargs):
    return email_queue(
        vendor=vendor,
        to=to,
        template="test_note",
        context={"name": "Ken", "message": "Your weekly report is due."},
        **kwargs,
    )


def row(tenant, email_id):
    if tenant is None:
        with transaction.atomic():
            return OutboundEmail.objects.get(pk=email_id)
    with in_scope(tenant):
        return OutboundEmail.objects.get(pk=email_id)


def test_queue_writes_the_row_first_and_delivers_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, in_scope(world.a):
        email = queue_note(world.a.vendor)
    stored = row(world.a, email.pk)
    assert stored.sent_at is None and stored.attempts == 0
    assert stored.vendor_id == world.a.vendor.pk
    assert stored.subject == "Note for Ken"
    assert "Your weekly report is due." in stored.body_text
    assert "<p>Hello Ken,</p>" in stored.body_html
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()  # the transaction committed: the task runs
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ken@example.com"]
    assert message.subject == "Note for Ken"
    assert message.alternatives[0][1] == "text/html"
    stored = row(world.a, email.pk)
    assert stored.sent_at is not None and stored.attempts == 1


def test_nothing_is_queued_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        in_scope(world.a),
    ):
        queue_note(world.a.vendor)
        raise RuntimeError("the write failed")
    assert callbacks == []
    assert mail.outbox == []
    with in_scope(world.a):
        assert not OutboundEmail.objects.exists()


def test_delivering_twice_sends_once(world):
    with in_scope(world.a):
        email = queue_note(world.a.vendor)
    assert vendor_email_deliver_task.delay(world.a.vendor.pk, email.pk).get() is True
    assert vendor_email_deliver_task.delay(world.a.vendor.pk, email.pk).get() is False
    assert len(mail.outbox) == 1
    assert row(world.a, email.pk).attempts == 1


def test_system_email_is_delivered_outside_any_workspace(world):
    with transaction.atomic():
        email = queue_note(None, to="reset@example.com")
    assert system_email_deliver_task.delay(email.pk).get() is True
    assert system_email_deliver_task.delay(email.pk).get() is False
    assert [m.to for m in mail.outbox] == [["reset@example.com"]]
    assert row(None, email.pk).sent_at is not None


def test_dedupe_key_queues_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, in_scope(world.a):
        first = queue_note(world.a.vendor, dedupe_key="weekly-reminder:1")
        second = queue_note(world.a.vendor, dedupe_key="weekly-reminder:1")
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1


def test_a_failing_backend_leaves_the_row_unsent_and_counts_the_attempt(world, settings):
    settings.EMAIL_BACKEND = FAILING
    with in_scope(world.a):
        email = queue_note(world.a.vendor)
    assert vendor_email_deliver_task.delay(world.a.vendor.pk, email.pk).get() is False
    stored = row(world.a, email.pk)
    assert stored.sent_at is None
    assert stored.attempts == 1
    assert "refused" in stored.last_error
    assert mail.outbox == []

    # The sweep retries it once the backend works again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        assert outbox_sweep_task.delay().get() == 1
    stored = row(world.a, email.pk)
    assert stored.sent_at is not None
    assert stored.attempts == 2
    assert stored.last_error == ""
    assert len(mail.outbox) == 1


def test_sweep_resends_what_is_unsent_in_every_vendor_and_outside_them(world):
    # (On-commit delivery never runs here: these rows stay unsent, as after a broker outage.)
    with in_scope(world.a):
        a_unsent = queue_note(world.a.vendor, to="a@example.com")
        a_sent = OutboundEmailFactory(vendor=world.a.vendor, to="a-sent@example.com",
                                      sent_at=timezone.now())  # fmt: skip
        a_given_up = OutboundEmailFactory(vendor=world.a.vendor, to="a-given-up@example.com",
                                          attempts=MAX_ATTEMPTS)  # fmt: skip
    with in_scope(world.b):
        b_unsent = queue_note(world.b.vendor, to="b@example.com")
    with transaction.atomic():
        system_unsent = queue_note(None, to="system@example.com")
    with in_scope(world.a):
        fresh = queue_note(world.a.vendor, to="fresh@example.com")

    # Just queued: the sweep leaves them to their own task for a minute.
    assert outbox_sweep_task.delay().get() == 0
    later = timezone.now() + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        with in_scope(world.a):
            OutboundEmail.objects.filter(pk=fresh.pk).update(created_at=timezone.now())
        assert outbox_sweep_task.delay().get() == 3
        assert sorted(m.to[0] for m in mail.outbox) == [
            "a@example.com",
            "b@example.com",
            "system@example.com",
        ]
        assert outbox_sweep_task.delay().get() == 0  # nothing left to resend
    assert len(mail.outbox) == 3
    assert row(world.a, a_unsent.pk).sent_at is not None
    assert row(world.b, b_unsent.pk).sent_at is not None
    assert row(None, system_unsent.pk).sent_at is not None
    assert row(world.a, a_given_up.pk).sent_at is None
    assert row(world.a, a_sent.pk).attempts == 0
    assert row(world.a, fresh.pk).sent_at is None


def test_delivery_outside_the_emails_scope_finds_nothing(world):
    with in_scope(world.a):
        email = queue_note(world.a.vendor)
    with in_scope(world.b):
        assert email_deliver(email_id=email.pk) is False
    with transaction.atomic():
        assert email_deliver(email_id=email.pk) is False
    assert mail.outbox == []
    assert row(world.a, email.pk).sent_at is None
