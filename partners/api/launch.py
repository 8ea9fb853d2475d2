"""API viewsets for launch, under /api/v1/<vendor-slug>/.

* ``launch-template-items``: the vendor's template (vendor staff read; vendor admins write).
* ``launch-checklists``: the checklists the caller reaches, each with its items (read).
* ``launch-items/<id>/done/``: POST ticks an item off, DELETE opens it again.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from partners import roles
from partners.models import LaunchChecklist, LaunchChecklistItem, LaunchSide, LaunchTemplateItem
from partners.models.launch import LAUNCH_WEEKS, MAX_DUE_DAY
from partners.platform.api import TenantViewSet
from partners.selectors import launch as launch_selectors
from partners.services import launch as launch_services

# --- serializers -------------------------------------------------------------------------------


class LaunchTemplateItemSerializer(serializers.ModelSerializer):
    """A template item. ``title``/``description`` are what readers see (the translated
    default while ``is_standard``); writes set the vendor's own text."""

    week = serializers.ChoiceField(choices=LAUNCH_WEEKS)
    due_day = serializers.IntegerField(min_value=1, max_value=MAX_DUE_DAY)
    side = serializers.ChoiceField(choices=LaunchSide.choices)
    is_standard = serializers.SerializerMethodField()

    class Meta:
        model = LaunchTemplateItem
        fields = ["id", "week", "position", "title", "description", "side", "due_day",
                  "is_standard"]  # fmt: skip
        read_only_fields = ["id", "position", "is_standard"]

    def get_is_standard(self, obj) -> bool:
        return bool(obj.default_key)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["title"] = instance.display_title
        data["description"] = instance.display_description
        return data


class LaunchOwnerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["membership", "contact"])
    id = serializers.IntegerField()
    name = serializers.CharField()


class LaunchChecklistItemSerializer(serializers.ModelSerializer):
    """One item of a distributor's checklist, with its owner and whether it is done."""

    title = serializers.CharField(source="display_title")
    description = serializers.CharField(source="display_description")
    owner = serializers.SerializerMethodField()
    done = serializers.BooleanField(source="is_done")
    done_by = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = LaunchChecklistItem
        fields = ["id", "week", "position", "title", "description", "side", "due_on", "owner",
                  "done", "done_at", "done_by", "overdue"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(LaunchOwnerSerializer(allow_null=True))
    def get_owner(self, obj):
        if obj.owner_membership_id:
            return {"kind": "membership", "id": obj.owner_membership_id, "name": obj.owner_label}
        if obj.owner_contact_id:
            return {"kind": "contact", "id": obj.owner_contact_id, "name": obj.owner_label}
        return None

    def get_done_by(self, obj) -> str | None:
        return (obj.done_by.full_name or obj.done_by.email) if obj.done_by_id else None

    def get_overdue(self, obj) -> bool:
        today = self.context.get("today") or obj.checklist.distributor.local_today()
        return obj.is_overdue(today)


class LaunchChecklistSerializer(serializers.ModelSerializer):
    """A distributor's checklist with its progress (and, in detail, its items)."""

    distributor_name = serializers.CharField(source="distributor.name", read_only=True)
    done_items = serializers.IntegerField(read_only=True)
    total_items = serializers.IntegerField(read_only=True)
    percent_done = serializers.SerializerMethodField()

    class Meta:
        model = LaunchChecklist
        fields = ["id", "distributor", "distributor_name", "start_date", "done_items",
                  "total_items", "percent_done"]  # fmt: skip
        read_only_fields = fields

    def get_percent_done(self, obj) -> int:
        return round(100 * obj.done_items / obj.total_items) if obj.total_items else 0


class LaunchChecklistDetailSerializer(LaunchChecklistSerializer):
    items = serializers.SerializerMethodField()

    class Meta(LaunchChecklistSerializer.Meta):
        fields = [*LaunchChecklistSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(LaunchChecklistItemSerializer(many=True))
    def get_items(self, obj):
        return LaunchChecklistItemSerializer(
            self.context["items"], many=True, context=self.context
        ).data


# --- viewsets ----------------------------------------------------------------------------------


class LaunchTemplatePermission(permissions.BasePermission):
    """Vendor staff read the template; vendor admins write it; a distributor's people get 403
    (after the lookup, so a foreign id is still a 404)."""

    def has_permission(self, request, view):
        actor = request._request.membership
        if view.action == "list":
            return roles.is_staff_reader(actor)
        if view.action == "create":
            return roles.is_vendor_admin(actor)
        return True

    def has_object_permission(self, request, view, obj):
        actor = request._request.membership
        if request.method in permissions.SAFE_METHODS:
            return roles.is_staff_reader(actor)
        return roles.is_vendor_admin(actor)


class LaunchTemplateItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """Items of the vendor's launch template, in order. While the vendor has never edited
    its template the list shows the standard items (with ``id`` null); the first write stores
    them."""

    queryset = LaunchTemplateItem.objects.none()
    serializer_class = LaunchTemplateItemSerializer
    selector = staticmethod(launch_selectors.launch_template_item_list_for_actor)
    permission_classes = [*TenantViewSet.permission_classes, LaunchTemplatePermission]
    pagination_class = None  # a template is a few dozen items at most

    def list(self, request, *args, **kwargs):
        weeks = launch_selectors.launch_template_weeks(vendor=self.vendor, actor=self.actor)
        rows = [item for week in weeks for item in week.items]
        return Response(self.get_serializer(rows, many=True).data)

    def perform_create(self, serializer):
        serializer.instance = launch_services.launch_template_item_create(
            vendor=self.vendor, actor=self.actor, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = launch_services.launch_template_item_update(
            vendor=self.vendor,
            actor=self.actor,
            item=serializer.instance,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        launch_services.launch_template_item_delete(
            vendor=self.vendor, actor=self.actor, item=instance
        )


class LaunchChecklistViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Launch checklists the caller reaches (a distributor's people: their own). Filter the
    list with ``?distributor=<id>``; the detail includes the items."""

    queryset = LaunchChecklist.objects.none()
    serializer_class = LaunchChecklistSerializer
    selector = staticmethod(launch_selectors.launch_checklist_list_for_actor)

    def get_queryset(self):
        qs = super().get_queryset()
        distributor = self.request.query_params.get("distributor", "")
        if self.action == "list" and distributor:
            qs = qs.filter(distributor_id=distributor) if distributor.isdigit() else qs.none()
        return qs

    @extend_schema(responses=LaunchChecklistDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        checklist = self.get_object()
        items = launch_selectors.launch_item_list_for_actor(
            vendor=self.vendor, actor=self.actor
        ).filter(checklist=checklist)
        context = {
            **self.get_serializer_context(),
            "items": list(items),
            "today": checklist.distributor.local_today(),
        }
        return Response(LaunchChecklistDetailSerializer(checklist, context=context).data)


@extend_schema_view(
    done=extend_schema(request=None, responses={200: LaunchChecklistItemSerializer}),
)
class LaunchItemViewSet(mixins.RetrieveModelMixin, TenantViewSet):
    """Items of the checklists the caller reaches. ``POST .../done/`` ticks one off and
    ``DELETE .../done/`` opens it again (vendor admins and channel managers: any item; a
    distributor admin: its own distributor's)."""

    queryset = LaunchChecklistItem.objects.none()
    serializer_class = LaunchChecklistItemSerializer
    selector = staticmethod(launch_selectors.launch_item_list_for_actor)

    @action(detail=True, methods=["post", "delete"], url_path="done")
    def done(self, request, *args, **kwargs):
        item = self.get_object()
        item = launch_services.launch_item_set_done(
            vendor=self.vendor, actor=self.actor, item=item, done=request.method == "POST"
        )
        item = launch_selectors.launch_item_get_for_actor_or_404(
            vendor=self.vendor, actor=self.actor, pk=item.pk
        )
        return Response(self.get_serializer(item).data, status=status.HTTP_200_OK)


def register(router) -> None:
    """Add this module's viewsets to the API router (config/api.py calls it)."""
    router.register(
        "launch-template-items", LaunchTemplateItemViewSet, basename="launch-template-item"
    )
    router.register("launch-checklists", LaunchChecklistViewSet, basename="launch-checklist")
    router.register("launch-items", LaunchItemViewSet, basename="launch-item")
