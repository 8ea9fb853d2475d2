"""The tenant middleware: the first wall opened for every request under a workspace.

``TenantMiddleware`` resolves ``/<vendor-slug>/`` and ``/api/v1/<vendor-slug>/``, authenticates
API tokens, checks membership and two-factor, and runs the view inside ``tenant_scope``
(``partners.platform.scope``). Views marked with ``partners.platform.web.tenant_public`` are
opened to non-members too.

It is the one platform module that needs the domain at request time: the vendor and membership
look-ups, the token and two-factor checks and the 404 page. It imports them inside the request,
after the apps are loaded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from partners.platform.scope import set_scope_user, tenant_scope


def _api_error(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class TenantMiddleware:
    """Resolve ``/<vendor-slug>/`` and ``/api/v1/<vendor-slug>/``, check that the person belongs
    to that workspace, and run the whole view, rendering included, inside its scope.

    An unknown workspace and a workspace the person is not a member of get the same answer: a
    login redirect (or 401) without credentials, a 404 with them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self._call(request)
        finally:
            timezone.deactivate()

    def _call(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("vendor_slug")
        if slug is None:
            return self.get_response(request)

        from partners.models import Vendor
        from partners.selectors import membership_for_user_in_scope
        from partners.services.tokens import api_token_authenticate

        is_api = request.path_info.startswith("/api/")
        request.vendor = None
        request.membership = None
        vendor = Vendor.objects.filter(slug=slug, is_active=True).first()
        if vendor is None:
            if getattr(match.func, "tenant_public", False):
                return self._respond(request)  # the view answers "unknown" without a scope
            return self._unknown_workspace(request, is_api)

        with tenant_scope(vendor.id):
            request.vendor = vendor
            if getattr(match.func, "tenant_public", False):
                return self._respond(request)

            if is_api and request.headers.get("Authorization", "").startswith("Bearer "):
                raw = request.headers["Authorization"].removeprefix("Bearer ").strip()
                token = api_token_authenticate(vendor=vendor, raw_token=raw)
                if token is None:
                    return _api_error(401, _("Invalid or revoked API token."))
                request.user = token.user
                request.api_token = token

            user = request.user
            if not user.is_authenticated or not user.is_active:
                return self._login_required(request, is_api)

            set_scope_user(user.id)
            membership = membership_for_user_in_scope(user_id=user.id)
            if membership is None:
                # Render the 404 as for a workspace that does not exist: nothing of it (its
                # name in the layout) may reach a non-member.
                request.vendor = None
                return self._not_found(request, is_api)
            request.membership = membership
            if not is_api:
                # One reader, one time zone: every time on the workspace's pages is in theirs.
                # The API keeps answering in UTC (an instant, whoever asks).
                from partners.zones import reader_zone

                timezone.activate(reader_zone(membership))

            if self._needs_second_factor(request, vendor, membership):
                if is_api:
                    return _api_error(403, _("Two-factor authentication is required."))
                from partners.services.two_factor import user_has_confirmed_device

                name = (
                    "two-factor-verify" if user_has_confirmed_device(user) else "two-factor-setup"
                )
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{resolve_url(name)}?{query}")
            return self._respond(request)

    def _respond(self, request):
        response = self.get_response(request)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        if response.status_code >= 500:
            transaction.set_rollback(True)
        return response

    @staticmethod
    def _login_required(request, is_api):
        if is_api:
            return _api_error(401, _("Authentication credentials were not provided."))
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")

    def _unknown_workspace(self, request, is_api):
        """Answer exactly as for a workspace that exists but the person cannot enter, so the
        response never tells whether a workspace address exists."""
        if is_api and request.headers.get("Authorization", "").startswith("Bearer "):
            return _api_error(401, _("Invalid or revoked API token."))
        if not request.user.is_authenticated or not request.user.is_active:
            return self._login_required(request, is_api)
        return self._not_found(request, is_api)

    @staticmethod
    def _needs_second_factor(request, vendor, membership) -> bool:
        if getattr(request, "api_token", None) is not None or not membership.is_staff_role:
            return False
        user = request.user
        if user.is_verified():
            return False
        from partners.services.two_factor import user_has_confirmed_device

        return vendor.require_two_factor or user_has_confirmed_device(user)

    @staticmethod
    def _not_found(request, is_api):
        if is_api:
            return _api_error(404, _("Not found."))
        from partners.views.errors import not_found

        return not_found(request)
