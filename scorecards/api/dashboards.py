"""API of the dashboards area under /api/v1/<vendor-slug>/ (read only).

* ``scorecards``: GET the scorecards within reach (vendor staff every distributor's, a
  distributor's people only their own), newest period first; filters ``?period_kind=``,
  ``?period_start=`` (ISO date), ``?distributor=<id>``.
* ``scorecards/<id>``: one scorecard with its KPI actuals (value, targets, ramp, attainment,
  level, RAG). Another distributor's or vendor's scorecard is a 404.
"""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers

from partners.platform.api import TenantViewSet
from scorecards.models import KpiActual, PeriodKind, Scorecard
from scorecards.selectors import dashboards as sel


class KpiActualSerializer(serializers.ModelSerializer):
    """A KPI's value on a scorecard with the targets it was measured against."""

    kpi_code = serializers.CharField(source="kpi.code")
    kpi_name = serializers.CharField(source="kpi.name")
    unit = serializers.CharField(source="kpi.unit")

    class Meta:
        model = KpiActual
        fields = ["kpi", "kpi_code", "kpi_name", "family", "unit", "value", "currency", "base",
                  "stretch", "exceed", "ramp_percent", "weight", "attainment", "level", "rag"]  # fmt: skip
        read_only_fields = fields


class ScorecardSerializer(serializers.ModelSerializer):
    """A distributor's scorecard for a period."""

    distributor_name = serializers.CharField(source="distributor.name")

    class Meta:
        model = Scorecard
        fields = ["id", "distributor", "distributor_name", "period_kind", "period_start",
                  "score", "rag", "commercial_rag", "execution_rag", "operational_rag",
                  "red_count", "computed_at"]  # fmt: skip
        read_only_fields = fields


class ScorecardDetailSerializer(ScorecardSerializer):
    """A scorecard with its KPI actuals (``actuals`` is set on the instance by the view)."""

    actuals = serializers.SerializerMethodField()

    class Meta(ScorecardSerializer.Meta):
        fields = [*ScorecardSerializer.Meta.fields, "actuals"]
        read_only_fields = fields

    @extend_schema_field(KpiActualSerializer(many=True))
    def get_actuals(self, obj) -> list[dict]:
        # many=True gives a list; the stubs type .data as a dict.
        return KpiActualSerializer(getattr(obj, "actuals", []), many=True).data  # type: ignore[return-value]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("period_kind", str, enum=PeriodKind.values),
            OpenApiParameter("period_start", dt.date),
            OpenApiParameter("distributor", int),
        ]
    )
)
class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Scorecards within reach, newest period first (read only)."""

    queryset = Scorecard.objects.none()
    serializer_class = ScorecardSerializer
    selector = staticmethod(sel.scorecard_list_for_actor)

    def get_serializer_class(self):
        return ScorecardDetailSerializer if self.action == "retrieve" else ScorecardSerializer

    def get_queryset(self):
        qs = super().get_queryset().select_related("distributor")
        params = self.request.query_params
        if self.action == "list":
            kind = params.get("period_kind", "")
            if kind:
                qs = qs.filter(period_kind=kind) if kind in PeriodKind.values else qs.none()
            start = params.get("period_start", "")
            if start:
                try:
                    qs = qs.filter(period_start=dt.date.fromisoformat(start))
                except ValueError:
                    qs = qs.none()
            distributor = params.get("distributor", "")
            if distributor:
                qs = qs.filter(distributor_id=distributor) if distributor.isdigit() else qs.none()
        return qs.order_by("-period_start", "period_kind", "distributor__name", "id")

    def get_object(self):
        card = super().get_object()
        card.actuals = sel.kpi_actuals_of(
            vendor=self.vendor,
            distributor_id=card.distributor_id,
            period_kind=card.period_kind,
            period_start=card.period_start,
        )
        return card


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register(r"scorecards", ScorecardViewSet, basename="scorecard")
