from rest_framework import serializers

from partners.models import Distributor, Membership


class WorkspaceMembershipSerializer(serializers.ModelSerializer):
    vendor = serializers.CharField(source="vendor.slug")
    vendor_name = serializers.CharField(source="vendor.name")
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = Membership
        fields = ["vendor", "vendor_name", "role", "role_label", "distributor_id"]


class MeSerializer(serializers.Serializer):
    """The person calling, their role in this workspace and all their workspaces."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    language = serializers.CharField()
    current_role = serializers.CharField()
    current_distributor_id = serializers.IntegerField(allow_null=True)
    memberships = WorkspaceMembershipSerializer(many=True)


class DistributorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Distributor
        fields = [
            "id",
            "name",
            "country",
            "currency",
            "time_zone",
            "language",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness of the name is the service's rule (with a field error), not the serializer's.
        validators = []
