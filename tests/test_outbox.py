"""The e-mail outbox: a row first, delivery by a task, retries by a sweep."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from partners.models import OutboundEmail
from partners.services import outbox
from partners.services.outbox import (
    MAX_ATTEMPTS,
    EmailToQueue,
    email_deliver,
    email_queue,
    email_queue_many,
)
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


# --- many at once -------------------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    """The (template, language, context) of every rendering, in order."""
    calls = []
    real = outbox.render_email

    def spy(*, template, context, language, time_zone=None):
        calls.append((template, language, context))
        return real(template=template, context=context, language=language, time_zone=time_zone)

    monkeypatch.setattr(outbox, "render_email", spy)
    return calls


def notes(*recipients, context, language="en", key="note"):
    return [EmailToQueue(to, "test_note", context, language, f"{key}:{to}") for to in recipients]


def test_queue_many_renders_a_shared_context_once_per_language_and_delivers_after_commit(
    world, renders, django_capture_on_commit_callbacks
):
    ja = {"name": "Ken", "message": "Hōkoku no kigen desu."}
    en = {"name": "Ken", "message": "Your weekly report is due."}
    other = {"name": "Mia", "message": "Your monthly summary is due."}
    emails = [
        *notes("ken@example.com", "aiko@example.com", context=ja, language="ja"),
        *notes("sam@example.com", "lee@example.com", context=en),
        *notes("mia@example.com", context=other),
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks, in_scope(world.a):
        ids = email_queue_many(vendor=world.a.vendor, emails=emails)
    assert [(t, lang, c) for t, lang, c in renders] == [
        ("test_note", "ja", ja),
        ("test_note", "en", en),
        ("test_note", "en", other),
    ]
    with in_scope(world.a):
        stored = {e.to: e for e in OutboundEmail.objects.filter(pk__in=ids)}
    assert len(ids) == 5 and len(stored) == 5
    assert stored["aiko@example.com"].language == "ja"
    assert stored["lee@example.com"].language == "en"
    assert stored["aiko@example.com"].dedupe_key == "note:aiko@example.com"
    assert "Hōkoku no kigen desu." in stored["ken@example.com"].body_text
    assert stored["mia@example.com"].subject == "Note for Mia"
    assert "<p>Hello Mia,</p>" in stored["mia@example.com"].body_html
    assert all(e.sent_at is None and e.vendor_id == world.a.vendor.pk for e in stored.values())
    assert mail.outbox == []
    assert len(callbacks) == 1  # one delivery task for the batch

    callbacks[0]()  # the transaction committed: the task runs
    assert sorted(m.to[0] for m in mail.outbox) == sorted(stored)
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["mia@example.com"].subject == "Note for Mia"
    assert sent["sam@example.com"].alternatives[0][1] == "text/html"
    with in_scope(world.a):
        assert all(
            e.sent_at is not None and e.attempts == 1
            for e in OutboundEmail.objects.filter(pk__in=ids)
        )


def test_queue_many_queues_each_dedupe_key_once(world, django_capture_on_commit_callbacks):
    context = {"name": "Ken", "message": "Your weekly report is due."}
    with in_scope(world.a):
        single = queue_note(world.a.vendor, to="ken@example.com", dedupe_key="note:ken@example.com")
    emails = [
        *notes("ken@example.com", "sam@example.com", context=context),
        *notes("sam@example.com", context=context),  # the same key twice in one call
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, in_scope(world.a):
        first = email_queue_many(vendor=world.a.vendor, emails=emails)
    with in_scope(world.a):
        sam = OutboundEmail.objects.get(dedupe_key="note:sam@example.com")
        assert OutboundEmail.objects.count() == 2
    assert first == [sam.pk]  # Ken's key was taken by email_queue
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]

    # Called again: nothing more is written, no task is registered, nothing is sent.
    with django_capture_on_commit_callbacks(execute=True) as callbacks, in_scope(world.a):
        again = email_queue_many(vendor=world.a.vendor, emails=emails)
        # ... and the single path finds the bulk path's row.
        assert queue_note(world.a.vendor, to="sam@example.com",
                          dedupe_key="note:sam@example.com").pk == sam.pk  # fmt: skip
    assert again == []
    assert callbacks == []
    assert len(mail.outbox) == 1
    with in_scope(world.a):
        assert OutboundEmail.objects.count() == 2
        assert OutboundEmail.objects.get(pk=single.pk).sent_at is None  # its own task never ran


def test_queue_many_delivers_in_batches_and_a_broker_outage_leaves_rows_to_the_sweep(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from partners import tasks

    monkeypatch.setattr(outbox, "DELIVERY_BATCH", 2)
    real_delay = tasks.vendor_emails_deliver_task.delay
    refused = []

    def delay(vendor_id, email_ids):
        if not refused:  # the broker is down for the first batch only
            refused.append(email_ids)
            raise ConnectionError("broker unreachable")
        return real_delay(vendor_id, email_ids)

    monkeypatch.setattr(tasks.vendor_emails_deliver_task, "delay", delay)
    context = {"name": "Ken", "message": "Your weekly report is due."}
    recipients = [f"p{n}@example.com" for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, in_scope(world.a):
        ids = email_queue_many(vendor=world.a.vendor, emails=notes(*recipients, context=context))
    assert len(callbacks) == 3  # batches of 2, 2 and 1
    assert refused == [ids[:2]]
    assert len(mail.outbox) == 3
    with in_scope(world.a):
        unsent = set(
            OutboundEmail.objects.filter(sent_at__isnull=True).values_list("id", flat=True)
        )
    assert unsent == set(ids[:2])

    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False):
        assert outbox_sweep_task.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)


def test_batch_delivery_sends_what_it_can_and_skips_what_is_sent(world, settings):
    context = {"name": "Ken", "message": "Your weekly report is due."}
    with in_scope(world.a):
        ids = email_queue_many(
            vendor=world.a.vendor, emails=notes("a@example.com", "b@example.com", context=context)
        )
        OutboundEmail.objects.filter(pk=ids[0]).update(sent_at=timezone.now())
    settings.EMAIL_BACKEND = FAILING
    assert tasks_deliver(world, ids) == 0
    with in_scope(world.a):
        failed = OutboundEmail.objects.get(pk=ids[1])
    assert failed.sent_at is None and failed.attempts == 1 and "refused" in failed.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks_deliver(world, ids) == 1
    assert tasks_deliver(world, ids) == 0
    assert [m.to for m in mail.outbox] == [["b@example.com"]]
    assert row(world.a, ids[1]).attempts == 2
    # Another vendor's task finds none of them.
    from partners.tasks import vendor_emails_deliver_task

    with in_scope(world.a):
        OutboundEmail.objects.filter(pk__in=ids).update(sent_at=None)
    assert vendor_emails_deliver_task.delay(world.b.vendor.pk, ids).get() == 0
    assert len(mail.outbox) == 1


def tasks_deliver(world, ids):
    from partners.tasks import vendor_emails_deliver_task

    return vendor_emails_deliver_task.delay(world.a.vendor.pk, ids).get()


def test_queue_many_without_a_vendor_is_delivered_outside_any_workspace(
    world, django_capture_on_commit_callbacks
):
    context = {"name": "Ken", "message": "Reset your password."}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ids = email_queue_many(
            vendor=None, emails=notes("x@example.com", "y@example.com", context=context)
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["x@example.com", "y@example.com"]
    assert all(row(None, pk).sent_at is not None for pk in ids)
    with in_scope(world.a):
        assert not OutboundEmail.objects.exists()


def _wait_until_another_session_waits_for_this_transaction(timeout: float = 30.0) -> bool:
    """Poll (inside a transaction that has written) until another session waits on its lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"
                " AND transactionid::text = pg_current_xact_id()::text"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@pytest.fixture
def celery_join_flag():
    """Celery's eager tasks set a process-wide "no result.get() inside a task" flag and put
    back what they found; two threads running eager tasks at once can leave it set for the
    tests that follow, so it is restored here."""
    from celery import _state

    flag = _state.task_join_will_block()
    yield
    _state._set_task_join_will_block(flag)


@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_queues_write_and_send_each_key_once(world, celery_join_flag):
    """The first call has written keys 0-19 and not committed yet when the second one, for keys
    10-29, inserts: the second waits for it, then writes only 20-29."""
    context = {"name": "Ken", "message": "Your weekly report is due."}
    recipients = [f"p{n:02}@example.com" for n in range(30)]
    first_inserted = threading.Event()
    results, errors = {}, []

    def first():
        try:
            with in_scope(world.a):
                results["first"] = email_queue_many(
                    vendor=world.a.vendor, emails=notes(*recipients[:20], context=context)
                )
                first_inserted.set()
                results["second_waited"] = _wait_until_another_session_waits_for_this_transaction()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            first_inserted.set()
            connection.close()

    def second():
        try:
            first_inserted.wait()
            with in_scope(world.a):
                results["second"] = email_queue_many(
                    vendor=world.a.vendor,
                    emails=notes(*reversed(recipients[10:]), context=context),
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results["second_waited"] is True
    with in_scope(world.a):
        stored = dict(OutboundEmail.objects.values_list("to", "id"))
    assert sorted(stored) == recipients
    assert sorted(results["first"]) == sorted(stored[to] for to in recipients[:20])
    assert sorted(results["second"]) == sorted(stored[to] for to in recipients[20:])
    assert sorted(m.to[0] for m in mail.outbox) == recipients  # each sent once
