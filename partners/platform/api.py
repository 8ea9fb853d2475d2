"""The API's base: the viewset every API viewset builds on and its permission classes.

The authentication classes, the pagination and the error format live in ``api_settings``:
DRF's settings import them while DRF itself is loading, before the viewset classes imported here
exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import permissions, viewsets

from partners import roles


class IsWorkspaceMember(permissions.BasePermission):
    """The tenant middleware put the person's membership of this workspace on the request."""

    def has_permission(self, request, view):
        return getattr(request._request, "membership", None) is not None


class EditorsWrite(permissions.BasePermission):
    """Every member reads; only vendor admins and channel managers write. Refused before the
    payload is validated, so a reader gets 403 rather than field errors (services check the
    role again)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        membership = getattr(request._request, "membership", None)
        return roles.is_editor(membership)


class TenantViewSet(viewsets.GenericViewSet):
    """Base of every API viewset under /api/v1/<vendor-slug>/.

    ``get_queryset`` must come from a selector that takes ``vendor`` and ``actor``, so another
    vendor's or another distributor's object is a 404; writes go through services."""

    permission_classes = [permissions.IsAuthenticated, IsWorkspaceMember]
    selector: ClassVar[
        Callable[..., QuerySet[Any]]
    ]  # a selector function (vendor=, actor=) -> QuerySet

    @property
    def vendor(self):
        return self.request._request.vendor  # type: ignore[attr-defined]  # set by the middleware

    @property
    def actor(self):
        return self.request._request.membership  # type: ignore[attr-defined]  # the middleware's

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no request scope
            return super().get_queryset().none()
        return type(self).selector(vendor=self.vendor, actor=self.actor)
