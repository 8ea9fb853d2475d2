"""What DRF's settings name: the authentication classes, the pagination and the error format of
the API (kept apart from the viewset base in ``api``: DRF's settings import these while DRF itself
is loading, so this module imports no viewset).

The tenant middleware authenticates ``Authorization: Bearer`` tokens inside the vendor's scope
(a token only exists in its own vendor), so the authentication classes only report the result to
DRF."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """Errors as JSON. Validation errors name the field: ``{"name": ["…"]}``; anything else is
    ``{"detail": "…"}``. Services raise Django's ValidationError and PermissionDenied; they map
    to 400 and 403 here."""
    # Imported here: DRF's views module reads the settings that name this module while it loads.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class TenantTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        token = getattr(request._request, "api_token", None)
        if token is None:
            return None
        return (token.user, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TenantSessionAuthentication(SessionAuthentication):
    """The browser's session, with CSRF checks, when no token was sent."""

    def authenticate(self, request):
        if getattr(request._request, "api_token", None) is not None:
            return None
        return super().authenticate(request)


class TenantTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.platform.api_settings.TenantTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from the workspace's API tokens page.",
        }


class TenantSessionScheme(OpenApiAuthenticationExtension):
    target_class = "partners.platform.api_settings.TenantSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
