"""Pages of the 30-day launch checklist: the vendor's template and each distributor's
checklist. Ticking works as a plain form post (redirect back) and, with htmx, re-renders the
item and the progress bar in place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles, selectors
from partners.forms.launch import LaunchOwnerForm, LaunchTemplateItemForm
from partners.platform.web import apply_errors, page_context, requires
from partners.selectors import launch as launch_selectors
from partners.services import launch as launch_services

# --- the template ------------------------------------------------------------------------------


@requires(roles.is_staff_reader)
def launch_template(request, vendor_slug):
    """The vendor's launch template by week; vendor admins get the editing controls."""
    vendor, actor = request.vendor, request.membership
    return render(
        request,
        "partners/launch/template.html",
        {
            **page_context(request),
            "weeks": launch_selectors.launch_template_weeks(vendor=vendor, actor=actor),
            "customised": launch_selectors.launch_template_is_customised(
                vendor=vendor, actor=actor
            ),
        },
    )


def _template_url(vendor) -> str:
    return reverse("launch-template", kwargs={"vendor_slug": vendor.slug})


@require_POST
@requires(roles.is_vendor_admin)
def launch_template_reset(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    launch_services.launch_template_reset(vendor=vendor, actor=actor)
    messages.success(request, _("The template now has the standard four weeks."))
    return redirect(_template_url(vendor))


@requires(roles.is_vendor_admin)
def launch_template_item_create(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = LaunchTemplateItemForm(
        request.POST or None, initial={"week": request.GET.get("week", 1), "side": "vendor"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            launch_services.launch_template_item_create(
                vendor=vendor, actor=actor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Item added."))
            return redirect(_template_url(vendor))
    return render(
        request, "partners/launch/template_item_form.html", {**page_context(request), "form": form}
    )


@requires(roles.is_vendor_admin)
def launch_template_item_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    item = launch_selectors.launch_template_item_get_for_actor_or_404(
        vendor=vendor, actor=actor, pk=pk
    )
    form = LaunchTemplateItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            launch_services.launch_template_item_update(
                vendor=vendor, actor=actor, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_template_url(vendor))
    return render(
        request,
        "partners/launch/template_item_form.html",
        {**page_context(request), "form": form, "item": item},
    )


@require_POST
@requires(roles.is_vendor_admin)
def launch_template_item_move(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    item = launch_selectors.launch_template_item_get_for_actor_or_404(
        vendor=vendor, actor=actor, pk=pk
    )
    try:
        launch_services.launch_template_item_move(
            vendor=vendor, actor=actor, item=item, direction=request.POST.get("direction", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_template_url(vendor) + f"#template-item-{item.pk}")


@require_POST
@requires(roles.is_vendor_admin)
def launch_template_item_delete(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    item = launch_selectors.launch_template_item_get_for_actor_or_404(
        vendor=vendor, actor=actor, pk=pk
    )
    launch_services.launch_template_item_delete(vendor=vendor, actor=actor, item=item)
    messages.success(request, _("Item removed from the template."))
    return redirect(_template_url(vendor))


# --- a distributor's checklist -----------------------------------------------------------------


def _checklist_url(vendor, distributor_id) -> str:
    return reverse("launch-checklist", kwargs={"vendor_slug": vendor.slug, "pk": distributor_id})


def launch_checklist(request, vendor_slug, pk):
    """A distributor's checklist: items by week, owners, due dates, progress, overdue flags."""
    vendor, actor = request.vendor, request.membership
    distributor = selectors.distributor_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    page = launch_selectors.launch_checklist_page(
        vendor=vendor, actor=actor, distributor=distributor
    )
    return render(
        request,
        "partners/launch/checklist.html",
        {**page_context(request), "distributor": distributor, **page},
    )


@require_POST
@requires(roles.is_editor)
def launch_checklist_create(request, vendor_slug, pk):
    """Staff action: start the checklist of an active distributor that has none."""
    vendor, actor = request.vendor, request.membership
    distributor = selectors.distributor_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    try:
        launch_services.launch_checklist_create(vendor=vendor, actor=actor, distributor=distributor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Launch checklist created."))
    return redirect(_checklist_url(vendor, distributor.pk))


@require_POST
@requires(roles.can_edit_distributor_records)
def launch_item_done(request, vendor_slug, pk):
    """Tick an item off (done=1) or open it again (done=0)."""
    vendor, actor = request.vendor, request.membership
    item = launch_selectors.launch_item_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    distributor = item.checklist.distributor
    done = request.POST.get("done") == "1"
    launch_services.launch_item_set_done(vendor=vendor, actor=actor, item=item, done=done)
    if not request.htmx:
        return redirect(_checklist_url(vendor, distributor.pk) + f"#launch-item-{item.pk}")
    page = launch_selectors.launch_checklist_page(
        vendor=vendor, actor=actor, distributor=distributor
    )
    fresh = next(i for week in page["weeks"] for i in week.items if i.pk == item.pk)
    return render(
        request,
        "partners/launch/_tick_response.html",
        {**page_context(request), "distributor": distributor, **page, "item": fresh},
    )


@requires(roles.is_editor)
def launch_item_owner(request, vendor_slug, pk):
    """Give a checklist item to someone else."""
    vendor, actor = request.vendor, request.membership
    item = launch_selectors.launch_item_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    choices = launch_selectors.launch_owner_choices(vendor=vendor, actor=actor, item=item)
    current = (
        f"m{item.owner_membership_id}"
        if item.owner_membership_id
        else (f"c{item.owner_contact_id}" if item.owner_contact_id else "")
    )
    form = LaunchOwnerForm(request.POST or None, initial={"owner": current}, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            launch_services.launch_item_reassign(
                vendor=vendor, actor=actor, item=item, **form.owner_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Owner changed."))
            return redirect(
                _checklist_url(vendor, item.checklist.distributor_id) + f"#launch-item-{item.pk}"
            )
    return render(
        request,
        "partners/launch/item_owner.html",
        {
            **page_context(request),
            "form": form,
            "item": item,
            "distributor": item.checklist.distributor,
        },
    )
