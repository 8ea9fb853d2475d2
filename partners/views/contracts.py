"""Contract pages under /<vendor-slug>/contracts/. Staff read every contract; vendor admins and
channel managers edit; a distributor's people read their own distributor's contracts only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles, selectors
from partners.forms.contracts import (
    AmendmentForm,
    ClauseForm,
    ContractDocumentForm,
    ContractFilterForm,
    ContractForm,
    scope_line_formset,
    scope_line_initial,
)
from partners.platform.uploads import document_response
from partners.platform.web import apply_errors, page_context, requires
from partners.selectors import contracts as contract_selectors
from partners.services import contracts as contract_services
from partners.services.contracts import term_checks as contract_services_terms

can_edit = requires(roles.is_editor)


def _formset_error(formset, exc: ValidationError, field: str) -> bool:
    """Put a service error about scope lines above the formset; True when it was one."""
    if hasattr(exc, "error_dict") and field in exc.error_dict:
        formset.service_errors = exc.message_dict[field]
        return True
    return False


def _add_term_errors(form, contract) -> None:
    """Beside the field errors of a refused form, the cross-field errors of the terms that did
    parse (dates, notice, renewal...), so the first submission shows every error at once."""
    form_errors = set(form.errors)
    terms = {k: v for k, v in form.terms().items() if k in form.fields}
    errors = contract_services_terms.contract_terms_check(
        contract=contract, terms=terms, invalid=form_errors
    )
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


def contract_list(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    distributors = selectors.distributor_list_for_actor(vendor=vendor, actor=actor)
    form = ContractFilterForm(request.GET or None, distributors=distributors)
    filters = form.cleaned_data if form.is_valid() else {}
    distributor = filters.get("distributor")
    qs = contract_selectors.contract_list_for_actor(
        vendor=vendor,
        actor=actor,
        search=(filters.get("q") or "").strip(),
        distributor_id=distributor.pk if distributor else None,
        status=filters.get("status") or "",
        ending_within_days=filters.get("ending"),
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    template = "partners/contracts/contract_list.html"
    if request.htmx and request.htmx.target == "contract-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            "form": form,
            "page": page,
            "filter_query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        },
    )


def _save_contract_form(request, *, contract=None):
    vendor, actor = request.vendor, request.membership
    choices = contract_selectors.scope_choices(vendor=vendor, actor=actor)
    distributors = selectors.distributor_list_for_actor(vendor=vendor, actor=actor)
    data = request.POST if request.method == "POST" else None
    initial = {}
    if contract is None and request.GET.get("distributor", "").isdigit():
        initial["distributor"] = request.GET["distributor"]
    form = ContractForm(data, instance=contract, distributors=distributors, initial=initial)
    lines = []
    if contract is not None:
        lines = [
            line
            for line in contract_selectors.scope_line_list_for_actor(
                vendor=vendor, actor=actor, contract_id=contract.pk
            )
            if not line.added_by_id and not line.ended_by_id
        ]
    formset = scope_line_formset(
        data=data,
        initial=scope_line_initial(lines) if lines else None,
        can_delete=contract is not None,
        choices=choices,
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            # A savepoint: a refused scope line must not leave the contract half-saved.
            with transaction.atomic():
                if contract is None:
                    saved = contract_services.contract_create(
                        vendor=vendor,
                        actor=actor,
                        distributor=form.cleaned_data["distributor"],
                        scope_lines=formset.specs(),
                        **form.terms(),
                    )
                else:
                    saved = contract_services.contract_update(
                        vendor=vendor,
                        actor=actor,
                        contract=contract,
                        scope_lines=formset.specs(),
                        **form.terms(),
                    )
        except ValidationError as exc:
            if not _formset_error(formset, exc, "scope_lines"):
                apply_errors(form, exc)
        else:
            messages.success(request, _("Contract saved."))
            return redirect("contract-detail", vendor_slug=vendor.slug, pk=saved.pk)
    elif request.method == "POST":
        _add_term_errors(form, contract)
    return render(
        request,
        "partners/contracts/contract_form.html",
        {**page_context(request), "form": form, "formset": formset, "contract": contract},
    )


@can_edit
def contract_create(request, vendor_slug):
    return _save_contract_form(request)


@can_edit
def contract_edit(request, vendor_slug, pk):
    contract = contract_selectors.contract_get_for_actor_or_404(
        vendor=request.vendor, actor=request.membership, pk=pk
    )
    return _save_contract_form(request, contract=contract)


def contract_detail(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    contract = contract_selectors.contract_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    detail = contract_selectors.contract_detail(vendor=vendor, actor=actor, contract=contract)
    context = {**page_context(request), "contract": contract, **detail}
    if roles.is_editor(actor):
        context["clause_form"] = ClauseForm(
            lines=contract_selectors.scope_line_list_for_actor(
                vendor=vendor, actor=actor, contract_id=contract.pk
            )
        )
    return render(request, "partners/contracts/contract_detail.html", context)


@can_edit
def contract_amend(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    contract = contract_selectors.contract_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    choices = contract_selectors.scope_choices(vendor=vendor, actor=actor)
    open_lines = contract_selectors.scope_line_list_for_actor(
        vendor=vendor, actor=actor, contract_id=contract.pk
    ).filter(ended_by__isnull=True)
    data = request.POST if request.method == "POST" else None
    form = AmendmentForm(data, lines=open_lines)
    formset = scope_line_formset(data=data, prefix="add", choices=choices)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                contract_services.contract_amend(
                    vendor=vendor,
                    actor=actor,
                    contract=contract,
                    effective_on=form.cleaned_data["effective_on"],
                    reason=form.cleaned_data["reason"],
                    end_line_ids=[line.pk for line in form.cleaned_data["end_lines"]],
                    add_lines=formset.specs(),
                )
        except ValidationError as exc:
            if not _formset_error(formset, exc, "add_lines"):
                apply_errors(form, exc)
        else:
            messages.success(request, _("Amendment recorded."))
            return redirect("contract-detail", vendor_slug=vendor.slug, pk=contract.pk)
    return render(
        request,
        "partners/contracts/contract_amend.html",
        {**page_context(request), "contract": contract, "form": form, "formset": formset},
    )


@can_edit
def contract_clause_add(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    contract = contract_selectors.contract_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    lines = contract_selectors.scope_line_list_for_actor(
        vendor=vendor, actor=actor, contract_id=contract.pk
    )
    form = ClauseForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contract_services.clause_create(
                    vendor=vendor, actor=actor, contract=contract, **form.cleaned_data
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Clause added."))
            return redirect("contract-detail", vendor_slug=vendor.slug, pk=contract.pk)
    return render(
        request,
        "partners/contracts/clause_form.html",
        {**page_context(request), "contract": contract, "form": form},
    )


@require_POST
@can_edit
def contract_clause_delete(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    clause = contract_selectors.clause_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    contract_id = clause.contract_id
    contract_services.clause_delete(vendor=vendor, actor=actor, clause=clause)
    messages.success(request, _("Clause removed."))
    return redirect("contract-detail", vendor_slug=vendor.slug, pk=contract_id)


@can_edit
def contract_document_upload(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    contract = contract_selectors.contract_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = ContractDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contract_services.contract_document_upload(
                    vendor=vendor,
                    actor=actor,
                    contract=contract,
                    file=form.cleaned_data["document"],
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Signed contract uploaded."))
            return redirect("contract-detail", vendor_slug=vendor.slug, pk=contract.pk)
    return render(
        request,
        "partners/contracts/document_form.html",
        {**page_context(request), "contract": contract, "form": form},
    )


def contract_document(request, vendor_slug, pk):
    """The signed PDF, for people who may see the contract (404 for anyone else, and when
    there is no document yet)."""
    vendor, actor = request.vendor, request.membership
    contract = contract_selectors.contract_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    return document_response(
        contract.document, download_name=f"{contract.reference}.pdf", content_type="application/pdf"
    )
