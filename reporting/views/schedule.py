"""Pages of the reporting schedule: the vendor's calendar, signed links from reminder e-mails
(and the one form they open), and the distributor's calendar (ICS) feed of due moments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles
from partners import selectors as partner_selectors
from partners.platform.web import apply_errors, page_context, requires, tenant_public
from partners.zones import reader_zone
from reporting.forms.schedule import DueCountryForm, ReportingCalendarForm, ReportingClosureForm
from reporting.models import ReportKind
from reporting.selectors import schedule as schedule_selectors
from reporting.services import schedule as schedule_services
from reporting.services.schedule import LinkProblem

GRANTS_KEY = "report_link_grants"
GRANT_HOURS = 12


# --- the calendar page -------------------------------------------------------------------------


def _calendar_url(vendor) -> str:
    return reverse("reporting-calendar", kwargs={"vendor_slug": vendor.slug})


def _calendar_page(request, *, calendar_form=None, closure_form=None, status=200):
    vendor, actor = request.vendor, request.membership
    country_form = DueCountryForm(request.GET or None)
    country = "JP"
    if country_form.is_valid() and country_form.cleaned_data["country"]:
        country = country_form.cleaned_data["country"]
    settings_row = schedule_services.cal.calendar_for(vendor)
    return render(
        request,
        "reporting/schedule/calendar.html",
        {
            **page_context(request),
            "may_edit": roles.is_vendor_admin(actor),
            "settings_row": settings_row,
            "calendar_form": calendar_form or ReportingCalendarForm(instance=settings_row),
            "closure_form": closure_form or ReportingClosureForm(),
            "closures": schedule_selectors.closure_list(vendor=vendor, actor=actor),
            "country_form": country_form,
            "country": country,
            "due_moments": schedule_selectors.next_due_moments(
                vendor=vendor, actor=actor, country=country
            ),
        },
        status=status,
    )


@requires(roles.is_staff_reader)
def reporting_calendar(request, vendor_slug):
    """The vendor's reporting calendar: vendor admins edit it, other staff read it."""
    vendor, actor = request.vendor, request.membership
    if request.method != "POST":
        return _calendar_page(request)
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied
    form = ReportingCalendarForm(request.POST, instance=schedule_services.cal.calendar_for(vendor))
    if form.is_valid():
        try:
            schedule_services.reporting_calendar_update(
                vendor=vendor, actor=actor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The reporting calendar is saved."))
            return redirect(_calendar_url(vendor))
    return _calendar_page(request, calendar_form=form)


@require_POST
@requires(roles.is_vendor_admin)
def reporting_closure_create(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = ReportingClosureForm(request.POST)
    if form.is_valid():
        try:
            schedule_services.reporting_closure_create(
                vendor=vendor, actor=actor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Closure added."))
            return redirect(_calendar_url(vendor))
    return _calendar_page(request, closure_form=form)


@require_POST
@requires(roles.is_vendor_admin)
def reporting_closure_delete(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    closure = schedule_selectors.closure_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    schedule_services.reporting_closure_delete(vendor=vendor, actor=actor, closure=closure)
    messages.success(request, _("Closure removed."))
    return redirect(_calendar_url(vendor))


# --- signed links ------------------------------------------------------------------------------


def report_edit_url(vendor, report_id: int) -> str:
    """The report's form for a logged-in person (the submissions area's page)."""
    return reverse("report-edit", kwargs={"vendor_slug": vendor.slug, "pk": report_id})


def _link_problem_page(request, problem: str, *, language: str | None = None, next_url=None):
    """A page that says in plain words why a link does not open the form, and offers the
    login. Unknown links (and pages without a grant) are a 404 that names no workspace, the
    same whether the workspace, the link or the report exists; expired, used and revoked
    links are a 410 in the link's person's language."""
    gone = problem in (LinkProblem.EXPIRED, LinkProblem.USED, LinkProblem.REVOKED)
    with translation.override(language or translation.get_language()):
        return render(
            request,
            "reporting/schedule/link_problem.html",
            {
                "vendor": request.vendor if gone else None,
                "actor": None,
                "problem": problem,
                "login_url": reverse("login"),
                "next_url": next_url,
                "logged_in": request.user.is_authenticated,
            },
            status=410 if gone else 404,
        )


def _grants(request) -> dict:
    return request.session.get(GRANTS_KEY) or {}


def _grant_store(request, vendor, link, now) -> None:
    grants = {
        key: grant
        for key, grant in _grants(request).items()
        if dt.datetime.fromisoformat(grant["expires"]) > now
    }
    expires = min(link.expires_at, now + dt.timedelta(hours=GRANT_HOURS))
    grants[f"{vendor.id}:{link.report_id}"] = {
        "vendor": vendor.id,
        "report": link.report_id,
        "membership": link.membership_id,
        "expires": expires.isoformat(),
    }
    request.session[GRANTS_KEY] = grants


def _granted(request, vendor, report_id: int):
    """The (membership, report) a valid grant in this session gives for this report, or
    (None, None)."""
    if vendor is None:
        return None, None
    grant = _grants(request).get(f"{vendor.id}:{report_id}")
    if not grant or grant.get("vendor") != vendor.id or grant.get("report") != report_id:
        return None, None
    if dt.datetime.fromisoformat(grant["expires"]) <= timezone.now():
        return None, None
    membership, report = schedule_selectors.report_for_grant(
        vendor=vendor, membership_id=grant["membership"], report_id=report_id
    )
    if membership is None:
        return None, None
    # Logged in as somebody else: the grant is not theirs to use.
    if request.user.is_authenticated and request.user.pk != membership.user_id:
        return None, None
    return membership, report


@tenant_public
def report_link(request, vendor_slug, token):
    """The link in a reminder e-mail: checks it, marks it used, gives this browser a grant to
    that one report's form for that one person, and sends it there."""
    vendor = request.vendor
    if vendor is None:
        return _link_problem_page(request, LinkProblem.UNKNOWN)
    result = schedule_services.report_link_check(vendor=vendor, raw_token=token)
    if result.link is None:
        return _link_problem_page(request, LinkProblem.UNKNOWN)
    link = result.link
    language = link.membership.user.language or link.report.distributor.language
    next_url = report_edit_url(vendor, link.report_id)
    if request.user.is_authenticated:
        if request.user.pk != link.membership.user_id:
            # Someone else's link: the same answer as a link that does not exist.
            return _link_problem_page(request, LinkProblem.UNKNOWN)
        if result.problem != LinkProblem.REVOKED:
            return redirect(next_url)
    if result.problem:
        return _link_problem_page(request, result.problem, language=language, next_url=next_url)
    now = timezone.now()
    result = schedule_services.report_link_redeem(vendor=vendor, raw_token=token, now=now)
    if result.problem:
        return _link_problem_page(request, result.problem, language=language, next_url=next_url)
    _grant_store(request, vendor, result.link, now)
    response = redirect(
        reverse("report-link-form", kwargs={"vendor_slug": vendor.slug, "pk": link.report_id})
    )
    if not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


def _submissions():
    # The form itself belongs to the submissions area.
    from reporting.views import submissions

    return submissions


def _link_urls(vendor, pk) -> dict:
    kwargs = {"vendor_slug": vendor.slug, "pk": pk}
    return {
        "form_url": reverse("report-link-form", kwargs=kwargs),
        "autosave_url": reverse("report-link-autosave", kwargs=kwargs),
    }


@tenant_public
def report_link_form(request, vendor_slug, pk):
    """One report's form for the one person a signed link was for (no login)."""
    membership, report = _granted(request, request.vendor, pk)
    if membership is None:
        # The same page whether the report exists or not, for everyone: a logged-in person
        # uses the report's usual page instead.
        return _link_problem_page(request, "no_grant", next_url=request.path)
    urls = _link_urls(request.vendor, pk)
    # The visitor is not logged in: the page offers only what the link opens, and the login.
    login_url = f"{reverse('login')}?{urlencode({'next': report_edit_url(request.vendor, pk)})}"
    with timezone.override(reader_zone(membership)):
        return _submissions().report_form_handle(
            request,
            vendor=request.vendor,
            actor=membership,
            report=report,
            form_url=urls["form_url"],
            autosave_url=urls["autosave_url"],
            done_url=urls["form_url"],
            extra_context={"link_visitor": True, "link_login_url": login_url},
        )


@tenant_public
def report_link_autosave(request, vendor_slug, pk):
    """Autosave of the form opened by a signed link (htmx)."""
    membership, report = _granted(request, request.vendor, pk)
    if membership is None:
        return _link_problem_page(request, "no_grant")
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    with timezone.override(reader_zone(membership)):
        return _submissions().report_autosave_handle(
            request, vendor=request.vendor, actor=membership, report=report
        )


# --- the due-date feed -------------------------------------------------------------------------


def _ics_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545, 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _ics_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def due_date_ics(*, vendor, distributor, events: list[dict], now: dt.datetime) -> str:
    language = distributor.language or "en"
    with translation.override(language):
        calendar_name = _("%(distributor)s: reporting due dates") % {
            "distributor": distributor.name
        }
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Partnerdesk//Reporting due dates//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:{_ics_text(calendar_name)}",
        ]
        for event in events:
            kind_label = str(ReportKind(event["kind"]).label)
            summary = _("%(kind)s due (%(start)s – %(end)s)") % {
                "kind": kind_label,
                "start": event["period_start"].isoformat(),
                "end": event["period_end"].isoformat(),
            }
            description = _("%(kind)s of %(distributor)s for %(start)s – %(end)s.") % {
                "kind": kind_label,
                "distributor": distributor.name,
                "start": event["period_start"].isoformat(),
                "end": event["period_end"].isoformat(),
            }
            uid = (
                f"{event['kind']}-{event['period_start']:%Y%m%d}-d{distributor.pk}"
                f"@{vendor.slug}.partnerdesk"
            )
            lines += [
                "BEGIN:VEVENT",
                f"UID:{uid}",
                f"DTSTAMP:{_ics_utc(now)}",
                f"DTSTART:{_ics_utc(event['due_at'])}",
                "DURATION:PT30M",
                f"SUMMARY:{_ics_text(summary)}",
                f"DESCRIPTION:{_ics_text(description)}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)


@tenant_public
def due_date_feed(request, vendor_slug, token):
    """The distributor's due moments as an ICS calendar, behind a secret address."""
    vendor = request.vendor
    if vendor is None:
        raise Http404
    feed = schedule_selectors.due_date_feed_by_token(vendor=vendor, token=token)
    now = timezone.now()
    events = schedule_selectors.due_date_feed_events(
        vendor=vendor, distributor=feed.distributor, now=now
    )
    body = due_date_ics(vendor=vendor, distributor=feed.distributor, events=events, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="due-dates.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@requires(roles.can_manage_feed)
def due_date_feed_page(request, vendor_slug, pk):
    """The secret calendar address of a distributor's due dates, and a button to change it."""
    vendor, actor = request.vendor, request.membership
    distributor = partner_selectors.distributor_get_for_actor_or_404(
        vendor=vendor, actor=actor, pk=pk
    )
    feed = schedule_selectors.due_date_feed_for_distributor(vendor=vendor, distributor=distributor)
    feed_url = None
    if feed is not None:
        feed_url = request.build_absolute_uri(
            reverse("due-date-feed", kwargs={"vendor_slug": vendor.slug, "token": feed.token})
        )
    return render(
        request,
        "reporting/schedule/due_date_feed.html",
        {**page_context(request), "distributor": distributor, "feed": feed, "feed_url": feed_url},
    )


@require_POST
@requires(roles.can_manage_feed)
def due_date_feed_rotate(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    distributor = partner_selectors.distributor_get_for_actor_or_404(
        vendor=vendor, actor=actor, pk=pk
    )
    schedule_services.due_date_feed_rotate(vendor=vendor, actor=actor, distributor=distributor)
    messages.success(request, _("The calendar has a new address; the old one no longer works."))
    return redirect(
        reverse("due-date-feed-page", kwargs={"vendor_slug": vendor.slug, "pk": distributor.pk})
    )
