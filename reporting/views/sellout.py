"""Sell-out pages: the sales lines of a period (with totals per currency), outlets, uploads
(new upload, mapping, preview with errors, confirmation, progress polled by htmx) and the
export. Every member reads (a distributor's people their own distributor's data); vendor
admins, channel managers and a distributor's people upload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles
from partners.markets import CURRENCY_CHOICES
from partners.platform.exports import table_response
from partners.platform.web import CountedPaginator, apply_errors, page_context, requires
from reporting.forms.sellout import SalesMappingForm, SalesUploadForm
from reporting.models import SalesUploadStatus
from reporting.selectors import sellout as selectors
from reporting.sellout_fields import FIELDS, error_text
from reporting.services import sellout as services


def _filter_context(request, filters):
    vendor, actor = request.vendor, request.membership
    return {
        "filters": filters,
        # Staff search distributors by name (a drop-down of thousands was most of the page).
        "only_distributor": selectors.sales_filter_distributor(
            vendor=vendor, actor=actor, pk=filters.distributor
        ),
        "currency_choices": CURRENCY_CHOICES,
        "filter_query": urlencode(filters.as_query()),
    }


@requires(roles.is_member)
def sales_line_list(request, vendor_slug):
    """The sales lines of a period, newest first, with the period's totals per currency."""
    vendor, actor = request.vendor, request.membership
    filters = selectors.SalesFilters.from_params(request.GET)
    qs = selectors.sales_line_list_for_actor(vendor=vendor, actor=actor, filters=filters)
    totals = selectors.sales_totals(qs)
    # The totals count the same lines per currency: no second count of a month of lines.
    page = CountedPaginator(
        qs.select_related("distributor", "outlet", "product_line"),
        50,
        count=sum(total["lines"] for total in totals),
    ).get_page(request.GET.get("page"))
    template = "reporting/sellout/sales_list.html"
    if request.htmx and request.htmx.target == "sales-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            **_filter_context(request, filters),
            "page": page,
            "totals": totals,
            "can_upload": roles.is_contributor(actor),
        },
    )


@requires(roles.is_member)
def sales_outlet_list(request, vendor_slug):
    """The outlets (the distributors' customers) with their first and last billed dates."""
    vendor, actor = request.vendor, request.membership
    q = request.GET.get("q", "").strip()[:100]
    distributor = request.GET.get("distributor", "").strip()
    distributor_name = request.GET.get("distributor_name", "").strip()[:100]
    qs = selectors.outlet_list_for_actor(
        vendor=vendor, actor=actor, distributor=distributor, q=q, distributor_name=distributor_name
    )
    page = Paginator(qs.select_related("distributor"), 50).get_page(request.GET.get("page"))
    template = "reporting/sellout/outlet_list.html"
    if request.htmx and request.htmx.target == "outlet-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            "page": page,
            "q": q,
            "distributor_name": distributor_name,
            "only_distributor": selectors.sales_filter_distributor(
                vendor=vendor, actor=actor, pk=distributor
            ),
            "filter_query": urlencode(
                {
                    k: v
                    for k, v in (
                        ("q", q),
                        ("distributor", distributor),
                        ("distributor_name", distributor_name),
                    )
                    if v
                }
            ),
        },
    )


@requires(roles.is_member)
def sales_upload_list(request, vendor_slug):
    """The uploads the person reaches and, for those who upload, the form for a new file."""
    vendor, actor = request.vendor, request.membership
    can_upload = roles.is_contributor(actor)
    distributors = selectors.sales_distributor_choices(vendor=vendor, actor=actor)
    source = request.POST if request.method == "POST" else request.GET
    chosen = selectors.sales_filter_distributor(
        vendor=vendor, actor=actor, pk=source.get("distributor", "")
    )
    distributor_name = request.GET.get("distributor_name", "").strip()[:100]
    form = (
        SalesUploadForm(
            distributors=distributors,
            actor=actor,
            initial={"distributor": chosen.pk} if chosen else None,
        )
        if can_upload
        else None
    )
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        form = SalesUploadForm(request.POST, request.FILES, distributors=distributors, actor=actor)
        if form.is_valid():
            distributor = form.cleaned_data.get("distributor") or distributors.first()
            assert distributor is not None  # staff choose one; a distributor's people have theirs
            try:
                upload = services.sales_upload_create(
                    vendor=vendor,
                    actor=actor,
                    distributor=distributor,
                    file=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("sales-upload-detail", vendor_slug=vendor.slug, pk=upload.pk)
    page = Paginator(
        selectors.sales_upload_list_for_actor(vendor=vendor, actor=actor).select_related(
            "distributor", "uploaded_by__user"
        ),
        25,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/sellout/upload_list.html",
        {
            **page_context(request),
            "form": form,
            "page": page,
            "can_upload": can_upload,
            "chosen_distributor": chosen,
            "distributor_name": distributor_name,
            "distributor_matches": selectors.sales_upload_distributor_matches(
                vendor=vendor, actor=actor, name=distributor_name
            )
            if can_upload
            else [],
            "limit_mb": services.max_sales_upload_bytes() // 2**20,
            "fields": FIELDS,
        },
    )


@requires(roles.is_member)
def sales_upload_detail(request, vendor_slug, pk):
    """One upload: the mapping form, then the preview with every error, the confirmation, the
    progress (htmx polls the ``status`` partial while a worker is busy) and the summary."""
    vendor, actor = request.vendor, request.membership
    can_upload = roles.is_contributor(actor)
    if request.method == "POST" and not can_upload:
        raise PermissionDenied  # before the lookup: the same 403 for any id
    upload = selectors.sales_upload_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    mapping_form = SalesMappingForm(headers=upload.headers, initial_mapping=upload.mapping)
    if request.method == "POST":
        mapping_form = SalesMappingForm(
            request.POST, headers=upload.headers, initial_mapping=upload.mapping
        )
        if mapping_form.is_valid():
            try:
                services.sales_upload_map(
                    vendor=vendor, actor=actor, upload=upload, mapping=mapping_form.mapping()
                )
            except ValidationError as exc:
                apply_errors(mapping_form, exc)
            else:
                return redirect("sales-upload-detail", vendor_slug=vendor.slug, pk=upload.pk)
    template = "reporting/sellout/upload_detail.html"
    if request.htmx and request.htmx.target == "upload-status":
        template += "#status"
    preview_fields = [f for f in FIELDS if f.key in upload.mapping]
    preview_rows = [
        {
            "row": r["row"],
            "cells": [
                {
                    "label": f.label,
                    "value": r["values"].get(f.key, ""),
                    "error": f.key in r["errors"],
                }
                for f in preview_fields
            ],
        }
        for r in upload.preview
    ]
    failure = upload.failure or {}
    failure_text = failure.get("message") or (
        error_text(failure["code"]) if failure.get("code") else ""
    )
    return render(
        request,
        template,
        {
            **page_context(request),
            "upload": upload,
            "mapping_form": mapping_form,
            "can_upload": can_upload,
            "errors": selectors.sales_upload_errors(upload),
            "preview_fields": preview_fields,
            "preview_rows": preview_rows,
            "failure_text": failure_text,
            "statuses": SalesUploadStatus,
        },
    )


@require_POST
@requires(roles.is_contributor)
def sales_upload_confirm(request, vendor_slug, pk):
    """Start the import of a checked file without errors (once, however often it is sent)."""
    vendor, actor = request.vendor, request.membership
    upload = selectors.sales_upload_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    try:
        started = services.sales_upload_confirm(vendor=vendor, actor=actor, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not started:
            messages.info(request, _("This file was already handled; nothing was started again."))
    return redirect("sales-upload-detail", vendor_slug=vendor.slug, pk=upload.pk)


@requires(roles.is_member)
def sales_export(request, vendor_slug):
    """The period's lines with the list's filters, as CSV (UTF-8 with a BOM, so Excel reads
    Japanese names) or XLSX (``?kind=xlsx``)."""
    vendor, actor = request.vendor, request.membership
    kind = request.GET.get("kind", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404
    filters = selectors.SalesFilters.from_params(request.GET)
    rows = selectors.sales_export_rows(vendor=vendor, actor=actor, filters=filters)
    stamp = f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
    return table_response(
        header=selectors.EXPORT_HEADERS,
        rows=rows,
        kind=kind,
        filename=f"sales-{vendor.slug}-{stamp}",
        sheet_title="Sales",
    )
