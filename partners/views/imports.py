"""Bulk onboarding pages: the import and export page, the template files, the preview of an
uploaded file, its confirmation, and the export of the distributors a person can see."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles
from partners.forms.imports import ImportUploadForm
from partners.markets import COUNTRY_CHOICES
from partners.models import ImportStatus
from partners.platform.exports import XLSX_CONTENT_TYPE
from partners.platform.web import apply_errors, page_context, requires
from partners.selectors import imports as import_selectors
from partners.services import imports as import_services
from partners.services.imports.files import write_csv, write_xlsx

EXPORT_KINDS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "csv-cp932": ("csv", "text/csv; charset=shift_jis"),
    "xlsx": ("xlsx", XLSX_CONTENT_TYPE),
}


def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A generated spreadsheet as a download that no browser renders or caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def export_file(*, vendor, actor, kind: str, search: str = "", country: str = "") -> HttpResponse:
    """The export download in one of EXPORT_KINDS (shared by the page and the API)."""
    if kind not in EXPORT_KINDS:
        raise Http404
    rows = import_selectors.distributor_export_rows(
        vendor=vendor, actor=actor, search=search, country=country
    )
    extension, content_type = EXPORT_KINDS[kind]
    if extension == "xlsx":
        content = write_xlsx(rows)
    else:
        content = write_csv(rows, encoding="cp932" if kind == "csv-cp932" else "utf-8")
    stamp = timezone.localdate().isoformat()
    return file_response(
        content,
        filename=f"distributors-{vendor.slug}-{stamp}.{extension}",
        content_type=content_type,
    )


@requires(roles.is_staff_reader)
def import_page(request, vendor_slug):
    """How to fill the spreadsheet, the templates, the upload form, the export links and the
    latest uploads. Executives see the export part only."""
    vendor, actor = request.vendor, request.membership
    form = ImportUploadForm()
    if request.method == "POST":
        if not roles.is_editor(actor):
            raise PermissionDenied
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = import_services.import_batch_create(
                    vendor=vendor, actor=actor, file=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("distributor-import-preview", vendor_slug=vendor.slug, pk=batch.pk)
    q = request.GET.get("q", "").strip()
    country = request.GET.get("country", "")
    context = import_selectors.import_page_context(vendor=vendor, actor=actor)
    return render(
        request,
        "partners/imports/import.html",
        {
            **page_context(request),
            **context,
            "form": form,
            "can_import": roles.is_editor(actor),
            "q": q,
            "country": country,
            "country_choices": COUNTRY_CHOICES,
            "filter_query": urlencode({k: v for k, v in (("q", q), ("country", country)) if v}),
        },
    )


@requires(roles.is_editor)
def import_template(request, vendor_slug, kind):
    """An empty spreadsheet in the import layout (the XLSX has a "How to fill" sheet)."""
    vendor, actor = request.vendor, request.membership
    if kind == "csv":
        return file_response(
            write_csv([]),
            filename="distributors-template.csv",
            content_type="text/csv; charset=utf-8",
        )
    if kind == "xlsx":
        help_rows = import_selectors.import_help_rows(vendor=vendor, actor=actor)
        return file_response(
            write_xlsx([], help_rows=help_rows),
            filename="distributors-template.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    raise Http404


@requires(roles.is_editor)
def import_preview(request, vendor_slug, pk):
    """What confirming would do, row by row, with every error next to its row and column."""
    vendor, actor = request.vendor, request.membership
    batch = import_selectors.import_batch_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    preview = import_selectors.import_batch_preview(vendor=vendor, actor=actor, batch=batch)
    return render(
        request,
        "partners/imports/preview.html",
        {**page_context(request), "batch": batch, "preview": preview},
    )


@require_POST
@requires(roles.is_editor)
def import_confirm(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    batch = import_selectors.import_batch_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    already = batch.status
    try:
        batch = import_services.import_batch_confirm(vendor=vendor, actor=actor, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if already != batch.status:
            summary = batch.summary.get("result", {})
            messages.success(
                request,
                _(
                    "Imported: %(new)s distributors added, %(updated)s updated, %(contacts)s "
                    "contacts added."
                )
                % {
                    "new": len(summary.get("distributors_created", [])),
                    "updated": len(summary.get("distributors_updated", [])),
                    "contacts": summary.get("contacts_created", 0),
                },
            )
        else:
            messages.info(request, _("This file was already handled; nothing was imported again."))
    return redirect("distributor-import-preview", vendor_slug=vendor.slug, pk=batch.pk)


@require_POST
@requires(roles.is_editor)
def import_discard(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    batch = import_selectors.import_batch_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    batch = import_services.import_batch_discard(vendor=vendor, actor=actor, batch=batch)
    if batch.status == ImportStatus.DISCARDED:
        messages.info(request, _("The upload was discarded; nothing was imported."))
    else:
        messages.info(request, _("This file was already imported; it cannot be discarded."))
    return redirect("distributor-import", vendor_slug=vendor.slug)


@requires(roles.is_staff_reader)
def export(request, vendor_slug, kind):
    """The distributors the person sees, narrowed by the list's filters (q, country)."""
    return export_file(
        vendor=request.vendor,
        actor=request.membership,
        kind=kind,
        search=request.GET.get("q", "").strip(),
        country=request.GET.get("country", ""),
    )
