"""Pages of the setup area under /<vendor_slug>/scorecards/ (vendor staff only): the KPI
catalogue, templates and which template each distributor gets, the targets grid with its
import and export, ramp curves, entered values, exchange rates and the scorecard settings.

Vendor admins change everything; channel managers change targets and entered values and read
the rest; executives read. A distributor's people get 403 (their targets are on their own
scorecard pages)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from partners import roles
from partners.markets import COUNTRY_CHOICES
from partners.platform.exports import table_response
from partners.platform.web import apply_errors, page_context, requires
from scorecards.forms.setup import (
    ExchangeRateForm,
    KpiForm,
    RampCurveForm,
    ScorecardSettingsForm,
    TargetImportForm,
    TemplateForm,
)
from scorecards.models import KpiSource, PeriodKind
from scorecards.selectors import setup as selectors
from scorecards.selectors.policy import policy_get
from scorecards.services import entries as entry_services
from scorecards.services import kpis as kpi_services
from scorecards.services import target_import
from scorecards.services import targets as target_services
from scorecards.services.targets import RowsInvalid

readers = requires(roles.is_staff_reader)
catalogue_editors = requires(roles.is_vendor_admin)
target_editors = requires(roles.is_editor)


def _context(request, **extra) -> dict:
    actor = request.membership
    return {
        **page_context(request),
        "can_edit_catalogue": roles.is_vendor_admin(actor),
        "can_edit_targets": roles.is_editor(actor),
        **extra,
    }


# --- KPI catalogue ---------------------------------------------------------------------------


@require_GET
@readers
def kpi_list(request, vendor_slug):
    """The catalogue by family; an empty catalogue offers the standard one."""
    vendor, actor = request.vendor, request.membership
    families = selectors.kpi_list_by_family(vendor=vendor, actor=actor)
    return render(
        request,
        "scorecards/setup/kpi_list.html",
        _context(request, families=families, shapes=kpi_services.SOURCE_SHAPES),
    )


@require_POST
@catalogue_editors
def kpi_catalogue_start(request, vendor_slug):
    """Start from the standard catalogue (adds only what is missing)."""
    added = kpi_services.kpi_catalogue_start(vendor=request.vendor, actor=request.membership)
    messages.success(
        request,
        ngettext("%(count)s standard KPI added.", "%(count)s standard KPIs added.", added)
        % {"count": added},
    )
    return redirect("kpi-list", vendor_slug=request.vendor.slug)


def _kpi_form_page(request, kpi=None):
    vendor, actor = request.vendor, request.membership
    form = KpiForm(request.POST or None, instance=kpi)
    if request.method == "POST" and form.is_valid():
        try:
            if kpi is None:
                kpi_services.kpi_create(vendor=vendor, actor=actor, **form.cleaned_data)
            else:
                kpi_services.kpi_update(vendor=vendor, actor=actor, kpi=kpi, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("KPI saved."))
            return redirect("kpi-list", vendor_slug=vendor.slug)
    return render(
        request,
        "scorecards/setup/kpi_form.html",
        _context(request, form=form, kpi=kpi, computed_sources=list(kpi_services.SOURCE_SHAPES)),
        status=400 if form.errors else 200,
    )


@catalogue_editors
def kpi_create(request, vendor_slug):
    return _kpi_form_page(request)


@catalogue_editors
def kpi_edit(request, vendor_slug, pk):
    kpi = selectors.kpi_get_for_actor_or_404(vendor=request.vendor, actor=request.membership, pk=pk)
    return _kpi_form_page(request, kpi)


@require_POST
@catalogue_editors
def kpi_set_active(request, vendor_slug, pk):
    """Put a KPI out of use (or back): templates keep it, new templates cannot choose it."""
    vendor, actor = request.vendor, request.membership
    kpi = selectors.kpi_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    active = request.POST.get("active") == "1"
    kpi_services.kpi_update(vendor=vendor, actor=actor, kpi=kpi, is_active=active)
    messages.success(request, _("KPI back in use.") if active else _("KPI out of use."))
    return redirect("kpi-list", vendor_slug=vendor.slug)


# --- templates -------------------------------------------------------------------------------


@require_GET
@readers
def template_list(request, vendor_slug):
    """Templates with their KPIs, and which template each distributor gets (and why)."""
    vendor, actor = request.vendor, request.membership
    country = request.GET.get("country", "")
    return render(
        request,
        "scorecards/setup/template_list.html",
        _context(
            request,
            templates=selectors.template_list(vendor=vendor, actor=actor),
            uses=selectors.template_use_list(vendor=vendor, actor=actor, country=country),
            country=country,
            country_choices=COUNTRY_CHOICES,
        ),
    )


def _template_form_page(request, template=None):
    vendor, actor = request.vendor, request.membership
    kpis = selectors.kpi_list(vendor=vendor, actor=actor, active_only=True)
    form = TemplateForm(request.POST or None, kpis=kpis, template=template)
    if request.method == "POST" and form.is_valid():
        weights = form.kpi_weights()
        if weights is not None:
            try:
                kpi_services.template_save(
                    vendor=vendor,
                    actor=actor,
                    template=template,
                    name=form.cleaned_data["name"],
                    countries=form.cleaned_data["countries"],
                    is_default=form.cleaned_data["is_default"],
                    kpi_weights=weights,
                )
            except ValidationError as exc:
                errors = exc.message_dict
                form.kpi_errors = errors.pop("kpis", [])
                if errors:
                    apply_errors(form, ValidationError(errors))
            else:
                messages.success(request, _("Template saved."))
                return redirect("template-list", vendor_slug=vendor.slug)
    bad = request.method == "POST"
    return render(
        request,
        "scorecards/setup/template_form.html",
        _context(request, form=form, template=template, kpi_rows=form.kpi_rows()),
        status=400 if bad else 200,
    )


@catalogue_editors
def template_create(request, vendor_slug):
    return _template_form_page(request)


@catalogue_editors
def template_edit(request, vendor_slug, pk):
    template = selectors.template_get_for_actor_or_404(
        vendor=request.vendor, actor=request.membership, pk=pk
    )
    return _template_form_page(request, template)


@require_POST
@catalogue_editors
def template_assign(request, vendor_slug, pk):
    """Give one distributor a template of its own (empty choice: back to the usual rule)."""
    vendor, actor = request.vendor, request.membership
    distributor = selectors.distributor_get_for_setup_or_404(vendor=vendor, actor=actor, pk=pk)
    raw = request.POST.get("template", "")
    template = (
        selectors.template_get_for_actor_or_404(vendor=vendor, actor=actor, pk=raw)
        if raw.isdigit()
        else None
    )
    kpi_services.template_assign(
        vendor=vendor, actor=actor, distributor=distributor, template=template
    )
    messages.success(request, _("Template for %(name)s saved.") % {"name": distributor.name})
    return redirect(reverse("template-list", kwargs={"vendor_slug": vendor.slug}) + "#uses")


# --- targets grid ----------------------------------------------------------------------------


def _grid_setup(request, *, entered_only: bool):
    vendor, actor = request.vendor, request.membership
    query = request.GET if request.method == "GET" else request.POST
    period = selectors.grid_period(vendor=vendor, query=query)
    kpis = [
        k
        for k in selectors.kpi_list(vendor=vendor, actor=actor, active_only=True)
        if not entered_only or k.source == KpiSource.ENTERED
    ]
    code = query.get("kpi", "")
    kpi = next((k for k in kpis if k.code == code), kpis[0] if kpis else None)
    country = query.get("country", "")
    distributors = selectors.grid_distributors(vendor=vendor, actor=actor, country=country)
    return period, kpis, kpi, country, distributors


def _grid_query(period, kpi, country) -> str:
    key = "month" if period.kind == PeriodKind.MONTH else "quarter"
    params = {"period": period.kind, key: period.start.isoformat()}
    if kpi:
        params["kpi"] = kpi.code
    if country:
        params["country"] = country
    return urlencode(params)


def _typed(request, distributors, names) -> dict[int, dict]:
    return {d.pk: {n: request.POST.get(f"{n}_{d.pk}", "") for n in names} for d in distributors}


def _grid_page(
    request,
    *,
    entered_only,
    names,
    save,
    saved_text,
    url_name,
    stored,
    values_of,
    row_key,
    template,
):
    """A grid of one KPI and period, a row per distributor (targets or entered values): on a
    POST every row is checked by ``save`` (all or nothing); with errors each typed value stays,
    with its message beside the cell; once saved, back to the grid."""
    vendor, actor = request.vendor, request.membership
    if request.method == "POST" and not roles.is_editor(actor):
        raise PermissionDenied
    period, kpis, kpi, country, distributors = _grid_setup(request, entered_only=entered_only)
    typed, errors, status = {}, {}, 200
    if request.method == "POST" and kpi is not None:
        typed = _typed(request, distributors, names)
        try:
            result = save(
                vendor=vendor,
                actor=actor,
                kpi=kpi,
                period_kind=period.kind,
                period_start=period.start,
                distributors=distributors,
                values=typed,
            )
        except RowsInvalid as exc:
            errors, status = exc.rows, 400
            messages.error(request, _("Some rows need correcting; nothing was saved."))
        except ValidationError as exc:
            status = 400
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, saved_text % result)
            url = reverse(url_name, kwargs={"vendor_slug": vendor.slug})
            return redirect(f"{url}?{_grid_query(period, kpi, country)}")
    saved = stored(vendor=vendor, actor=actor, kpi=kpi, period=period) if kpi else {}
    rows = [
        {
            "distributor": d,
            row_key: saved.get(d.pk),
            "values": typed.get(d.pk) or values_of(saved.get(d.pk)),
            "errors": errors.get(d.pk, {}),
        }
        for d in distributors
    ]
    if request.htmx and request.htmx.target == "grid":
        template += "#grid"
    return render(
        request,
        template,
        _context(
            request,
            period=period,
            kpis=kpis,
            kpi=kpi,
            country=country,
            country_choices=COUNTRY_CHOICES,
            rows=rows,
            query=_grid_query(period, kpi, country),
        ),
        status=status,
    )


@readers
def target_grid(request, vendor_slug):
    """One KPI, one month or fiscal quarter, a row per distributor with base, stretch and
    exceed (as entered, before any ramp)."""
    return _grid_page(
        request,
        entered_only=False,
        names=target_services.LEVELS,
        save=target_services.target_grid_save,
        saved_text=_("Targets saved: %(created)s new, %(updated)s changed, %(removed)s removed."),
        url_name="target-grid",
        stored=selectors.grid_targets,
        values_of=lambda target: {
            n: (getattr(target, f"full_{n}").normalize() if target else "")
            for n in target_services.LEVELS
        },
        row_key="target",
        template="scorecards/setup/target_grid.html",
    )


@require_GET
@readers
def target_export(request, vendor_slug):
    """The grid's KPI and period as CSV or XLSX (``?format=xlsx``), readable by the import."""
    vendor, actor = request.vendor, request.membership
    period, _kpis, kpi, country, _d = _grid_setup(request, entered_only=False)
    if kpi is None:
        header: list[str] = ["Distributor id"]
        rows: list[list] = []
    else:
        header, rows = selectors.target_export_table(
            vendor=vendor, actor=actor, kpi=kpi, period=period, country=country
        )
    return table_response(
        header=header,
        rows=rows,
        kind="xlsx" if request.GET.get("format") == "xlsx" else "csv",
        filename=f"targets-{kpi.code if kpi else 'none'}-{period.kind}-{period.start}",
        sheet_title=_("Targets"),
    )


@target_editors
def target_import_page(request, vendor_slug):
    """Upload a targets file: every row is checked, nothing is written unless all are good;
    errors are listed by line and column."""
    vendor, actor = request.vendor, request.membership
    form = TargetImportForm(request.POST or None, request.FILES or None)
    row_errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        try:
            result = target_import.targets_import(
                vendor=vendor, actor=actor, file=form.cleaned_data["file"]
            )
        except RowsInvalid as exc:
            status = 400
            labels = target_import.COLUMN_LABELS
            for line, fields in exc.rows.items():
                for name, problems in fields.items():
                    row_errors.append(
                        {"line": line, "column": labels.get(name, name), "messages": problems}
                    )
        except ValidationError as exc:
            status = 400
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Targets imported: %(created)s new, %(updated)s changed.") % result,
            )
            return redirect("target-grid", vendor_slug=vendor.slug)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "scorecards/setup/target_import.html",
        _context(request, form=form, row_errors=row_errors),
        status=status,
    )


# --- ramp curves -----------------------------------------------------------------------------


@readers
def ramp_list(request, vendor_slug):
    """The ramp curves per market; a vendor admin adds or changes one (targets of periods not
    yet ended follow)."""
    vendor, actor = request.vendor, request.membership
    if request.method == "POST" and not roles.is_vendor_admin(actor):
        raise PermissionDenied
    form = RampCurveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                target_services.ramp_curve_save(
                    vendor=vendor,
                    actor=actor,
                    country=form.cleaned_data["country"],
                    percents=form.cleaned_data["percents"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Ramp curve saved; open targets follow it."))
                return redirect("ramp-list", vendor_slug=vendor.slug)
        status = 400
    return render(
        request,
        "scorecards/setup/ramp_list.html",
        _context(request, form=form, curves=selectors.ramp_curve_list(vendor=vendor, actor=actor)),
        status=status,
    )


@require_POST
@catalogue_editors
def ramp_delete(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    curve = selectors.ramp_curve_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    try:
        target_services.ramp_curve_delete(vendor=vendor, actor=actor, curve=curve)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Ramp curve removed."))
    return redirect("ramp-list", vendor_slug=vendor.slug)


# --- entered values --------------------------------------------------------------------------


@readers
def kpi_entry_list(request, vendor_slug):
    """Values of an entered KPI for a month or quarter, a row per distributor (value and
    note); same rules as the targets grid."""
    return _grid_page(
        request,
        entered_only=True,
        names=("value", "note"),
        save=entry_services.entry_grid_save,
        saved_text=_("Values saved: %(created)s new, %(updated)s changed, %(removed)s removed."),
        url_name="kpi-entry-list",
        stored=selectors.grid_entries,
        values_of=lambda entry: {
            "value": entry.value.normalize() if entry else "",
            "note": entry.note if entry else "",
        },
        row_key="entry",
        template="scorecards/setup/entry_grid.html",
    )


# --- exchange rates and settings -------------------------------------------------------------


@readers
def exchange_rate_list(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    if request.method == "POST" and not roles.is_vendor_admin(actor):
        raise PermissionDenied
    form = ExchangeRateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entry_services.exchange_rate_save(vendor=vendor, actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Rate saved."))
                return redirect("exchange-rate-list", vendor_slug=vendor.slug)
        status = 400
    return render(
        request,
        "scorecards/setup/rate_list.html",
        _context(
            request,
            form=form,
            rates=selectors.exchange_rate_list(vendor=vendor, actor=actor)[:200],
            policy=policy_get(vendor=vendor),
        ),
        status=status,
    )


@require_POST
@catalogue_editors
def exchange_rate_delete(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    rate = selectors.exchange_rate_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    entry_services.exchange_rate_delete(vendor=vendor, actor=actor, rate=rate)
    messages.success(request, _("Rate removed."))
    return redirect("exchange-rate-list", vendor_slug=vendor.slug)


@readers
def scorecard_settings(request, vendor_slug):
    """Reporting currency, fiscal year start and amber threshold (vendor admins change them)."""
    vendor, actor = request.vendor, request.membership
    if request.method == "POST" and not roles.is_vendor_admin(actor):
        raise PermissionDenied
    policy = policy_get(vendor=vendor)
    form = ScorecardSettingsForm(
        request.POST or None,
        instance=policy,
        initial={"fiscal_year_start_month": vendor.fiscal_year_start_month},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                kpi_services.scorecard_policy_update(
                    vendor=vendor, actor=actor, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Scorecard settings saved."))
                return redirect("scorecard-settings", vendor_slug=vendor.slug)
        status = 400
    return render(
        request, "scorecards/setup/settings.html", _context(request, form=form), status=status
    )
