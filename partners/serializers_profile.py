"""Serializers for the profile API: catalogue, contacts, carried brands, status changes and
partner selection. Related-object choices are limited to what the caller reaches."""

from __future__ import annotations

from rest_framework import serializers

from partners.models import (
    CarriedBrand,
    DistributorContact,
    DistributorStatusChange,
    ProductLine,
    SelectionChecklist,
    Territory,
)
from partners.rules import selection_missing_checks
from partners.selectors import distributor_list_for_actor


def _scoped(serializer) -> tuple | None:
    """(vendor, actor) of the request, or None while the schema is generated."""
    view = serializer.context.get("view")
    if view is None or getattr(view, "swagger_fake_view", False):
        return None
    return view.vendor, view.actor


class ReachableDistributorField(serializers.PrimaryKeyRelatedField):
    """A distributor the caller reaches (another one is "does not exist", like a missing id)."""

    def get_queryset(self):
        scoped = _scoped(self.parent)
        if scoped is None:
            from partners.models import Distributor

            return Distributor.objects.none()
        vendor, actor = scoped
        return distributor_list_for_actor(vendor=vendor, actor=actor)


class ProductLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductLine
        fields = ["id", "name", "name_ja", "code", "description", "is_active"]
        read_only_fields = ["id"]
        validators: list = []  # duplicate names are the service's field error


class TerritorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Territory
        fields = ["id", "name", "name_ja", "country", "description"]
        read_only_fields = ["id"]
        validators: list = []


class ContactSerializer(serializers.ModelSerializer):
    distributor = ReachableDistributorField()

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # Set on creation; a contact never moves to another distributor.
            fields["distributor"] = serializers.IntegerField(
                source="distributor_id", read_only=True
            )
        return fields

    class Meta:
        model = DistributorContact
        fields = [
            "id",
            "distributor",
            "name",
            "role",
            "title",
            "email",
            "phone",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


class CarriedBrandSerializer(serializers.ModelSerializer):
    distributor = ReachableDistributorField()

    class Meta:
        model = CarriedBrand
        fields = ["id", "distributor", "brand", "category", "competes", "note"]
        read_only_fields = ["id"]
        validators: list = []


class StatusChangeSerializer(serializers.ModelSerializer):
    # Plain strings: the same status values as Distributor.status (one enum in the schema).
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    changed_by = serializers.CharField(source="changed_by.full_name", default=None, read_only=True)

    class Meta:
        model = DistributorStatusChange
        fields = [
            "id",
            "distributor",
            "from_status",
            "to_status",
            "effective_on",
            "reason",
            "changed_by",
            "created_at",
        ]
        read_only_fields = fields


class StatusChangeRequestSerializer(serializers.Serializer):
    """A request to move a distributor to another status."""

    to_status = serializers.CharField(help_text="onboarding, active, suspended or terminated")
    effective_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True)


class SelectionSerializer(serializers.ModelSerializer):
    distributor = serializers.IntegerField(source="distributor_id", read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", default=None, read_only=True)
    overridden_by = serializers.CharField(
        source="overridden_by.full_name", default=None, read_only=True
    )
    is_complete = serializers.BooleanField(read_only=True)
    clears_contract = serializers.BooleanField(read_only=True)
    missing_checks = serializers.SerializerMethodField()
    competing_brands = serializers.SerializerMethodField()

    class Meta:
        model = SelectionChecklist
        fields = [
            "distributor",
            "references_checked",
            "references_note",
            "competing_brands_reviewed",
            "competing_brands_note",
            "sales_people",
            "sales_capacity_confirmed",
            "sales_capacity_note",
            "willing_to_train",
            "training_note",
            "financial_check",
            "financial_note",
            "decision",
            "decision_reason",
            "decided_by",
            "decided_at",
            "override_reason",
            "overridden_by",
            "overridden_at",
            "is_complete",
            "clears_contract",
            "missing_checks",
            "competing_brands",
        ]
        read_only_fields = ["decided_at", "override_reason", "overridden_at"]
        validators: list = []

    def get_missing_checks(self, obj) -> list[str]:
        return list(selection_missing_checks(obj))

    def get_competing_brands(self, obj) -> list[str]:
        return self.context.get("competing_brands", [])


class SelectionOverrideSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
