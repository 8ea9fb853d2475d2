"""Tenant scope: the second and third walls, opened together.

``tenant_scope(vendor_id)`` opens a transaction, sets ``app.vendor_id`` for that transaction only
(row-level security reads it) and opens the django-scopes scope (tenant managers raise without
it). The middleware, the Celery task base class and management commands all go through it.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

_GUCS = ("app.vendor_id", "app.user_id")


def _get_guc(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [name])
        return cursor.fetchone()[0] or ""


def _set_guc(name: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


@contextmanager
def _transaction_settings(**values: str):
    """Set transaction-local settings and restore the outer values when the block ends."""
    nested = connection.in_atomic_block
    with transaction.atomic():
        previous = {name: _get_guc(name) for name in values} if nested else {}
        for name, value in values.items():
            _set_guc(name, value)
        yield
        # A transaction-local setting ends with the outermost transaction. Inside an outer one,
        # put the outer values back; after an error the savepoint rollback does that itself.
        if nested and not connection.needs_rollback:
            for name, value in previous.items():
                _set_guc(name, value)


@contextmanager
def tenant_scope(vendor_id: int, *, user_id: int | None = None):
    """Open vendor ``vendor_id``'s scope in the ORM and in PostgreSQL for the block."""
    if not vendor_id:
        raise ValueError("tenant_scope needs a vendor id")
    gucs = {"app.vendor_id": str(int(vendor_id))}
    if user_id is not None:
        gucs["app.user_id"] = str(int(user_id))
    with _transaction_settings(**gucs), scope(vendor=int(vendor_id)):
        yield


@contextmanager
def user_scope(user_id: int):
    """Let the block read the given person's own memberships across workspaces (and nothing
    else that is tenant-owned)."""
    with _transaction_settings(**{"app.user_id": str(int(user_id))}), scopes_disabled():
        yield


def set_scope_user(user_id: int) -> None:
    """Inside a tenant scope, name the person acting (membership rows of theirs become
    readable across workspaces for the workspace switcher)."""
    _set_guc("app.user_id", str(int(user_id)))


def current_tenant_settings() -> dict[str, str]:
    """What the database connection currently carries (for tests and diagnostics)."""
    return {name: _get_guc(name) for name in _GUCS}


def tenant_public(view):
    """Mark a view under /<vendor-slug>/ that people who are not members may open (the
    invitation link). It still runs inside the vendor's scope."""
    view.tenant_public = True
    return view


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
