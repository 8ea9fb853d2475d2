"""The e-mail outbox: a row first, delivery by a task, retries by a sweep."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from partners import zones
from partners.models import OutboundEmail, Vendor
from partners.platform.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# Rows per INSERT of a bulk queue, and e-mails per delivery task (one transaction holds their
# locks while they are sent; if a worker dies mid-task, at most this many are sent again).
INSERT_BATCH = 1000
DELIVERY_BATCH = 100
# The delivery tasks (partners/tasks.py), by name: importing that module would import this one back.
_VENDOR_ONE = "partners.tasks.vendor_email_deliver_task"
_VENDOR_MANY = "partners.tasks.vendor_emails_deliver_task"
_SYSTEM_ONE = "partners.tasks.system_email_deliver_task"
_SYSTEM_MANY = "partners.tasks.system_emails_deliver_task"


class EmailToQueue(NamedTuple):
    """One e-mail for ``email_queue_many`` (a plain 5-tuple in this order does as well).

    Items that share ``template``, ``language``, ``time_zone`` and the very same ``context``
    object are rendered once. ``time_zone`` is the recipient's (``partners.zones.reader_zone``):
    the e-mail's times are written in it, with its name."""

    to: str
    template: str
    context: dict
    language: str = "en"
    dedupe_key: str | None = None
    time_zone: str | None = None


def render_email(
    *, template: str, context: dict, language: str, time_zone: str | None = None
) -> tuple[str, str, str]:
    """Subject, text body and HTML body of ``templates/emails/<template>.*`` in ``language``,
    with every time in the recipient's ``time_zone`` (the templates name it with
    ``{{ time_zone }}`` or the ``local_time`` filter)."""
    zone = zones.zone_named(time_zone or settings.TIME_ZONE)
    with translation.override(language), timezone.override(zone):
        ctx = {
            "site_url": settings.SITE_URL,
            "language": language,
            "time_zone": zones.zone_name(zone),
            **context,
        }
        subject = render_to_string(f"emails/{template}.subject.txt", ctx)
        text = render_to_string(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    return " ".join(subject.split()), text, html


def _outbox_fields(*, vendor: Vendor | None, to: str, template: str, language: str, rendered):
    subject, text, html = rendered
    return dict(
        vendor=vendor,
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        template=template,
        language=language,
    )


def _delivery_on_commit(email_ids: list[int], vendor_id: int | None) -> None:
    """Deliver the e-mails once the transaction commits, one at a time or as a batch, in the
    vendor's scope or (a password reset) in none. Robust: if the broker is down the rows stay
    unsent and the sweep delivers them later."""
    if vendor_id:
        if len(email_ids) == 1:
            enqueue_on_commit(_VENDOR_ONE, vendor_id, email_ids[0], robust=True)
        else:
            enqueue_on_commit(_VENDOR_MANY, vendor_id, email_ids, robust=True)
    elif len(email_ids) == 1:
        enqueue_on_commit(_SYSTEM_ONE, email_ids[0], robust=True)
    else:
        enqueue_on_commit(_SYSTEM_MANY, email_ids, robust=True)


def email_queue(
    *,
    vendor: Vendor | None,
    to: str,
    template: str,
    context: dict,
    language: str = "en",
    dedupe_key: str | None = None,
    time_zone: str | None = None,
) -> OutboundEmail:
    """Write the e-mail to the outbox and deliver it once the transaction commits, rendered in
    the recipient's ``language`` and ``time_zone`` (see ``render_email``).

    With a ``dedupe_key`` the same e-mail is queued once however often this is called."""
    rendered = render_email(
        template=template, context=context, language=language, time_zone=time_zone
    )
    fields = _outbox_fields(
        vendor=vendor, to=to, template=template, language=language, rendered=rendered
    )
    with transaction.atomic():
        if dedupe_key:
            email, created = OutboundEmail.objects.get_or_create(
                dedupe_key=dedupe_key, defaults=fields
            )
            if not created:
                return email
        else:
            email = OutboundEmail.objects.create(**fields)
        _delivery_on_commit([email.id], vendor.id if vendor else None)
    return email


def email_queue_many(*, vendor: Vendor | None, emails: Iterable[EmailToQueue]) -> list[int]:
    """Write many e-mails to the outbox in bulk and deliver the new ones once the transaction
    commits (in tasks of ``DELIVERY_BATCH`` e-mails).

    The same guarantee as ``email_queue``: an e-mail with a ``dedupe_key`` is queued once however
    often, and however concurrently, this is called (``INSERT ... ON CONFLICT DO NOTHING``);
    the first of several items with one key in a call wins. Items sharing template, language
    and context object are rendered once. Returns the ids of the e-mails written now: those
    whose key was already in the outbox are neither written again nor delivered again."""
    renderings: dict[tuple[str, str, str | None, int], tuple[dict, tuple[str, str, str]]] = {}
    keys: set[str] = set()
    rows: list[tuple] = []
    for item in emails:
        to, template, context, language, dedupe_key, time_zone = EmailToQueue(*item)
        if dedupe_key:
            if dedupe_key in keys:
                continue
            keys.add(dedupe_key)
        # Keyed by the context's identity; the context is kept in the value so the id stays
        # its own for the whole call.
        shared = (template, language, time_zone, id(context))
        if shared not in renderings:
            renderings[shared] = (
                context,
                render_email(
                    template=template, context=context, language=language, time_zone=time_zone
                ),
            )
        subject, text, html = renderings[shared][1]
        rows.append((to, subject, text, html, template, language, dedupe_key or None))
    if not rows:
        return []
    # Keys in one order in every call: two concurrent calls wait for each other's rows in the
    # same order and cannot deadlock.
    rows.sort(key=lambda row: (row[-1] is None, row[-1] or ""))
    vendor_id = vendor.id if vendor else None
    now = timezone.now()
    ids: list[int] = []
    with transaction.atomic():
        for start in range(0, len(rows), INSERT_BATCH):
            ids += _outbox_insert(vendor_id, rows[start : start + INSERT_BATCH], now)
        ids.sort()
        for start in range(0, len(ids), DELIVERY_BATCH):
            _delivery_on_commit(ids[start : start + DELIVERY_BATCH], vendor_id)
    return ids


_INSERT_SQL = """
INSERT INTO {table} (vendor_id, "to", subject, body_text, body_html, template, language,
                     dedupe_key, created_at, attempts, last_error)
SELECT %s, r."to", r.subject, r.body_text, r.body_html, r.template, r.language, r.dedupe_key,
       %s, 0, ''
  FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[],
              %s::text[])
       AS r("to", subject, body_text, body_html, template, language, dedupe_key)
    ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id
"""


def _outbox_insert(vendor_id: int | None, rows: list[tuple], now) -> list[int]:
    """Insert outbox rows (skipping any whose dedupe key is taken); the ids inserted."""
    columns = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_SQL.format(table=OutboundEmail._meta.db_table), [vendor_id, now, *columns]
        )
        return [row[0] for row in cursor.fetchall()]


def email_deliver(*, email_id: int) -> bool:
    """Send one queued e-mail if it is still unsent. Returns True when it was sent now.

    The row is locked while sending, so two workers never send it twice."""
    return emails_deliver(email_ids=[email_id]) == 1


def emails_deliver(*, email_ids: Sequence[int]) -> int:
    """Send those of the queued e-mails that are still unsent, over one mail connection.
    Returns how many were sent now.

    The rows are locked while sending (rows another worker holds are skipped), so two workers
    never send one twice. A failure counts an attempt on that row and leaves it to the sweep."""
    with transaction.atomic():
        emails = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(email_ids), sent_at__isnull=True)
            .order_by("id")
        )
        if not emails:
            return 0
        mail_connection = get_connection()
        opened = False
        sent: list[int] = []
        for email in emails:
            message = EmailMultiAlternatives(
                subject=email.subject,
                body=email.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to],
                connection=mail_connection,
            )
            if email.body_html:
                message.attach_alternative(email.body_html, "text/html")
            try:
                if not opened:  # one connection for the batch, opened again after a failure
                    mail_connection.open()
                    opened = True
                message.send()
            except Exception as exc:  # noqa: BLE001 - any delivery failure is retried by the sweep
                OutboundEmail.objects.filter(pk=email.pk).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:2000]
                )
                logger.warning("E-mail %s not sent: %s", email.pk, exc)
                with contextlib.suppress(Exception):
                    mail_connection.close()
                opened = False
                continue
            sent.append(email.pk)
        with contextlib.suppress(Exception):
            mail_connection.close()
        OutboundEmail.objects.filter(pk__in=sent).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        return len(sent)


def unsent_email_ids(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Ids of e-mails in the current scope still unsent after ``older_than`` (for the sweep)."""
    cutoff = timezone.now() - older_than
    return list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lt=cutoff
        ).values_list("id", flat=True)[:500]
    )
