"""API for people and distributors, under /api/v1/<vendor-slug>/."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from partners import roles, selectors
from partners.models import Distributor, Membership
from partners.platform.api import EditorsWrite, TenantViewSet
from partners.serializers import DistributorSerializer, MeSerializer
from partners.serializers_profile import StatusChangeRequestSerializer, StatusChangeSerializer
from partners.services import distributors as distributor_services
from partners.services import profile as profile_services


class MeViewSet(TenantViewSet):
    """The person calling, with their role here and the workspaces they belong to."""

    queryset = Membership.objects.none()
    serializer_class = MeSerializer

    @extend_schema(responses=MeSerializer)
    def list(self, request, *args, **kwargs):
        user = request.user
        data = {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "current_role": self.actor.role,
            "current_distributor_id": self.actor.distributor_id,
            "memberships": selectors.workspaces_for_user(user=user),
        }
        return Response(MeSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Part of the display or legal name."),
            OpenApiParameter("country", str, description="ISO country code."),
            OpenApiParameter("status", str, description="prospect, onboarding, active, ..."),
            OpenApiParameter("owner", int, description="Membership id of the channel manager."),
        ]
    )
)
class DistributorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Distributors of the workspace. A distributor's people see only their own."""

    permission_classes = [*TenantViewSet.permission_classes, EditorsWrite]
    queryset = Distributor.objects.none()
    serializer_class = DistributorSerializer
    selector = staticmethod(selectors.distributor_list_for_actor)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = self.request.query_params if self.action == "list" else {}
        return (
            selectors.distributor_list_for_actor(
                vendor=self.vendor,
                actor=self.actor,
                search=params.get("q", "").strip(),
                country=params.get("country", ""),
                status=params.get("status", ""),
                owner=params.get("owner", ""),
            )
            .select_related("owner")
            .prefetch_related("territories", "product_lines")
        )

    @extend_schema(request=StatusChangeRequestSerializer, responses={201: StatusChangeSerializer})
    @action(detail=True, methods=["post"], url_path="change-status")
    def change_status(self, request, pk=None, **kwargs):
        """Move the distributor to another status from a date, with a reason (vendor admins
        and channel managers). A prospect needs a cleared selection checklist first."""
        distributor = self.get_object()
        if not roles.is_editor(self.actor):
            raise PermissionDenied
        payload = StatusChangeRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        effective_on = data.get("effective_on") or distributor.local_today()
        change = profile_services.distributor_status_change(
            vendor=self.vendor,
            actor=self.actor,
            distributor=distributor,
            to_status=data["to_status"],
            effective_on=effective_on,
            reason=data["reason"],
        )
        return Response(StatusChangeSerializer(change).data, status=201)

    def perform_create(self, serializer):
        serializer.instance = distributor_services.distributor_create(
            vendor=self.vendor, actor=self.actor, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = distributor_services.distributor_update(
            vendor=self.vendor,
            actor=self.actor,
            distributor=serializer.instance,
            **serializer.validated_data,
        )
