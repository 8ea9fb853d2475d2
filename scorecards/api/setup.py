"""API of the setup area under /api/v1/<vendor-slug>/.

* ``kpis``: every member reads the catalogue (a distributor's people see these KPIs on their
  own scorecard); vendor admins create and update (PATCH ``is_active: false`` takes one out of
  use). Nobody deletes a KPI.
* ``scorecard-templates``: vendor staff read (a distributor's people get an empty list).
* ``targets``: list filtered by ``period_kind``, ``period_start``, ``kpi`` (code) and
  ``distributor``; a distributor's people list their own distributor's targets only.
  ``targets/bulk/``: vendor admins and channel managers POST up to 5,000 targets, all or
  nothing: a 400 with ``{"rows": {"<index>": {"<field>": ["message"]}}}`` writes nothing.
* ``exchange-rates``: vendor staff read (a distributor's people get an empty list).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from partners import roles
from partners.platform.api import TenantViewSet
from scorecards.models import ExchangeRate, Kpi, PeriodKind, ScorecardTemplate, Target
from scorecards.selectors import setup as selectors
from scorecards.services import kpis as kpi_services
from scorecards.services.target_import import target_rows_resolve
from scorecards.services.targets import (
    MAX_BULK_TARGETS,
    RowsInvalid,
    target_rows_check,
    targets_upsert,
)


def _membership(request):
    return getattr(request._request, "membership", None)


class CatalogueWrite(permissions.BasePermission):
    """Every member reads; only vendor admins write (refused before the payload is read)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return roles.is_vendor_admin(_membership(request))


class TargetEditorsWrite(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return roles.is_editor(_membership(request))


class KpiSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kpi
        fields = ["id", "code", "name", "name_ja", "description", "family", "source", "unit", "direction",
                  "aggregation", "weight", "is_active", "position", "updated_at"]  # fmt: skip
        read_only_fields = ["id", "position", "updated_at"]
        extra_kwargs = {
            "unit": {"required": False},
            "direction": {"required": False},
            "aggregation": {"required": False},
        }
        validators: list = []  # uniqueness of the code is the service's check


class KpiViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """The KPI catalogue."""

    queryset = Kpi.objects.none()
    serializer_class = KpiSerializer
    selector = staticmethod(selectors.kpi_list_for_api)
    permission_classes = [*TenantViewSet.permission_classes, CatalogueWrite]

    def perform_create(self, serializer):
        data = {"unit": "", "direction": "higher", "aggregation": "", **serializer.validated_data}
        serializer.instance = kpi_services.kpi_create(vendor=self.vendor, actor=self.actor, **data)

    def perform_update(self, serializer):
        serializer.instance = kpi_services.kpi_update(
            vendor=self.vendor,
            actor=self.actor,
            kpi=serializer.instance,
            **serializer.validated_data,
        )


class TemplateKpiSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi.code")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)


class TemplateSerializer(serializers.ModelSerializer):
    kpis = TemplateKpiSerializer(source="template_kpis", many=True, read_only=True)
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2), read_only=True, help_text="Country codes"
    )

    class Meta:
        model = ScorecardTemplate
        fields = ["id", "name", "countries", "is_default", "kpis", "updated_at"]
        read_only_fields = fields


class TemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Scorecard templates with their KPIs and weights (vendor staff)."""

    queryset = ScorecardTemplate.objects.none()
    serializer_class = TemplateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.actor.is_distributor_role:
            return self.queryset  # nothing for a distributor's people (a detail is a 404)
        return selectors.template_list(vendor=self.vendor, actor=self.actor)


class TargetSerializer(serializers.ModelSerializer):
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)

    class Meta:
        model = Target
        fields = ["id", "distributor", "kpi", "kpi_code", "period_kind", "period_start",
                  "full_base", "full_stretch", "full_exceed", "ramp_percent", "base", "stretch",
                  "exceed", "source", "updated_at"]  # fmt: skip
        read_only_fields = fields


class TargetInputSerializer(serializers.Serializer):
    distributor = serializers.IntegerField()
    kpi = serializers.CharField(help_text="KPI code")
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices)
    period_start = serializers.DateField()
    base = serializers.DecimalField(max_digits=18, decimal_places=4)
    stretch = serializers.DecimalField(max_digits=18, decimal_places=4)
    exceed = serializers.DecimalField(max_digits=18, decimal_places=4)


class TargetBulkSerializer(serializers.Serializer):
    targets = serializers.ListField(child=TargetInputSerializer(), max_length=MAX_BULK_TARGETS)


BULK_RESULT = inline_serializer(
    "TargetBulkResult",
    {"created": serializers.IntegerField(), "updated": serializers.IntegerField()},
)
BULK_ERRORS = inline_serializer(
    "TargetBulkErrors", {"rows": serializers.DictField(child=serializers.DictField())}
)


class TargetViewSet(mixins.ListModelMixin, TenantViewSet):
    """Targets (a distributor's people: their own), and the bulk upsert."""

    queryset = Target.objects.none()
    serializer_class = TargetSerializer
    permission_classes = [*TenantViewSet.permission_classes, TargetEditorsWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.target_list_for_actor(
            vendor=self.vendor, actor=self.actor, params=self.request.query_params
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("period_kind", str, enum=PeriodKind.values),
            OpenApiParameter("period_start", str, description="YYYY-MM-DD"),
            OpenApiParameter("kpi", str, description="KPI code"),
            OpenApiParameter("distributor", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TargetBulkSerializer, responses={200: BULK_RESULT, 400: BULK_ERRORS})
    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        """Insert or update up to 5,000 targets (full levels; ramps apply), all or nothing."""
        payload = request.data if isinstance(request.data, dict) else {}
        items = payload.get("targets")
        if not isinstance(items, list):
            return Response({"targets": [_("Send a list.")]}, status=status.HTTP_400_BAD_REQUEST)
        if len(items) > MAX_BULK_TARGETS:
            return Response(
                {"targets": [_("At most %(max)s targets at once.") % {"max": MAX_BULK_TARGETS}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        records, errors = [], {}
        for index, item in enumerate(items):
            item = item if isinstance(item, dict) else {}
            check = TargetInputSerializer(data=item)
            if not check.is_valid():
                errors[index] = {k: [str(m) for m in v] for k, v in check.errors.items()}
                continue
            records.append((index, {
                "distributor_id": str(item.get("distributor")), "kpi": str(item.get("kpi")),
                "period_kind": item.get("period_kind"), "period_start": str(item.get("period_start")),
                "base": item.get("base"), "stretch": item.get("stretch"), "exceed": item.get("exceed"),
            }))  # fmt: skip
        keys, rows, resolve_errors = target_rows_resolve(vendor=self.vendor, records=records)
        for index, fields in resolve_errors.items():
            errors[index] = {("distributor" if k == "distributor_id" else k): v
                             for k, v in fields.items()}  # fmt: skip
        _cleaned, level_errors = target_rows_check(
            rows=rows, keys=keys, fiscal_start_month=self.vendor.fiscal_year_start_month
        )
        errors.update(level_errors)
        if errors:
            return Response({"rows": dict(sorted(errors.items()))}, status=400)
        try:
            result = targets_upsert(vendor=self.vendor, actor=self.actor, rows=rows, keys=keys)
        except RowsInvalid as exc:
            return Response({"rows": exc.rows}, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as exc:
            raise ApiPermissionDenied from exc
        return Response(result)


class ExchangeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "period_start", "rate", "updated_at"]
        read_only_fields = fields


class ExchangeRateViewSet(mixins.ListModelMixin, TenantViewSet):
    """The vendor's exchange rates into its reporting currency (vendor staff)."""

    queryset = ExchangeRate.objects.none()
    serializer_class = ExchangeRateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or self.actor.is_distributor_role:
            return self.queryset
        return selectors.exchange_rate_list(vendor=self.vendor, actor=self.actor)


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register(r"kpis", KpiViewSet, basename="kpi")
    router.register(r"scorecard-templates", TemplateViewSet, basename="scorecard-template")
    router.register(r"targets", TargetViewSet, basename="target")
    router.register(r"exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
