"""API of reports, under /api/v1/<vendor-slug>/.

* ``reports``: the reports the caller reaches (vendor staff: every distributor's; a
  distributor's people: their own), each with its content. Filters: ``kind``, ``status``,
  ``distributor``, ``period_from`` and ``period_to`` (dates, on the period's start).
* ``PATCH reports/<id>/draft/``: save a draft (any subset of the content fields).
* ``POST reports/<id>/submit/``: hand the report in (the body is laid over the saved draft and
  the whole is validated). Both are for the distributor's own people: vendor staff get 403.
  Errors are 400 with the field named (``{"new_leads": ["…"]}``; a blocker or priority by its
  place: ``blocker_2_text``, ``priority_1``).
* ``GET reports/<id>/versions/``: every submission kept, oldest first.
"""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from partners.platform.api import TenantViewSet
from reporting.models import (
    Report,
    ReportKind,
    ReportStatus,
    ReportVersion,
    WeeklyBlockerTag,
)
from reporting.models.reports import MAX_BLOCKERS, MAX_PRIORITIES
from reporting.selectors import submissions as submission_selectors
from reporting.selectors.reports import report_list_for_actor
from reporting.services import submissions as submission_services

# --- serializers -------------------------------------------------------------------------------


class BlockerSerializer(serializers.Serializer):
    tag = serializers.ChoiceField(choices=WeeklyBlockerTag.choices)
    text = serializers.CharField(max_length=submission_services.MAX_SHORT_TEXT)


class ReportContentSerializer(serializers.Serializer):
    """The content of a report: the weekly fields for a weekly update, the monthly fields (and
    the currency, read only) for a monthly summary. In a draft every field is optional."""

    # Weekly update.
    new_leads = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    meetings_held = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    opportunities_discovery = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    opportunities_proposal = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    opportunities_negotiation = serializers.IntegerField(
        required=False, allow_null=True, min_value=0
    )
    blockers = serializers.ListField(
        child=BlockerSerializer(), required=False, max_length=MAX_BLOCKERS
    )
    priorities = serializers.ListField(
        child=serializers.CharField(), required=False, max_length=MAX_PRIORITIES
    )
    # Monthly summary.
    currency = serializers.CharField(read_only=True)
    units_sold = serializers.IntegerField(required=False, allow_null=True)
    revenue = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True
    )
    leads = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    quotes = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    orders = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    inventory_units = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    stockouts = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    stockout_notes = serializers.CharField(required=False, allow_blank=True)
    forecast_units = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    forecast_revenue = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    forecast_notes = serializers.CharField(required=False, allow_blank=True)
    marketing_actions = serializers.CharField(required=False, allow_blank=True)
    escalations = serializers.CharField(required=False, allow_blank=True)


class ReportSerializer(serializers.ModelSerializer):
    """A report with its lifecycle and its content (the draft or the latest submission)."""

    distributor_name = serializers.CharField(source="distributor.name", read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    is_editable = serializers.BooleanField(read_only=True)
    content = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "distributor", "distributor_name", "kind", "period_start", "period_end",
                  "due_at", "status", "is_editable", "is_late", "submitted_at",
                  "last_submitted_at", "draft_saved_at", "version_count", "missed_at",
                  "content"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ReportContentSerializer)
    def get_content(self, obj) -> dict:
        return submission_services.report_content_data(obj)


class ReportVersionSerializer(serializers.ModelSerializer):
    """One submission as it was handed in."""

    submitted_by_name = serializers.SerializerMethodField()
    data = ReportContentSerializer(read_only=True)  # type: ignore[assignment]  # a declared field

    class Meta:
        model = ReportVersion
        fields = ["number", "submitted_at", "submitted_by", "submitted_by_name", "was_late",
                  "data"]  # fmt: skip
        read_only_fields = fields

    def get_submitted_by_name(self, obj) -> str | None:
        if obj.submitted_by is None:
            return None
        return obj.submitted_by.user.full_name or obj.submitted_by.user.email


# --- viewset -----------------------------------------------------------------------------------


def _date_param(params, name: str) -> dt.date | None:
    value = params.get(name, "")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError({name: ["Use a date as YYYY-MM-DD."]}) from None


def _content_body(request) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send the fields as an object."]})
    return dict(request.data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=ReportKind.values),
            OpenApiParameter("status", str, enum=ReportStatus.values),
            OpenApiParameter("distributor", int),
            OpenApiParameter("period_from", dt.date, description="Periods starting on or after."),
            OpenApiParameter("period_to", dt.date, description="Periods starting on or before."),
        ]
    ),
    draft=extend_schema(request=ReportContentSerializer, responses={200: ReportSerializer}),
    submit=extend_schema(request=ReportContentSerializer, responses={200: ReportSerializer}),
    versions=extend_schema(responses={200: ReportVersionSerializer(many=True)}),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Reports the caller reaches, oldest due last; drafts and submissions for the
    distributor's own people."""

    queryset = Report.objects.none()
    serializer_class = ReportSerializer
    selector = staticmethod(report_list_for_actor)

    def get_queryset(self):
        qs = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return qs
        qs = qs.select_related("distributor", "weekly_update", "monthly_summary")
        if self.action != "list":
            return qs
        params = self.request.query_params
        kind, status = params.get("kind", ""), params.get("status", "")
        if kind:
            qs = qs.filter(kind=kind) if kind in ReportKind.values else qs.none()
        if status:
            qs = qs.filter(status=status) if status in ReportStatus.values else qs.none()
        distributor = params.get("distributor", "")
        if distributor:
            qs = qs.filter(distributor_id=distributor) if distributor.isdigit() else qs.none()
        period_from = _date_param(params, "period_from")
        if period_from:
            qs = qs.filter(period_start__gte=period_from)
        period_to = _date_param(params, "period_to")
        if period_to:
            qs = qs.filter(period_start__lte=period_to)
        return qs.order_by("-period_start", "kind", "distributor_id", "id")

    def _fresh(self, report) -> Response:
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data)

    @action(detail=True, methods=["patch"], url_path="draft")
    def draft(self, request, *args, **kwargs):
        report = self.get_object()
        submission_services.report_draft_save(
            vendor=self.vendor, actor=self.actor, report=report, data=_content_body(request)
        )
        return self._fresh(report)

    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request, *args, **kwargs):
        report = self.get_object()
        submission_services.report_submit(
            vendor=self.vendor, actor=self.actor, report=report, data=_content_body(request)
        )
        return self._fresh(report)

    @action(detail=True, methods=["get"], url_path="versions", pagination_class=None)
    def versions(self, request, *args, **kwargs):
        report = self.get_object()
        versions = submission_selectors.report_version_list_for_actor(
            vendor=self.vendor, actor=self.actor, report=report
        ).select_related("submitted_by__user")
        return Response(ReportVersionSerializer(versions, many=True).data)


def register(router) -> None:
    """Add this module's viewsets to the API router (reporting/api/__init__.py calls it)."""
    router.register("reports", ReportViewSet, basename="report")
