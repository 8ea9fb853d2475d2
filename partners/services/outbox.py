"""The e-mail outbox: a row first, delivery by a task, retries by a sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from partners.models import OutboundEmail, Vendor

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def render_email(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Subject, text body and HTML body of ``templates/emails/<template>.*`` in ``language``."""
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = render_to_string(f"emails/{template}.subject.txt", ctx)
        text = render_to_string(f"emails/{template}.txt", ctx)
        html = render_to_string(f"emails/{template}.html", ctx)
    return " ".join(subject.split()), text, html


def email_queue(
    *,
    vendor: Vendor | None,
    to: str,
    template: str,
    context: dict,
    language: str = "en",
    dedupe_key: str | None = None,
) -> OutboundEmail:
    """Write the e-mail to the outbox and deliver it once the transaction commits.

    With a ``dedupe_key`` the same e-mail is queued once however often this is called."""
    from partners.tasks import email_deliver_task

    subject, text, html = render_email(template=template, context=context, language=language)
    fields = dict(
        vendor=vendor,
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        template=template,
        language=language,
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
        vendor_id = vendor.id if vendor else None
        # robust: if the broker is down the row stays unsent and the sweep delivers it later.
        transaction.on_commit(lambda: email_deliver_task.delay(email.id, vendor_id), robust=True)
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send one queued e-mail if it is still unsent. Returns True when it was sent now.

    The row is locked while sending, so two workers never send it twice."""
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return False
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any delivery failure is retried by the sweep
            OutboundEmail.objects.filter(pk=email.pk).update(
                attempts=F("attempts") + 1, last_error=str(exc)[:2000]
            )
            logger.warning("E-mail %s not sent: %s", email.pk, exc)
            return False
        OutboundEmail.objects.filter(pk=email.pk).update(
            sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        return True


def unsent_email_ids(*, older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Ids of e-mails in the current scope still unsent after ``older_than`` (for the sweep)."""
    cutoff = timezone.now() - older_than
    return list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lt=cutoff
        ).values_list("id", flat=True)[:500]
    )
