"""DRF authentication that trusts what the tenant middleware established.

The middleware authenticates ``Authorization: Bearer`` tokens inside the vendor's scope (a token
only exists in its own vendor), so these classes only report the result to DRF."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication


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
    target_class = "partners.api_auth.TenantTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from the workspace's API tokens page.",
        }


class TenantSessionScheme(OpenApiAuthenticationExtension):
    target_class = "partners.api_auth.TenantSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
