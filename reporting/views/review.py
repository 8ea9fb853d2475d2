"""Pages of the review area: the reports list (the review inbox for vendor staff, their own
reports for a distributor's people), one report with its versions and review history, the
review actions, and the export of submissions as CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partners import roles
from partners.markets import COUNTRY_CHOICES
from partners.platform.exports import table_response
from partners.platform.web import apply_errors, page_context, requires
from reporting.forms.review import review_form
from reporting.models import ReportKind, ReportStatus, WeeklyBlockerTag
from reporting.selectors import review as review_selectors
from reporting.selectors.reports import report_get_for_actor_or_404
from reporting.selectors.review import ALL, LATE, MISSED, WAITING, InboxFilters
from reporting.services import review as review_services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25
EXPORT_DEFAULT_DAYS = 92


def _status_choices(actor) -> list[tuple[str, StrOrPromise]]:
    choices: list[tuple[str, StrOrPromise]] = [(ALL, _("All statuses"))]
    if actor.is_staff_role:
        choices.insert(0, (WAITING, _("Waiting for review")))
    choices += [(value, label) for value, label in ReportStatus.choices]
    choices += [(LATE, _("Handed in late")), (MISSED, _("Missed"))]
    return choices


@require_GET
def report_list(request, vendor_slug):
    """Vendor staff: the review inbox (waiting for review by default). A distributor's people:
    their own distributor's reports, with a button to fill in those still editable."""
    vendor, actor = request.vendor, request.membership
    filters = InboxFilters.from_query(
        request.GET, default_status=WAITING if actor.is_staff_role else ALL
    )
    if actor.is_distributor_role:
        filters.distributor, filters.distributor_name = None, ""
        filters.country, filters.mine = "", False
    qs = review_selectors.report_inbox(vendor=vendor, actor=actor, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = review_selectors.report_inbox_counts(vendor=vendor, actor=actor, filters=filters)
    template = "reporting/review/report_list.html"
    if request.htmx and request.htmx.target == "report-results":
        template += "#results"
    query = {k: v for k, v in filters.query().items() if v}
    return render(
        request,
        template,
        {
            **page_context(request),
            "page": page,
            "filters": filters,
            "counts": counts,
            "status_choices": [
                (value, label, counts.get(value)) for value, label in _status_choices(actor)
            ],
            "kind_choices": ReportKind.choices,
            "country_choices": COUNTRY_CHOICES if actor.is_staff_role else [],
            "only_distributor": (
                review_selectors.inbox_distributor_get(
                    vendor=vendor, actor=actor, pk=filters.distributor
                )
                if actor.is_staff_role
                else None
            ),
            "filter_query": urlencode(query),
            "export_query": urlencode(query),
            "may_review": roles.is_editor(actor),
            "now": timezone.now(),
        },
    )


def _detail_context(request, pk, *, version=None, form=None) -> dict:
    vendor, actor = request.vendor, request.membership
    page = review_selectors.report_page(vendor=vendor, actor=actor, pk=pk, version=version)
    may_review = roles.is_editor(actor)
    return {
        **page_context(request),
        "page": page,
        "report": page.report,
        "content_rows": review_selectors.content_rows(page.report.kind, page.data),
        "may_review": may_review,
        "blocker_tags": WeeklyBlockerTag.choices,
        "review_form": form or review_form(),
    }


@require_GET
def report_detail(request, vendor_slug, pk):
    """A report as handed in (latest version, or ``?version=N``), its versions and its review
    history; reviewers get the actions."""
    version = request.GET.get("version", "")
    context = _detail_context(request, pk, version=int(version) if version.isdigit() else None)
    return render(request, "reporting/review/report_detail.html", context)


def _review_action(request, pk, action: str):
    vendor, actor = request.vendor, request.membership
    report = report_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = review_form(request.POST, action=action)
    if form.is_valid():
        service = {
            "acknowledge": review_services.report_acknowledge,
            "return": review_services.report_return,
            "comment": review_services.report_comment,
        }[action]
        try:
            service(vendor=vendor, actor=actor, report=report, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            if "status" in getattr(exc, "error_dict", {}):
                # Not a field error: the report is no longer in a state for this step.
                for message in exc.message_dict["status"]:
                    messages.error(request, message)
                context = _detail_context(request, pk)
                return render(request, "reporting/review/report_detail.html", context, status=409)
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                {
                    "acknowledge": _("Report acknowledged."),
                    "return": _("Report returned for correction; the distributor has been told."),
                    "comment": _("Comment added; the distributor has been told."),
                }[action],
            )
            return redirect(
                reverse("report-detail", kwargs={"vendor_slug": vendor.slug, "pk": report.pk})
            )
    context = _detail_context(request, pk, form=form)
    return render(request, "reporting/review/report_detail.html", context, status=400)


@require_POST
@requires(roles.is_editor)
def report_acknowledge(request, vendor_slug, pk):
    return _review_action(request, pk, "acknowledge")


@require_POST
@requires(roles.is_editor)
def report_return(request, vendor_slug, pk):
    return _review_action(request, pk, "return")


@require_POST
@requires(roles.is_editor)
def report_comment(request, vendor_slug, pk):
    return _review_action(request, pk, "comment")


# --- export ------------------------------------------------------------------------------------


@require_GET
def report_export(request, vendor_slug):
    """The reports of the inbox's filters (default: every status of the last three months) as CSV (UTF-8 with BOM, so
    Excel reads Japanese) or XLSX (``?format=xlsx``), one row per report with every content
    column of its latest submission and its status, lateness and missed flag."""
    vendor, actor = request.vendor, request.membership
    filters = InboxFilters.from_query(request.GET, default_status=ALL)
    if filters.period_from is None and filters.period_to is None:
        # Without a period, the last three months (not years of history in one file).
        filters.period_from = timezone.localdate() - dt.timedelta(days=EXPORT_DEFAULT_DAYS)
    if actor.is_distributor_role:
        filters.distributor, filters.distributor_name = None, ""
        filters.country, filters.mine = "", False
    header, rows = review_selectors.report_export_table(vendor=vendor, actor=actor, filters=filters)
    return table_response(
        header=header,
        rows=rows,
        kind="xlsx" if request.GET.get("format") == "xlsx" else "csv",
        filename=f"reports-{timezone.localdate().isoformat()}",
        sheet_title=_("Reports"),
    )
