"""Pages outside any workspace: login, password reset, two-factor, the workspace chooser."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.forms import LoginForm, OtpCodeForm, OutboxPasswordResetForm
from partners.selectors import workspaces_for_user
from partners.services import two_factor


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """Log in, then speak the person's own language from the next page on (the language
        switcher still changes it for this browser)."""
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def root(request):
    if request.user.is_authenticated:
        return redirect("workspace-chooser")
    return redirect("login")


@login_required
def workspace_chooser(request):
    """Where a person lands after logging in: straight into their only workspace, or a list."""
    memberships = workspaces_for_user(user=request.user)
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect("workspace-home", vendor_slug=memberships[0].vendor.slug)
    return render(request, "accounts/workspaces.html", {"my_memberships": memberships})


@login_required
def two_factor_setup(request):
    device = two_factor.two_factor_setup_begin(user=request.user)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.two_factor_setup_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        ):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_safe_next(request, reverse("workspace-chooser")))
        form.add_error("code", _("That code did not match. Check the clock on your phone."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2937")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": request.GET.get("next", "")},
    )


@login_required
def two_factor_verify(request):
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.two_factor_verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_safe_next(request, reverse("workspace-chooser")))
        form.add_error("code", _("That code did not match. Try the newest one in your app."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@login_required
@require_POST
def two_factor_disable(request):
    if not request.user.is_verified():
        return redirect("two-factor-verify")
    two_factor.two_factor_disable(user=request.user)
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("workspace-chooser")
