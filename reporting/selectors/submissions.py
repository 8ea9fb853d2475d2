"""Reads for the partner's report form and the "Reports to do" panel of the partner's home."""

from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, cast

from django.db.models import Field
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst

from partners.models import Distributor, Membership, Vendor
from reporting.models import (
    MonthlySummary,
    Report,
    ReportReview,
    ReportReviewAction,
    ReportStatus,
    ReportVersion,
    WeeklyBlockerTag,
    WeeklyUpdate,
)
from reporting.models.reports import EDITABLE_STATUSES
from reporting.selectors.reports import report_list_for_actor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RECENT_HANDED_IN = 3
TODO_LIMIT = 12


def report_return_comment(
    *, vendor: Vendor, actor: Membership, report: Report
) -> ReportReview | None:
    """The reviewer's latest return for correction of a returned report (what to fix)."""
    if report.status != ReportStatus.RETURNED:
        return None
    return (
        ReportReview.objects.filter(vendor=vendor, report=report, action=ReportReviewAction.RETURN)
        .select_related("author__user")
        .order_by("-created_at", "-id")
        .first()
    )


def report_version_list_for_actor(*, vendor: Vendor, actor: Membership, report: Report):
    """The versions of a report the person reaches (the report was looked up for them)."""
    return ReportVersion.objects.filter(vendor=vendor, report=report).order_by("number")


def report_form_page(*, vendor: Vendor, actor: Membership, report: Report) -> dict:
    """What the form page shows besides the form: the due moment in the distributor's zone,
    whether it is overdue, the return comment and the last version handed in."""
    now = timezone.now()
    last_version = (
        ReportVersion.objects.filter(vendor=vendor, report=report).order_by("-number").first()
    )
    return {
        "report": report,
        "distributor": report.distributor,
        "overdue": report.is_overdue(now),
        "return_review": report_return_comment(vendor=vendor, actor=actor, report=report),
        "last_version": last_version,
    }


def reports_todo_panel(
    *, vendor: Vendor, actor: Membership, distributor: Distributor
) -> dict | None:
    """The partner home's "Reports to do": the distributor's reports not handed in yet or
    returned for correction, oldest due first, and the last few handed in. Only for the
    distributor's own people (staff review reports elsewhere)."""
    if not actor.is_distributor_role or actor.distributor_id != distributor.pk:
        return None
    reports = report_list_for_actor(vendor=vendor, actor=actor).filter(distributor=distributor)
    now = timezone.now()
    todo = list(reports.filter(status__in=EDITABLE_STATUSES).order_by("due_at", "id")[:TODO_LIMIT])
    for report in todo:
        report.overdue = report.is_overdue(now)  # type: ignore[attr-defined]  # for the template
    done = list(
        reports.exclude(status__in=EDITABLE_STATUSES)
        .filter(last_submitted_at__isnull=False)
        .order_by("-last_submitted_at", "-id")[:RECENT_HANDED_IN]
    )
    return {"todo": todo, "handed_in": done, "zone_name": distributor.time_zone}


def report_content_rows(report: Report, data: dict) -> list[tuple[StrOrPromise, list[str]]]:
    """The handed-in content as (label, lines) for reading: counts and amounts as numbers (money
    with its currency), blockers as "tag: text", priorities one per line."""
    model = WeeklyUpdate if report.is_weekly else MonthlySummary
    tags = dict(WeeklyBlockerTag.choices)
    currency = data.get("currency", "")
    rows = []
    for name, value in data.items():
        if name == "currency":
            continue
        label = capfirst(cast(Field, model._meta.get_field(name)).verbose_name)
        if name == "blockers":
            lines = [
                f"{tags.get(b.get('tag'), b.get('tag') or '—')}: {b.get('text', '')}" for b in value
            ]
        elif name == "priorities":
            lines = [str(p) for p in value]
        elif value is None or value == "":
            lines = []
        elif name in ("revenue", "forecast_revenue"):
            lines = [f"{number_format(decimal.Decimal(value), 2, force_grouping=True)} {currency}"]
        elif isinstance(value, int):
            lines = [number_format(value, force_grouping=True)]
        else:
            lines = [str(value)]
        rows.append((label, lines))
    return rows
