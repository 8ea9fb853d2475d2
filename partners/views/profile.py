"""Pages for distributor profiles: the vendor's catalogue (product lines, territories),
contacts, carried brands, status changes and partner selection.

Who may do what (the services check the same rules):
* catalogue: vendor staff read, vendor admins and channel managers edit; distributor roles 403
  (their own territories and product lines are on their distributor page);
* contacts: vendor admins and channel managers edit any distributor's, a distributor admin its
  own distributor's; others 403; another distributor's contact is a 404;
* carried brands, status: vendor admins and channel managers edit;
* selection: vendor staff read, vendor admins and channel managers edit, only a vendor admin
  overrides; distributor roles 403 (the due diligence on them is the vendor's business).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles, selectors
from partners.forms.profile import (
    CarriedBrandForm,
    ContactForm,
    ProductLineForm,
    SelectionForm,
    SelectionOverrideForm,
    StatusChangeForm,
    TerritoryForm,
)
from partners.models import DistributorContact
from partners.platform.web import apply_errors, page_context, requires
from partners.rules import status_choices_for
from partners.selectors import profile as profile_selectors
from partners.services import profile as profile_services
from partners.services import selection as selection_services


def _to_distributor(request, distributor_pk: int):
    return redirect("distributor-detail", vendor_slug=request.vendor.slug, pk=distributor_pk)


# --- catalogue -------------------------------------------------------------------------------


def _catalogue_list(request, *, kind: str):
    vendor, actor = request.vendor, request.membership
    if not roles.is_staff_reader(actor):  # the catalogue pages are for vendor staff
        raise PermissionDenied
    if request.method == "POST" and not roles.is_editor(actor):
        raise PermissionDenied
    form_class: type[forms.ModelForm]
    create: Callable[..., Any]
    rows: QuerySet[Any]
    if kind == "product_line":
        form_class, create = ProductLineForm, profile_services.product_line_create
        rows = profile_selectors.product_line_list_for_actor(vendor=vendor, actor=actor)
        template, route = "partners/profile/product_line_list.html", "product-line-list"
        done = _("Product line added.")
    else:
        form_class, create = TerritoryForm, profile_services.territory_create
        rows = profile_selectors.territory_list_for_actor(vendor=vendor, actor=actor)
        template, route = "partners/profile/territory_list.html", "territory-list"
        done = _("Territory added.")
    form = form_class(request.POST or None) if roles.is_editor(actor) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            create(vendor=vendor, actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(route, vendor_slug=vendor.slug)
    return render(request, template, {**page_context(request), "form": form, "rows": rows})


def product_line_list(request, vendor_slug):
    return _catalogue_list(request, kind="product_line")


def territory_list(request, vendor_slug):
    return _catalogue_list(request, kind="territory")


@requires(roles.is_editor)
def product_line_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    line = profile_selectors.product_line_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = ProductLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.product_line_update(
                vendor=vendor, actor=actor, product_line=line, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("product-line-list", vendor_slug=vendor.slug)
    return render(
        request,
        "partners/profile/catalogue_form.html",
        {**page_context(request), "form": form, "object": line, "back": "product-line-list"},
    )


@requires(roles.is_editor)
def territory_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    territory = profile_selectors.territory_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = TerritoryForm(request.POST or None, instance=territory)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.territory_update(
                vendor=vendor, actor=actor, territory=territory, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("territory-list", vendor_slug=vendor.slug)
    return render(
        request,
        "partners/profile/catalogue_form.html",
        {**page_context(request), "form": form, "object": territory, "back": "territory-list"},
    )


# --- contacts --------------------------------------------------------------------------------


def _contact_form_page(request, *, distributor, contact: DistributorContact | None):
    vendor, actor = request.vendor, request.membership
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            if contact is None:
                profile_services.contact_create(
                    vendor=vendor, actor=actor, distributor=distributor, **form.cleaned_data
                )
            else:
                profile_services.contact_update(
                    vendor=vendor, actor=actor, contact=contact, **form.cleaned_data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return _to_distributor(request, distributor.pk)
    return render(
        request,
        "partners/profile/contact_form.html",
        {**page_context(request), "form": form, "distributor": distributor, "contact": contact},
    )


@requires(roles.can_edit_distributor_records)
def contact_create(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    distributor = selectors.distributor_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    return _contact_form_page(request, distributor=distributor, contact=None)


@requires(roles.can_edit_distributor_records)
def contact_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    contact = profile_selectors.contact_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    return _contact_form_page(request, distributor=contact.distributor, contact=contact)


@require_POST
@requires(roles.can_edit_distributor_records)
def contact_set_active(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    contact = profile_selectors.contact_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    active = request.POST.get("active") == "1"
    profile_services.contact_set_active(vendor=vendor, actor=actor, contact=contact, active=active)
    messages.success(request, _("Contact restored.") if active else _("Contact deactivated."))
    return _to_distributor(request, contact.distributor_id)


# --- carried brands --------------------------------------------------------------------------


@requires(roles.is_editor)
def carried_brand_create(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    distributor = selectors.distributor_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = CarriedBrandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.carried_brand_add(
                vendor=vendor, actor=actor, distributor=distributor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Brand added."))
            return _to_distributor(request, distributor.pk)
    return render(
        request,
        "partners/profile/carried_brand_form.html",
        {**page_context(request), "form": form, "distributor": distributor},
    )


@require_POST
@requires(roles.is_editor)
def carried_brand_remove(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    brand = profile_selectors.carried_brand_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    distributor_pk = brand.distributor_id
    profile_services.carried_brand_remove(vendor=vendor, actor=actor, brand=brand)
    messages.success(request, _("Brand removed."))
    return _to_distributor(request, distributor_pk)


# --- status ----------------------------------------------------------------------------------


@requires(roles.is_editor)
def distributor_status(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    distributor = selectors.distributor_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = StatusChangeForm(
        request.POST or None,
        choices=status_choices_for(distributor),
        initial={"effective_on": distributor.local_today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.distributor_status_change(
                vendor=vendor, actor=actor, distributor=distributor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return _to_distributor(request, distributor.pk)
    history = profile_selectors.status_history_for_actor(
        vendor=vendor, actor=actor, distributor=distributor
    )
    return render(
        request,
        "partners/profile/status_form.html",
        {**page_context(request), "form": form, "distributor": distributor, "history": history},
    )


# --- selection -------------------------------------------------------------------------------


def selection(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    if not roles.is_staff_reader(actor):
        raise PermissionDenied
    if request.method == "POST" and not roles.is_editor(actor):
        raise PermissionDenied
    distributor, checklist = profile_selectors.selection_get_for_actor_or_404(
        vendor=vendor, actor=actor, distributor_pk=pk
    )
    form = None
    if roles.is_editor(actor):
        form = SelectionForm(request.POST or None, instance=checklist)
        if request.method == "POST" and form.is_valid():
            try:
                selection_services.selection_update(
                    vendor=vendor, actor=actor, distributor=distributor, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Selection checklist saved."))
                return redirect("selection", vendor_slug=vendor.slug, pk=distributor.pk)
        if request.method == "POST":
            # What was typed stays in the form; the rest of the page shows what is stored.
            distributor, checklist = profile_selectors.selection_get_for_actor_or_404(
                vendor=vendor, actor=actor, distributor_pk=pk
            )
    return render(
        request,
        "partners/profile/selection.html",
        {
            **page_context(request),
            "distributor": distributor,
            "selection": checklist,
            "form": form,
            "override_form": SelectionOverrideForm() if roles.is_vendor_admin(actor) else None,
            **profile_selectors.selection_page_context(
                vendor=vendor, actor=actor, distributor=distributor, selection=checklist
            ),
        },
    )


@require_POST
@requires(roles.is_vendor_admin)
def selection_override(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    distributor, checklist = profile_selectors.selection_get_for_actor_or_404(
        vendor=vendor, actor=actor, distributor_pk=pk
    )
    override_form = SelectionOverrideForm(request.POST)
    if override_form.is_valid():
        try:
            selection_services.selection_override(
                vendor=vendor,
                actor=actor,
                distributor=distributor,
                reason=override_form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(override_form, exc)
        else:
            messages.success(request, _("Selection checklist overridden."))
            return redirect("selection", vendor_slug=vendor.slug, pk=distributor.pk)
    return render(
        request,
        "partners/profile/selection.html",
        {
            **page_context(request),
            "distributor": distributor,
            "selection": checklist,
            "form": SelectionForm(instance=checklist),
            "override_form": override_form,
            **profile_selectors.selection_page_context(
                vendor=vendor, actor=actor, distributor=distributor, selection=checklist
            ),
        },
    )
