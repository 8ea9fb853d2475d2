"""API for people and distributors, under /api/v1/<vendor-slug>/."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.response import Response

from partners import selectors
from partners.api_base import TenantViewSet
from partners.models import Distributor, Membership
from partners.serializers import DistributorSerializer, MeSerializer
from partners.services import distributors as distributor_services


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


class DistributorViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Distributors of the workspace. A distributor's people see only their own."""

    queryset = Distributor.objects.none()
    serializer_class = DistributorSerializer
    selector = staticmethod(selectors.distributor_list_for_actor)

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
