"""The one base class every API viewset builds on."""

from __future__ import annotations

from rest_framework import permissions, viewsets


class IsWorkspaceMember(permissions.BasePermission):
    """The tenant middleware put the person's membership of this workspace on the request."""

    def has_permission(self, request, view):
        return getattr(request._request, "membership", None) is not None


class TenantViewSet(viewsets.GenericViewSet):
    """Base of every API viewset under /api/v1/<vendor-slug>/.

    ``get_queryset`` must come from a selector that takes ``vendor`` and ``actor``, so another
    vendor's or another distributor's object is a 404; writes go through services."""

    permission_classes = [permissions.IsAuthenticated, IsWorkspaceMember]
    selector = None  # a selector function (vendor=, actor=) -> QuerySet

    @property
    def vendor(self):
        return self.request._request.vendor

    @property
    def actor(self):
        return self.request._request.membership

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no request scope
            return self.queryset.none()
        return type(self).selector(vendor=self.vendor, actor=self.actor)
