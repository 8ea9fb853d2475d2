"""Pages inside a workspace (/<vendor-slug>/...). The tenant middleware has already checked
membership and opened the scope; each view parses input and calls a form, service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import roles, selectors
from partners.forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    AuditFilterForm,
    DistributorForm,
    InvitationForm,
    VendorSettingsForm,
)
from partners.markets import COUNTRY_CHOICES
from partners.models import DistributorStatus
from partners.platform.panels import DISTRIBUTOR_PAGE, PARTNER_HOME, STAFF_HOME, panels_render
from partners.platform.web import apply_errors, page_context, requires, tenant_public
from partners.selectors import contracts as contract_selectors
from partners.selectors import enablement as enablement_selectors
from partners.selectors import launch as launch_selectors
from partners.selectors import profile as profile_selectors
from partners.services import distributors as distributor_services
from partners.services import members as member_services
from partners.services import tokens as token_services


def home(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    if actor.is_distributor_role:
        distributor = selectors.distributor_get_for_actor_or_404(
            vendor=vendor, actor=actor, pk=actor.distributor_id
        )
        context = {
            **page_context(request),
            "distributor": distributor,
            "summary": selectors.workspace_summary(vendor=vendor, actor=actor),
        }
        for panel in (
            contract_selectors.distributor_contracts_panel,
            launch_selectors.distributor_launch_panel,
        ):
            context.update(panel(vendor=vendor, actor=actor, distributor=distributor))
        # On a phone, what the partner must do comes first (reports due, its exclusivity
        # standing, its corrective actions); the contract, the launch summary and company
        # facts follow.
        panels = panels_render(PARTNER_HOME, vendor=vendor, actor=actor, distributor=distributor)
        context["lead_panels"] = [p for p in panels if p["lead"]]
        context["extra_panels"] = [p for p in panels if not p["lead"]]
        return render(request, "partners/home_distributor.html", context)
    return render(
        request,
        "partners/home.html",
        {
            **page_context(request),
            "summary": selectors.workspace_summary(vendor=vendor, actor=actor),
            "extra_panels": panels_render(STAFF_HOME, vendor=vendor, actor=actor),
        },
    )


def distributor_list(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    query = request.GET.get("q", "").strip()
    country = request.GET.get("country", "")
    status = request.GET.get("status", "")
    owner = request.GET.get("owner", "")
    qs = selectors.distributor_list_for_actor(
        vendor=vendor, actor=actor, search=query, country=country, status=status, owner=owner
    ).select_related("owner__user")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    template = "partners/distributor_list.html"
    if request.htmx and request.htmx.target == "distributor-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            "page": page,
            "q": query,
            "country": country,
            "country_choices": COUNTRY_CHOICES,
            "status": status,
            "status_choices": DistributorStatus.choices,
            "owner": owner,
            "owner_choices": (
                profile_selectors.owner_choices(vendor=vendor, actor=actor)
                if actor.is_staff_role
                else []
            ),
            "filter_query": urlencode(
                {"q": query, "country": country, "status": status, "owner": owner}
            ),
        },
    )


def distributor_detail(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    # Read once for every panel (see tests/test_queries.py for the page's query count).
    distributor = profile_selectors.distributor_page_get_for_actor_or_404(
        vendor=vendor, actor=actor, pk=pk
    )
    people = selectors.member_list_for_actor(vendor=vendor, actor=actor).filter(
        distributor=distributor, is_active=True
    )
    context = {**page_context(request), "distributor": distributor, "people": people}
    # Each area contributes one panel (templates/partners/distributor/_<area>.html).
    for panel in (
        profile_selectors.distributor_profile_panel,
        contract_selectors.distributor_contracts_panel,
        launch_selectors.distributor_launch_panel,
        enablement_selectors.distributor_enablement_panel,
    ):
        context.update(panel(vendor=vendor, actor=actor, distributor=distributor))
    context["extra_panels"] = panels_render(
        DISTRIBUTOR_PAGE, vendor=vendor, actor=actor, distributor=distributor
    )
    return render(request, "partners/distributor_detail.html", context)


@requires(roles.is_editor)
def distributor_create(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = DistributorForm(request.POST or None, vendor=vendor, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            distributor = distributor_services.distributor_create(
                vendor=vendor, actor=actor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Distributor added."))
            return redirect("distributor-detail", vendor_slug=vendor.slug, pk=distributor.pk)
    return render(
        request, "partners/distributor_form.html", {**page_context(request), "form": form}
    )


@requires(roles.is_editor)
def distributor_edit(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    distributor = selectors.distributor_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    form = DistributorForm(request.POST or None, instance=distributor, vendor=vendor, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            distributor_services.distributor_update(
                vendor=vendor, actor=actor, distributor=distributor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("distributor-detail", vendor_slug=vendor.slug, pk=distributor.pk)
    return render(
        request,
        "partners/distributor_form.html",
        {**page_context(request), "form": form, "distributor": distributor},
    )


@requires(roles.is_editor)
def member_list(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    distributors = selectors.distributor_list_for_actor(vendor=vendor, actor=actor)
    form = InvitationForm(
        request.POST or None, distributors=distributors, initial={"language": get_language()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation = member_services.invitation_create(
                vendor=vendor, actor=actor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("role", _("You cannot grant this role."))
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("member-list", vendor_slug=vendor.slug)
    members = selectors.member_list_for_actor(vendor=vendor, actor=actor)
    invitations = [
        (inv, member_services.invitation_status(inv))
        for inv in selectors.invitation_list_for_actor(vendor=vendor, actor=actor)[:100]
    ]
    return render(
        request,
        "partners/member_list.html",
        {**page_context(request), "form": form, "members": members, "invitations": invitations},
    )


@require_POST
@requires(roles.is_editor)
def invitation_revoke(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    invitation = selectors.invitation_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    member_services.invitation_revoke(vendor=vendor, actor=actor, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("member-list", vendor_slug=vendor.slug)


@require_POST
@requires(roles.is_editor)
def member_set_active(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    membership = selectors.member_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        member_services.membership_set_active(
            vendor=vendor, actor=actor, membership=membership, active=active
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Member restored.") if active else _("Member removed."))
    return redirect("member-list", vendor_slug=vendor.slug)


@tenant_public
def invitation_accept(request, vendor_slug, token):
    """The link in an invitation e-mail. Works for people who are not members yet."""
    vendor = request.vendor  # None for an unknown workspace: answered like an unknown link
    invitation = member_services.invitation_find(vendor=vendor, raw_token=token) if vendor else None
    if invitation is None:
        request.vendor = None  # an unknown link must not show whose workspace this is
        return render(
            request, "accounts/invitation_unusable.html", {"status": "unknown"}, status=404
        )
    status = member_services.invitation_status(invitation)
    if status != "pending":
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"vendor": vendor, "status": status},
            status=410,
        )
    user = request.user if request.user.is_authenticated else None
    existing_login = selectors.login_exists(email=invitation.email)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and (user is not None or form.is_valid()):
        details = form.cleaned_data if user is None else {}
        try:
            membership = member_services.invitation_accept(
                vendor=vendor,
                invitation=invitation,
                user=user,
                full_name=details.get("full_name", ""),
                password=details.get("password", ""),
                language=get_language(),
            )
        except ValidationError as exc:
            if user is None:
                apply_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(vendor)s.") % {"vendor": vendor.name})
            return HttpResponseRedirect(
                reverse("workspace-home", kwargs={"vendor_slug": vendor.slug})
            )
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "vendor": vendor,
            "invitation": invitation,
            "form": form,
            "user_matches": user is not None and user.email.lower() == invitation.email.lower(),
            "logged_in_other": user is not None and user.email.lower() != invitation.email.lower(),
            "existing_login": existing_login and user is None,
        },
    )


def api_token_list(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = token_services.api_token_create(
                vendor=vendor, actor=actor, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form = ApiTokenForm()
    tokens = selectors.api_token_list_for_actor(vendor=vendor, actor=actor)
    return render(
        request,
        "partners/api_tokens.html",
        {**page_context(request), "form": form, "tokens": tokens, "new_secret": new_secret},
    )


@require_POST
def api_token_revoke(request, vendor_slug, pk):
    vendor, actor = request.vendor, request.membership
    token = selectors.api_token_get_for_actor_or_404(vendor=vendor, actor=actor, pk=pk)
    token_services.api_token_revoke(vendor=vendor, actor=actor, token=token)
    messages.success(request, _("Token revoked. Systems using it can no longer connect."))
    return redirect("api-token-list", vendor_slug=vendor.slug)


@requires(roles.is_vendor_admin)
def audit_log(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_event_list_for_actor(vendor=vendor, actor=actor, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    template = "partners/audit_log.html"
    if request.htmx and request.htmx.target == "audit-results":
        template += "#results"
    return render(
        request,
        template,
        {
            **page_context(request),
            "form": form,
            "page": page,
            "choices": selectors.audit_filter_choices(vendor=vendor, actor=actor),
            "filter_query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        },
    )


@requires(roles.is_vendor_admin)
def workspace_settings(request, vendor_slug):
    vendor, actor = request.vendor, request.membership
    form = VendorSettingsForm(
        request.POST or None,
        initial={"require_two_factor": vendor.require_two_factor, "time_zone": vendor.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        member_services.vendor_settings_update(vendor=vendor, actor=actor, **form.cleaned_data)
        messages.success(request, _("Settings saved."))
        return redirect("workspace-settings", vendor_slug=vendor.slug)
    return render(request, "partners/settings.html", {**page_context(request), "form": form})
