"""Pages for enablement: trainings and attendance, the training coverage overview and the
sales kit library. Views parse input and call a form, a service or a selector."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from partners import roles
from partners.forms.enablement import (
    AttendanceForm,
    AttendeesAddForm,
    SalesKitDocumentForm,
    SalesKitFilterForm,
    TrainingFilterForm,
    TrainingForm,
)
from partners.markets import COUNTRY_CHOICES
from partners.platform.uploads import document_response
from partners.platform.web import apply_errors, page_context, requires
from partners.selectors import enablement as selectors
from partners.selectors import profile as profile_selectors
from partners.services import enablement as services


def _product_lines(request):
    return profile_selectors.product_line_list_for_actor(
        vendor=request.vendor, actor=request.membership
    )


# --- trainings ------------------------------------------------------------------------------


def training_list(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    filters = TrainingFilterForm(request.GET or None, product_lines=_product_lines(request))
    kind, product_line = "", None
    if filters.is_valid():
        kind = filters.cleaned_data["kind"]
        product_line = filters.cleaned_data["product_line"]
    qs = selectors.training_list_for_actor(
        vendor=vendor, actor=actor, kind=kind, product_line=product_line
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    template = "partners/enablement/training_list.html"
    if request.htmx and request.htmx.target == "training-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            "filters": filters,
            "page": page,
            "filter_query": urlencode(
                {"kind": kind, "product_line": product_line.pk if product_line else ""}
            ),
        },
    )


@requires(roles.is_editor)
def training_create(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = TrainingForm(request.POST or None, product_lines=_product_lines(request))
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(vendor=vendor, actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Training recorded. Now add who attended."))
            return redirect("training-detail", vendor_slug=vendor.slug, pk=training.pk)
    return render(
        request, "partners/enablement/training_form.html", {**page_context(request), "form": form}
    )


def training_detail(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    training = selectors.training_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    attendances = selectors.attendance_list_for_actor(vendor=vendor, actor=actor, training=training)
    add_form = None
    if roles.is_editor(actor):
        add_form = AttendeesAddForm(
            contacts=selectors.attendee_choices_for_actor(
                vendor=vendor, actor=actor, training=training
            )
        )
    return render(
        request,
        "partners/enablement/training_detail.html",
        {
            **page_context(request),
            "training": training,
            "attendances": attendances,
            "add_form": add_form,
        },
    )


@requires(roles.is_editor)
def training_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    training = selectors.training_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = TrainingForm(
        request.POST or None, instance=training, product_lines=_product_lines(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.training_update(
                vendor=vendor, actor=actor, training=training, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training-detail", vendor_slug=vendor.slug, pk=training.pk)
    return render(
        request,
        "partners/enablement/training_form.html",
        {**page_context(request), "form": form, "training": training},
    )


@require_POST
@requires(roles.is_editor)
def training_attendees_add(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    training = selectors.training_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    contacts = selectors.attendee_choices_for_actor(vendor=vendor, actor=actor, training=training)
    form = AttendeesAddForm(request.POST, contacts=contacts)
    if form.is_valid():
        try:
            added = services.attendances_add(
                vendor=vendor, actor=actor, training=training, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)s attendee added.", "%(count)s attendees added.", len(added))
                % {"count": len(added)},
            )
            return redirect("training-detail", vendor_slug=vendor.slug, pk=training.pk)
    attendances = selectors.attendance_list_for_actor(vendor=vendor, actor=actor, training=training)
    return render(
        request,
        "partners/enablement/training_detail.html",
        {
            **page_context(request),
            "training": training,
            "attendances": attendances,
            "add_form": form,
        },
        status=400,
    )


@requires(roles.is_editor)
def attendance_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    attendance = selectors.attendance_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = AttendanceForm.for_attendance(attendance, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_update(
                vendor=vendor, actor=actor, attendance=attendance, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("training-detail", vendor_slug=vendor.slug, pk=attendance.training_id)
    return render(
        request,
        "partners/enablement/attendance_form.html",
        {**page_context(request), "form": form, "attendance": attendance},
    )


@require_POST
@requires(roles.is_editor)
def attendance_remove(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    attendance = selectors.attendance_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    training_id = attendance.training_id
    services.attendance_remove(vendor=vendor, actor=actor, attendance=attendance)
    messages.success(request, _("Attendee removed from the training."))
    return redirect("training-detail", vendor_slug=vendor.slug, pk=training_id)


def training_coverage(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    query = request.GET.get("q", "").strip()
    country = request.GET.get("country", "")
    qs = selectors.training_coverage_list_for_actor(
        vendor=vendor, actor=actor, search=query, country=country
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(d, selectors.coverage_of(d)) for d in page.object_list]
    template = "partners/enablement/coverage.html"
    if request.htmx and request.htmx.target == "coverage-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            "page": page,
            "rows": rows,
            "q": query,
            "country": country,
            "country_choices": COUNTRY_CHOICES,
            "filter_query": urlencode({"q": query, "country": country}),
        },
    )


# --- sales kit ------------------------------------------------------------------------------


def sales_kit_list(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    filters = SalesKitFilterForm(request.GET or None, product_lines=_product_lines(request))
    chosen: dict[str, Any] = {"category": "", "product_line": None, "language": ""}
    if filters.is_valid():
        chosen = {name: filters.cleaned_data[name] for name in chosen}
    qs = selectors.sales_kit_list_for_actor(vendor=vendor, actor=actor, **chosen)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    template = "partners/enablement/sales_kit_list.html"
    if request.htmx and request.htmx.target == "sales-kit-results":
        template += "#results"
    line = chosen["product_line"]
    return render(
        request,
        template,
        {
            **page_context(request),
            "filters": filters,
            "page": page,
            "filter_query": urlencode({**chosen, "product_line": line.pk if line else ""}),
        },
    )


@requires(roles.is_editor)
def sales_kit_upload(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = SalesKitDocumentForm(
        request.POST or None, request.FILES or None, product_lines=_product_lines(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sales_kit_document_create(vendor=vendor, actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document added to the sales kit."))
            return redirect("sales-kit-list", vendor_slug=vendor.slug)
    return render(
        request, "partners/enablement/sales_kit_form.html", {**page_context(request), "form": form}
    )


@requires(roles.is_editor)
def sales_kit_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    document = selectors.sales_kit_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = SalesKitDocumentForm(
        request.POST or None,
        request.FILES or None,
        instance=document,
        product_lines=_product_lines(request),
        replacing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sales_kit_document_update(
                vendor=vendor, actor=actor, document=document, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("sales-kit-list", vendor_slug=vendor.slug)
    return render(
        request,
        "partners/enablement/sales_kit_form.html",
        {**page_context(request), "form": form, "document": document},
    )


@require_POST
@requires(roles.is_editor)
def sales_kit_remove(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    document = selectors.sales_kit_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    services.sales_kit_document_delete(vendor=vendor, actor=actor, document=document)
    messages.success(request, _("Document removed from the sales kit."))
    return redirect("sales-kit-list", vendor_slug=vendor.slug)


def sales_kit_download(request, vendor_slug, pk):
    document = selectors.sales_kit_get_for_actor_or_404(
        vendor=request.vendor, actor=request.membership, pk=pk
    )
    return document_response(
        document.file, download_name=document.original_name, content_type=document.content_type
    )
