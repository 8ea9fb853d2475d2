"""API of corrective action plans under /api/v1/<vendor-slug>/.

* ``corrective-plans``: vendor staff list and read every plan, a distributor's people their own
  distributor's opened plans (a detail includes the actions). Filters ``?status=``,
  ``?distributor=<id>``. Vendor admins and channel managers POST ``{distributor, gap}`` to open
  a plan by hand, POST ``<id>/open/`` (``{gap}`` optional) to accept a suggestion and POST
  ``<id>/review/`` with ``{outcome, reason, review_on?, end_lines?, effective_on?}``.
* ``plan-actions``: the actions of the plans within reach (``?plan=<id>``). Vendor admins and
  channel managers POST ``{plan, text, owner, due_on}`` (a fourth action is a 400 naming
  ``plan``) and PATCH anything; a distributor's person PATCHes only ``status`` of an action
  they own (anything else is a 403 and changes nothing).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from partners import roles
from partners import selectors as partner_selectors
from partners.models import Contract, Membership, ScopeLine
from partners.platform.api import TenantViewSet
from scorecards.models import ActionStatus, CorrectivePlan, PlanAction, PlanOutcome, PlanStatus
from scorecards.selectors import plans as sel
from scorecards.services import plans as services


class ManagersWrite(permissions.BasePermission):
    """Everyone within reach reads; opening, reviewing and adding are for vendor admins and
    channel managers (refused before the object or payload is looked at). PATCH of an action
    is checked by the service (a distributor's person may set the status of their own)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or view.action == "partial_update":
            return True
        return roles.is_editor(getattr(request._request, "membership", None))


class PlanActionSerializer(serializers.ModelSerializer):
    """One action of a plan."""

    owner_name = serializers.CharField(source="owner.user.full_name", read_only=True)

    class Meta:
        model = PlanAction
        fields = ["id", "plan", "text", "owner", "owner_name", "due_on", "status", "done_at",
                  "updated_at"]  # fmt: skip
        read_only_fields = fields


class PlanActionWriteSerializer(serializers.Serializer):
    """Input of an action: every field for a new one, any of them for a change."""

    plan = serializers.IntegerField(required=True)
    text = serializers.CharField(max_length=300, required=True)
    owner = serializers.IntegerField(required=True)
    due_on = serializers.DateField(required=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)


class PlanSerializer(serializers.ModelSerializer):
    """A corrective plan (the detail adds its actions)."""

    distributor_name = serializers.CharField(source="distributor.name", read_only=True)

    class Meta:
        model = CorrectivePlan
        fields = ["id", "distributor", "distributor_name", "trigger", "trigger_details",
                  "trigger_period", "gap", "status", "opened_at", "review_on", "outcome",
                  "outcome_reason", "reviewed_at", "amendment", "closed_at", "created_at"]  # fmt: skip
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    actions = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "actions"]
        read_only_fields = fields

    def get_actions(self, obj) -> list[dict]:
        # many=True gives a list; the stubs type .data as a dict.
        return PlanActionSerializer(getattr(obj, "action_rows", []), many=True).data  # type: ignore[return-value]


class PlanOpenSerializer(serializers.Serializer):
    distributor = serializers.IntegerField()
    gap = serializers.CharField(max_length=2000)


class PlanAcceptSerializer(serializers.Serializer):
    gap = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PlanReviewSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=PlanOutcome.choices)
    reason = serializers.CharField(max_length=2000)
    review_on = serializers.DateField(required=False, allow_null=True)
    end_lines = serializers.ListField(child=serializers.IntegerField(), required=False)
    effective_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PlanStatus.values),
            OpenApiParameter("distributor", int),
        ]
    ),
    retrieve=extend_schema(responses=PlanDetailSerializer),
    create=extend_schema(request=PlanOpenSerializer, responses={201: PlanDetailSerializer}),
    open=extend_schema(request=PlanAcceptSerializer, responses=PlanDetailSerializer),
    review=extend_schema(request=PlanReviewSerializer, responses=PlanDetailSerializer),
)
class CorrectivePlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Corrective plans within reach, newest first."""

    queryset = CorrectivePlan.objects.none()
    serializer_class = PlanSerializer
    selector = staticmethod(sel.plan_list_for_actor)
    permission_classes = [*TenantViewSet.permission_classes, ManagersWrite]

    def get_queryset(self):
        qs = super().get_queryset().select_related("distributor")
        params = self.request.query_params
        if self.action == "list":
            wanted = params.get("status", "")
            if wanted:
                qs = qs.filter(status=wanted) if wanted in PlanStatus.values else qs.none()
            distributor = params.get("distributor", "")
            if distributor:
                qs = qs.filter(distributor_id=distributor) if distributor.isdigit() else qs.none()
        return qs.order_by("-created_at", "-id")

    def _detail(self, plan, code=status.HTTP_200_OK):
        plan = sel.plan_get_for_actor_or_404(vendor=self.vendor, actor=self.actor, pk=plan.pk)
        plan.action_rows = list(
            sel.action_list_for_actor(vendor=self.vendor, actor=self.actor)
            .filter(plan=plan)
            .select_related("owner__user")
            .order_by("due_on", "id")
        )
        return Response(PlanDetailSerializer(plan).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        data = PlanOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        distributor = (
            partner_selectors.distributor_list_for_actor(vendor=self.vendor, actor=self.actor)
            .filter(pk=data.validated_data["distributor"])
            .first()
        )
        if distributor is None:
            raise ApiValidationError({"distributor": [_("No such distributor.")]})
        plan = services.plan_open(
            vendor=self.vendor,
            actor=self.actor,
            distributor=distributor,
            gap=data.validated_data["gap"],
        )
        return self._detail(plan, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="open")
    def open(self, request, *args, **kwargs):
        plan = self.get_object()
        data = PlanAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_open(
            vendor=self.vendor,
            actor=self.actor,
            plan=plan,
            gap=data.validated_data.get("gap", ""),
        )
        return self._detail(plan)

    @action(detail=True, methods=["post"], url_path="review")
    def review(self, request, *args, **kwargs):
        plan = self.get_object()
        data = PlanReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        line_ids = values.get("end_lines") or []
        contract = None
        if line_ids:
            contract_ids = set(
                ScopeLine.objects.filter(
                    vendor=self.vendor, pk__in=line_ids, distributor_id=plan.distributor_id
                ).values_list("contract_id", flat=True)
            )
            if len(contract_ids) != 1:
                raise ApiValidationError(
                    {"end_lines": [_("Choose running scope lines of one contract.")]}
                )
            contract = Contract.objects.get(pk=contract_ids.pop())
        plan = services.plan_review(
            vendor=self.vendor,
            actor=self.actor,
            plan=plan,
            outcome=values["outcome"],
            reason=values["reason"],
            review_on=values.get("review_on"),
            contract=contract,
            end_line_ids=line_ids,
            effective_on=values.get("effective_on"),
        )
        return self._detail(plan)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("plan", int)]),
    create=extend_schema(request=PlanActionWriteSerializer, responses={201: PlanActionSerializer}),
    partial_update=extend_schema(request=PlanActionWriteSerializer, responses=PlanActionSerializer),
)
class PlanActionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, TenantViewSet
):
    """Actions of the plans within reach."""

    queryset = PlanAction.objects.none()
    serializer_class = PlanActionSerializer
    selector = staticmethod(sel.action_list_for_actor)
    permission_classes = [*TenantViewSet.permission_classes, ManagersWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().select_related("plan", "owner__user")
        plan = self.request.query_params.get("plan", "")
        if self.action == "list" and plan:
            qs = qs.filter(plan_id=plan) if plan.isdigit() else qs.none()
        return qs.order_by("plan_id", "due_on", "id")

    def _owner(self, pk):
        owner = Membership.objects.filter(vendor=self.vendor, pk=pk).first()
        if owner is None:
            raise ApiValidationError({"owner": [_("No such person in this workspace.")]})
        return owner

    def create(self, request, *args, **kwargs):
        data = PlanActionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        plan = (
            sel.plan_list_for_actor(vendor=self.vendor, actor=self.actor)
            .filter(pk=values["plan"])
            .first()
        )
        if plan is None:
            raise ApiValidationError({"plan": [_("No such plan.")]})
        created = services.action_add(
            vendor=self.vendor,
            actor=self.actor,
            plan=plan,
            text=values["text"],
            owner=self._owner(values["owner"]),
            due_on=values["due_on"],
        )
        return Response(PlanActionSerializer(created).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        data = PlanActionWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "plan" in values and values.pop("plan") != item.plan_id:
            raise ApiValidationError({"plan": [_("An action stays in its plan.")]})
        if "owner" in values:
            values["owner"] = self._owner(values["owner"])
        updated = services.action_update(
            vendor=self.vendor, actor=self.actor, action=item, **values
        )
        return Response(PlanActionSerializer(updated).data)


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register(r"corrective-plans", CorrectivePlanViewSet, basename="corrective-plan")
    router.register(r"plan-actions", PlanActionViewSet, basename="plan-action")
