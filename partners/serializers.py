from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from partners import roles, zones
from partners.models import Distributor, Membership, ProductLine, Territory


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
    """A distributor's profile. ``status`` is read-only here: it changes through
    ``POST distributors/{id}/change-status/``. ``owner`` is the membership id of an active
    vendor admin or channel manager; ``territories`` and ``product_lines`` are ids from this
    workspace's catalogue (anything else is "does not exist")."""

    owner = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.none(), allow_null=True, required=False
    )
    territories = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.none(), many=True, required=False
    )
    product_lines = serializers.PrimaryKeyRelatedField(
        queryset=ProductLine.objects.none(), many=True, required=False
    )
    time_zone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "A zone name such as Asia/Tokyo (a unique city name such as Tokyo also does). "
            "Omitted or empty: the country's usual zone."
        ),
    )

    class Meta:
        model = Distributor
        fields = [
            "id",
            "name",
            "legal_name",
            "country",
            "currency",
            "time_zone",
            "language",
            "status",
            "status_changed_on",
            "owner",
            "territories",
            "product_lines",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "status_changed_on", "created_at", "updated_at"]
        # Uniqueness of the name is the service's rule (with a field error), not the serializer's.
        validators: list = []

    def validate_time_zone(self, value: str) -> str:
        """A zone name (any case) or a unique city; empty lets the country decide."""
        if not value:
            return ""
        zone = zones.zone_lookup(value)
        if zone is None:
            raise serializers.ValidationError(_("Unknown time zone: %(value)s") % {"value": value})
        return zone

    def get_fields(self):
        fields = super().get_fields()
        view = self.context.get("view")
        if view is None or getattr(view, "swagger_fake_view", False):
            return fields
        vendor, actor = view.vendor, view.actor
        if not roles.is_editor(actor):
            return fields  # read-only for everyone else: no choices needed
        from partners.selectors import profile as profile_selectors

        owner = cast(serializers.PrimaryKeyRelatedField, fields["owner"])
        territories = cast(serializers.ManyRelatedField, fields["territories"]).child_relation
        lines = cast(serializers.ManyRelatedField, fields["product_lines"]).child_relation
        # The stubs read the Manager in ``queryset``'s declared type as a descriptor.
        owner.queryset = profile_selectors.owner_choices(vendor=vendor, actor=actor)  # type: ignore[arg-type]
        territories.queryset = profile_selectors.territory_choices(vendor=vendor, actor=actor)  # type: ignore[arg-type]
        lines.queryset = profile_selectors.product_line_choices(vendor=vendor, actor=actor)  # type: ignore[arg-type]
        return fields
