"""The partner's report form: fill in, autosave (htmx), save a draft, submit.

``report_form_handle`` and ``report_autosave_handle`` do the work for a report and a person
already resolved; the portal views below resolve them from the login, and the signed link of a
reminder e-mail (schedule area) resolves them from the link and calls the same two functions.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles
from partners.models import Membership, Vendor
from partners.platform.web import apply_errors, requires
from reporting.forms.submissions import MonthlySummaryForm, report_form_class
from reporting.models import Report
from reporting.selectors import submissions as submission_selectors
from reporting.selectors.reports import report_get_for_actor_or_404
from reporting.services import submissions as submission_services

SAVE, SUBMIT = "save", "submit"


def _check_may_fill(actor: Membership, report: Report) -> None:
    """Vendor staff read reports on the report's page; only the distributor's people fill them
    in (the lookup already 404s for another distributor's people)."""
    if (
        actor is None
        or not actor.is_distributor_role
        or actor.distributor_id != report.distributor_id
    ):
        raise PermissionDenied


def _make_form(report: Report, data=None, initial=None):
    form_class = report_form_class(report)
    kwargs = {"data": data, "initial": initial or {}}
    if form_class is MonthlySummaryForm:
        kwargs["currency"] = report.distributor.currency
    return form_class(**kwargs)


def _initial(vendor: Vendor, report: Report) -> tuple[dict, bool]:
    """The draft (or last submission) when there is one, else the previous period's carry-over.
    The flag says whether the values were carried over."""
    form_class = report_form_class(report)
    if report.content is not None:
        return form_class.initial_from(submission_services.report_content_data(report)), False
    prefill = submission_services.report_prefill(vendor=vendor, report=report)
    return form_class.initial_from(prefill), bool(prefill)


def report_form_handle(
    request,
    *,
    vendor: Vendor,
    actor: Membership,
    report: Report,
    form_url: str,
    autosave_url: str,
    done_url: str,
    template: str = "reporting/submissions/report_form.html",
    extra_context: dict | None = None,
) -> HttpResponse:
    """GET shows the form (the draft, or the previous period's carry-over); POST with
    ``action=save`` saves a draft and ``action=submit`` hands the report in. Errors re-render
    the page with everything typed kept and each message beside its field; success redirects
    (to ``form_url`` after a draft, to ``done_url`` after a submission).

    ``actor`` must already be resolved to the person filling in ``report`` (a login or a signed
    link): vendor staff get 403."""
    _check_may_fill(actor, report)
    carried = False
    if request.method == "POST" and report.is_editable:
        form = _make_form(report, data=request.POST)
        action = request.POST.get("action", SAVE)
        valid = form.is_valid()
        if not valid and action == SUBMIT:
            _add_submission_errors(vendor, actor, report, form)
        if valid and action == SUBMIT:
            data = form.to_data()
            try:
                submission_services.report_submit(
                    vendor=vendor, actor=actor, report=report, data=data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
                # Keep what was typed even if the tab is closed now: the draft saves it.
                _save_quietly(vendor, actor, report, data)
            else:
                # A "draft saved" still waiting to be shown is out of date now: the report is
                # handed in, and that is all the next page says.
                for _stale in messages.get_messages(request):
                    pass
                messages.success(request, _("Thank you: your report has been handed in."))
                return redirect(done_url)
        elif valid:
            try:
                submission_services.report_draft_save(
                    vendor=vendor, actor=actor, report=report, data=form.to_data()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Draft saved. You can come back to it any time."))
                return redirect(form_url)
        status = 200
    elif request.method == "POST":
        messages.error(request, _("This report has been handed in and can no longer be changed."))
        return redirect(form_url)
    else:
        initial, carried = _initial(vendor, report)
        form = _make_form(report, initial=initial)
        status = 200
    context = {
        "vendor": vendor,
        "actor": actor,
        "form": form,
        "carried": carried,
        "form_url": form_url,
        "autosave_url": autosave_url,
        "live_errors": True,  # an autosave answer replaces each field's errors
        **submission_selectors.report_form_page(vendor=vendor, actor=actor, report=report),
        **(extra_context or {}),
    }
    if not report.is_editable:
        context["handed_in"] = submission_selectors.report_content_rows(
            report, submission_services.report_content_data(report)
        )
    return render(request, template, context, status=status)


def _add_submission_errors(vendor, actor, report, form) -> None:
    """All errors at once: beside the fields the form refused, what the submission as a whole
    still lacks (required fields, a blocker without its tag, revenue against units). A field
    keeps its own error and is not also called missing."""
    try:
        submission_services.report_submit_check(
            vendor=vendor, actor=actor, report=report, data=form.to_data(whole=True)
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            form.add_error(None, exc.messages)
            return
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if target is None or target not in form.errors:
                form.add_error(target, errors)


def _save_quietly(vendor, actor, report, data) -> None:
    with contextlib.suppress(ValidationError):
        submission_services.report_draft_save(vendor=vendor, actor=actor, report=report, data=data)


def report_autosave_handle(
    request, *, vendor: Vendor, actor: Membership, report: Report
) -> HttpResponse:
    """htmx autosave of the form: saves every field that is well-formed as a draft and answers
    with the small "Draft saved 10:42" status line (or why it did not save) and, out of band,
    each field's errors beside it (empty for a field now fine). The inputs are not swapped, so
    what was typed stays as typed."""
    _check_may_fill(actor, report)
    saved_at, problem, form = None, "", None
    if not report.is_editable:
        problem = _("This report has been handed in and can no longer be changed.")
    else:
        form = _make_form(report, data=request.POST)
        form.is_valid()
        try:
            submission_services.report_draft_save(
                vendor=vendor, actor=actor, report=report, data=form.to_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            problem = _("Some fields could not be saved yet: check them before you submit.")
        else:
            saved_at = report.draft_saved_at
            if form.errors:
                problem = _("Some fields could not be saved yet: check them before you submit.")
    return render(
        request,
        "reporting/submissions/report_form.html#autosave-answer",
        {"report": report, "saved_at": saved_at, "problem": problem, "form": form or ()},
    )


# --- the portal views --------------------------------------------------------------------------


def _done_url(vendor: Vendor, report: Report) -> str:
    """The report's page: what was handed in, its versions and reviews."""
    return reverse("report-detail", kwargs={"vendor_slug": vendor.slug, "pk": report.pk})


@requires(roles.is_distributor_person)
def report_edit(request, vendor_slug, pk):
    """The form of one of the distributor's reports. Vendor staff get 403 (before the lookup,
    as every portal page that is not theirs): they read the report's page instead."""
    vendor, actor = request.vendor, request.membership
    report = report_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    return report_form_handle(
        request,
        vendor=vendor,
        actor=actor,
        report=report,
        form_url=reverse("report-edit", kwargs={"vendor_slug": vendor.slug, "pk": report.pk}),
        autosave_url=reverse(
            "report-autosave", kwargs={"vendor_slug": vendor.slug, "pk": report.pk}
        ),
        done_url=_done_url(vendor, report),
    )


@require_POST
@requires(roles.is_distributor_person)
def report_autosave(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    report = report_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    return report_autosave_handle(request, vendor=vendor, actor=actor, report=report)
