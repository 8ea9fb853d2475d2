"""API of the review area, under /api/v1/<vendor-slug>/.

* ``report-reviews``: GET the review steps on reports within reach (``?report=<id>``);
  POST ``{report, action, comment}`` to acknowledge, return or comment (vendor admins and
  channel managers; other roles 403; a report out of reach is 404).
* ``reporting-discipline``: GET one row per distributor within reach (``?as_of=`` an ISO
  date or moment; default now).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from partners import roles
from partners.platform.api import TenantViewSet
from reporting.models import ReportReview, ReportReviewAction
from reporting.selectors import review as review_selectors
from reporting.selectors.reports import report_get_for_actor_or_404
from reporting.services import review as review_services
from reporting.services.review import COMMENT_MAX_LENGTH


class ReportReviewSerializer(serializers.ModelSerializer):
    """A review step: who did what to which report, with the comment."""

    author = serializers.SerializerMethodField()

    class Meta:
        model = ReportReview
        fields = ["id", "report", "action", "comment", "version_number", "author", "created_at"]
        read_only_fields = fields

    def get_author(self, obj) -> str | None:
        return (obj.author.user.full_name or obj.author.user.email) if obj.author_id else None


class ReportReviewCreateSerializer(serializers.Serializer):
    report = serializers.IntegerField()
    action = serializers.ChoiceField(choices=ReportReviewAction.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH, default=""
    )


class ReviewersWrite(permissions.BasePermission):
    """Every member reads; vendor admins and channel managers review (before validation)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return roles.is_editor(request._request.membership)


class ReportReviewViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """Review steps on the reports the caller reaches, newest first."""

    queryset = ReportReview.objects.none()
    serializer_class = ReportReviewSerializer
    selector = staticmethod(review_selectors.review_list_for_actor)
    permission_classes = [*TenantViewSet.permission_classes, ReviewersWrite]

    def get_queryset(self):
        qs = super().get_queryset()
        report = self.request.query_params.get("report", "")
        if self.action == "list" and report:
            qs = qs.filter(report_id=report) if report.isdigit() else qs.none()
        return qs

    @extend_schema(request=ReportReviewCreateSerializer, responses={201: ReportReviewSerializer})
    def create(self, request, *args, **kwargs):
        incoming = ReportReviewCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # Out of reach (another distributor's or vendor's) is the same 404 as a missing one.
        report = report_get_for_actor_or_404(
            vendor=self.vendor, actor=self.actor, pk=data["report"]
        )
        try:
            review = review_services.report_review_apply(
                vendor=self.vendor,
                actor=self.actor,
                report=report,
                action=data["action"],
                comment=data.get("comment", ""),
            )
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise ValidationError(detail) from exc
        return Response(ReportReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class DisciplineSerializer(serializers.Serializer):
    distributor = serializers.IntegerField(source="distributor_id")
    weeks_due = serializers.IntegerField()
    weeks_on_time = serializers.IntegerField()
    weeks_late = serializers.IntegerField()
    weeks_missed = serializers.IntegerField()
    weeks_on_time_rate = serializers.FloatField(allow_null=True)
    quarter_start = serializers.DateField()
    quarter_weeks_due = serializers.IntegerField()
    quarter_on_time = serializers.IntegerField()
    quarter_late = serializers.IntegerField()
    quarter_missed = serializers.IntegerField()
    quarter_on_time_rate = serializers.FloatField(allow_null=True)
    months_due = serializers.IntegerField()
    months_handed_in = serializers.IntegerField()
    months_missed = serializers.IntegerField()


def _parse_as_of(value: str) -> dt.datetime:
    value = value.strip()
    if not value:
        return timezone.now()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(
            {"as_of": _("Give an ISO date or date-time, e.g. 2026-03-31.")}
        ) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class ReportingDisciplineViewSet(TenantViewSet):
    """The reporting-discipline measure of every distributor within reach (see
    ``reporting.selectors.review.reporting_discipline`` for the definitions)."""

    queryset = ReportReview.objects.none()
    serializer_class = DisciplineSerializer
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("as_of", str, description="ISO date or date-time")],
        responses=DisciplineSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        as_of = _parse_as_of(request.query_params.get("as_of", ""))
        rows = review_selectors.reporting_discipline(
            vendor=self.vendor, actor=self.actor, as_of=as_of
        )
        return Response(DisciplineSerializer(list(rows.values()), many=True).data)


def register(router) -> None:
    """Add this module's viewsets to the API router (reporting/api/__init__.py calls it)."""
    router.register("report-reviews", ReportReviewViewSet, basename="report-review")
    router.register(
        "reporting-discipline", ReportingDisciplineViewSet, basename="reporting-discipline"
    )
