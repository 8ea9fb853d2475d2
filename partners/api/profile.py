"""API viewsets for profile, under /api/v1/<vendor-slug>/: the catalogue (product lines,
territories), contacts, carried brands, status history and partner selection. Reads go through
selectors, writes through services; an object out of reach is a 404, a write the role may not
make on an object it sees is a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from partners import roles, selectors
from partners.models import (
    CarriedBrand,
    Distributor,
    DistributorContact,
    DistributorStatusChange,
    ProductLine,
    Territory,
)
from partners.platform.api import TenantViewSet
from partners.selectors import profile as profile_selectors
from partners.serializers_profile import (
    CarriedBrandSerializer,
    ContactSerializer,
    ProductLineSerializer,
    SelectionOverrideSerializer,
    SelectionSerializer,
    StatusChangeSerializer,
    TerritorySerializer,
)
from partners.services import profile as profile_services
from partners.services import selection as selection_services

DISTRIBUTOR_FILTER = OpenApiParameter(
    "distributor", int, description="Only this distributor's rows.", required=False
)


def _distributor_param(request) -> int | None:
    value = request.query_params.get("distributor", "")
    return int(value) if value.isdigit() else None


class _Writable(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    pass


class ProductLineViewSet(_Writable):
    """The vendor's product lines. Vendor admins and channel managers add and change them;
    a distributor's people see only the lines their distributor sells."""

    queryset = ProductLine.objects.none()
    serializer_class = ProductLineSerializer
    selector = staticmethod(profile_selectors.product_line_list_for_actor)

    def perform_create(self, serializer):
        serializer.instance = profile_services.product_line_create(
            vendor=self.vendor, actor=self.actor, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = profile_services.product_line_update(
            vendor=self.vendor,
            actor=self.actor,
            product_line=serializer.instance,
            **serializer.validated_data,
        )


class TerritoryViewSet(_Writable):
    """The vendor's sales territories. Vendor admins and channel managers add and change them;
    a distributor's people see only their own distributor's."""

    queryset = Territory.objects.none()
    serializer_class = TerritorySerializer
    selector = staticmethod(profile_selectors.territory_list_for_actor)

    def perform_create(self, serializer):
        serializer.instance = profile_services.territory_create(
            vendor=self.vendor, actor=self.actor, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = profile_services.territory_update(
            vendor=self.vendor,
            actor=self.actor,
            territory=serializer.instance,
            **serializer.validated_data,
        )


@extend_schema(parameters=[DISTRIBUTOR_FILTER])
class ContactViewSet(_Writable):
    """Contact people of the distributors the caller reaches. Vendor admins and channel
    managers edit any; a distributor admin its own distributor's. Deactivate with
    ``PATCH {"is_active": false}``."""

    queryset = DistributorContact.objects.none()
    serializer_class = ContactSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return profile_selectors.contact_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            distributor_id=_distributor_param(self.request),
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        distributor = data.pop("distributor")
        serializer.instance = profile_services.contact_create(
            vendor=self.vendor, actor=self.actor, distributor=distributor, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = profile_services.contact_update(
            vendor=self.vendor, actor=self.actor, contact=serializer.instance, **data
        )


@extend_schema(parameters=[DISTRIBUTOR_FILTER])
class CarriedBrandViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """Other brands the distributors carry (``competes`` marks a conflict). Vendor admins and
    channel managers add and remove them; others who see the distributor read them."""

    queryset = CarriedBrand.objects.none()
    serializer_class = CarriedBrandSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return profile_selectors.carried_brand_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            distributor_id=_distributor_param(self.request),
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        distributor = data.pop("distributor")
        serializer.instance = profile_services.carried_brand_add(
            vendor=self.vendor, actor=self.actor, distributor=distributor, **data
        )

    def perform_destroy(self, instance):
        profile_services.carried_brand_remove(vendor=self.vendor, actor=self.actor, brand=instance)


@extend_schema(parameters=[DISTRIBUTOR_FILTER])
class StatusChangeViewSet(mixins.ListModelMixin, TenantViewSet):
    """Status history of the distributors, newest first (vendor staff; empty for distributor
    roles). Change a status with ``POST distributors/{id}/change-status/``."""

    queryset = DistributorStatusChange.objects.none()
    serializer_class = StatusChangeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return profile_selectors.status_change_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            distributor_id=_distributor_param(self.request),
        )


class SelectionViewSet(TenantViewSet):
    """A distributor's partner-selection checklist, addressed by the distributor's id. Vendor
    staff read it, vendor admins and channel managers update it, a vendor admin overrides it.
    Distributor roles may not see it (403 for their own distributor, 404 for any other)."""

    queryset = Distributor.objects.none()
    serializer_class = SelectionSerializer
    selector = staticmethod(selectors.distributor_list_for_actor)

    def _load(self):
        distributor = self.get_object()  # 404 first for a distributor out of reach
        if not roles.is_staff_reader(self.actor):
            raise PermissionDenied
        selection = profile_selectors.selection_for(vendor=self.vendor, distributor=distributor)
        return distributor, selection

    def _respond(self, distributor, selection, status_code=status.HTTP_200_OK):
        context = dict(self.get_serializer_context())
        context["competing_brands"] = [
            b.brand
            for b in profile_selectors.carried_brand_list_for_actor(
                vendor=self.vendor, actor=self.actor, distributor_id=distributor.pk
            )
            if b.competes
        ]
        return Response(SelectionSerializer(selection, context=context).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(*self._load())

    def update(self, request, *args, partial=False, **kwargs):
        distributor, selection = self._load()
        serializer = SelectionSerializer(
            selection, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        selection = selection_services.selection_update(
            vendor=self.vendor,
            actor=self.actor,
            distributor=distributor,
            **serializer.validated_data,
        )
        return self._respond(distributor, selection)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=SelectionOverrideSerializer, responses=SelectionSerializer)
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None, **kwargs):
        distributor, _selection = self._load()
        serializer = SelectionOverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        selection = selection_services.selection_override(
            vendor=self.vendor,
            actor=self.actor,
            distributor=distributor,
            reason=serializer.validated_data["reason"],
        )
        return self._respond(distributor, selection)


def register(router) -> None:
    """Add this module's viewsets to the API router (config/api.py calls it)."""
    router.register("product-lines", ProductLineViewSet, basename="product-line")
    router.register("territories", TerritoryViewSet, basename="territory")
    router.register("contacts", ContactViewSet, basename="contact")
    router.register("carried-brands", CarriedBrandViewSet, basename="carried-brand")
    router.register("status-changes", StatusChangeViewSet, basename="status-change")
    router.register("selection-checklists", SelectionViewSet, basename="selection-checklist")
