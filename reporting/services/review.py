"""Review of handed-in reports by the vendor: acknowledge, return for correction, comment.

Vendor admins and channel managers review; executives and a distributor's people only read.
Every step is a ``ReportReview`` row (never edited) and an audit event; a return or a comment is
told to the distributor's active people through the outbox, each in their own language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Membership, Vendor
from partners.selectors import distributor_people
from partners.services.audit import audit_record
from partners.services.outbox import email_queue
from partners.zones import reader_zone_name
from reporting.models import Report, ReportReview, ReportReviewAction, ReportStatus
from reporting.models.reports import AWAITING_REVIEW_STATUSES, HANDED_IN_STATUSES
from reporting.services.schedule import report_link_create, report_link_url

COMMENT_MAX_LENGTH = 4000


def _check_reviewer(vendor: Vendor, actor: Membership | None, report: Report) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers review reports."))
    if report.vendor_id != vendor.id or actor.vendor_id != vendor.id:
        raise PermissionDenied


def _clean_comment(comment: str | None, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": _("Say what needs to be corrected.")})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": _("Keep the comment under %(max)s characters.")
                % {"max": COMMENT_MAX_LENGTH}
            }
        )
    return comment


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("distributor").get(pk=report.pk)


def report_edit_url(vendor: Vendor, report: Report) -> str:
    """The absolute link to the report's form (after a login)."""
    path = reverse("report-edit", kwargs={"vendor_slug": vendor.slug, "pk": report.pk})
    return f"{settings.SITE_URL}{path}"


def _tell_distributor(vendor: Vendor, report: Report, review: ReportReview, actor) -> int:
    """Queue the review e-mail to the distributor's active people (admins and users), once per
    review and person. A return carries each person's own signed link to the report's form (the
    reminders' one-time link: no login needed); a comment links to the report's page. Returns
    how many were queued."""
    people = distributor_people(vendor=vendor, distributor=report.distributor)
    queued = 0
    for person in people:
        url, personal = report_edit_url(vendor, report), False
        if review.action == ReportReviewAction.RETURN:
            _link, raw = report_link_create(vendor=vendor, report=report, membership=person)
            url, personal = report_link_url(vendor, raw), True
        email_queue(
            vendor=vendor,
            to=person.user.email,
            template="report_review",
            language=person.user.language or report.distributor.language or "en",
            time_zone=reader_zone_name(person),
            dedupe_key=f"report-review:{review.pk}:{person.user_id}",
            context={
                "action": review.action,
                "kind": report.kind,
                "period_start": report.period_start,
                "period_end": report.period_end,
                "distributor_name": report.distributor.name,
                "vendor_name": vendor.name,
                "reviewer_name": actor.user.full_name or actor.user.email,
                "comment": review.comment,
                "report_url": url,
                "personal_link": personal,
            },
        )
        queued += 1
    return queued


def _review_create(vendor, actor, report: Report, action: str, comment: str) -> ReportReview:
    return ReportReview.objects.create(
        vendor=vendor,
        report=report,
        action=action,
        comment=comment,
        version_number=report.version_count or None,
        author=actor,
    )


def _decide(
    *, vendor: Vendor, actor: Membership, report: Report, action: str, comment: str
) -> ReportReview:
    _check_reviewer(vendor, actor, report)
    required = action == ReportReviewAction.RETURN
    comment = _clean_comment(comment, required=required)
    with transaction.atomic():
        stored = _locked(report)
        if stored.status not in AWAITING_REVIEW_STATUSES:
            if stored.status == ReportStatus.ACKNOWLEDGED:
                message = _("This report has already been acknowledged.")
            elif stored.status == ReportStatus.RETURNED:
                message = _("This report has been returned and is waiting for a resubmission.")
            else:
                message = _("This report has not been handed in yet.")
            raise ValidationError({"status": message})
        before = stored.status
        now = timezone.now()
        stored.status = (
            ReportStatus.ACKNOWLEDGED
            if action == ReportReviewAction.ACKNOWLEDGE
            else ReportStatus.RETURNED
        )
        stored.reviewed_at = now
        stored.reviewed_by = actor
        stored.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
        review = _review_create(vendor, actor, stored, action, comment)
        audit_record(
            vendor=vendor,
            actor=actor,
            action=f"report.{action}",
            obj=stored,
            changes={
                "status": [before, stored.status],
                **({"comment": ["", comment]} if comment else {}),
            },
        )
        if action == ReportReviewAction.RETURN:
            _tell_distributor(vendor, stored, review, actor)
    report.status, report.reviewed_at, report.reviewed_by = (
        stored.status,
        stored.reviewed_at,
        stored.reviewed_by,
    )
    return review


def report_acknowledge(
    *, vendor: Vendor, actor: Membership, report: Report, comment: str = ""
) -> ReportReview:
    """Accept a submitted (or resubmitted) report as it is, with an optional comment.

    Anything else (a draft, a returned report, one already acknowledged) is refused with a
    ValidationError on ``status`` and changes nothing. The distributor is not e-mailed."""
    return _decide(
        vendor=vendor,
        actor=actor,
        report=report,
        action=ReportReviewAction.ACKNOWLEDGE,
        comment=comment,
    )


def report_return(
    *, vendor: Vendor, actor: Membership, report: Report, comment: str
) -> ReportReview:
    """Send a submitted (or resubmitted) report back for correction; ``comment`` (required)
    says what to fix. The status becomes ``returned`` (the distributor may edit and resubmit)
    and the distributor's active people are e-mailed, each in their language, with a link to
    the report's form."""
    return _decide(
        vendor=vendor, actor=actor, report=report, action=ReportReviewAction.RETURN, comment=comment
    )


def report_comment(
    *, vendor: Vendor, actor: Membership, report: Report, comment: str
) -> ReportReview:
    """Add a reviewer's comment to a handed-in report without changing its status; the
    distributor's active people are e-mailed the comment."""
    _check_reviewer(vendor, actor, report)
    comment = _clean_comment(comment, required=False)
    if not comment:
        raise ValidationError({"comment": _("Write a comment.")})
    with transaction.atomic():
        stored = _locked(report)
        if stored.status not in HANDED_IN_STATUSES:
            raise ValidationError({"status": _("This report has not been handed in yet.")})
        review = _review_create(vendor, actor, stored, ReportReviewAction.COMMENT, comment)
        audit_record(
            vendor=vendor,
            actor=actor,
            action="report.comment",
            obj=stored,
            changes={"comment": ["", comment]},
        )
        _tell_distributor(vendor, stored, review, actor)
    return review


def report_review_apply(
    *, vendor: Vendor, actor: Membership, report: Report, action: str, comment: str = ""
) -> ReportReview:
    """One entry point for the API: ``action`` is acknowledge, return or comment."""
    services: dict[str, Callable[..., ReportReview]] = {
        ReportReviewAction.ACKNOWLEDGE: report_acknowledge,
        ReportReviewAction.RETURN: report_return,
        ReportReviewAction.COMMENT: report_comment,
    }
    if action not in services:
        raise ValidationError({"action": _("Choose acknowledge, return or comment.")})
    return services[action](vendor=vendor, actor=actor, report=report, comment=comment)
