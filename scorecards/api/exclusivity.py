"""API of conditional exclusivity under /api/v1/<vendor-slug>/.

* ``exclusivity-rules/current/``: GET the vendor's rules (vendor staff; the defaults when none
  were saved); PATCH changes them (vendor admins; audited). A distributor's people get a 403.
* ``exclusivity-verdicts``: GET the verdicts within reach (vendor staff every distributor's, a
  distributor's people their own, without the vendor's reasons), newest quarter first; filters
  ``?quarter=`` (any day of the fiscal quarter), ``?outcome=`` (what counts, after overrides),
  ``?distributor=<id>``, ``?country=``. ``exclusivity-verdicts/<id>/``: one verdict with its
  evidence, as values and in words. POST ``…/<id>/override/`` ``{"outcome", "reason"}``
  (vendor admins) and ``…/<id>/hold/`` ``{"held_until", "reason"}`` (vendor admins and
  channel managers) go through the services (audited).
* ``distributor-timelines/<distributor id>/``: GET the distributor's timeline, newest first
  (a distributor's people their own, without vendor-internal notes; another's is a 404).
* ``qbr-meetings``: GET the QBRs held (a distributor's people their own, without the notes),
  ``?distributor=<id>``; POST ``{"distributor", "held_on", "notes"}`` records one (vendor
  admins and channel managers).

Refusals come before the payload is read (403); bad input is a 400 naming the field.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from partners import periods, roles
from partners.models import Distributor
from partners.platform.api import EditorsWrite, TenantViewSet
from scorecards import exclusivity_words as words
from scorecards.models import ExclusivityRules, ExclusivityVerdict, QbrMeeting, VerdictOutcome
from scorecards.selectors import exclusivity as sel
from scorecards.selectors.qbr import qbr_meeting_list_for_actor
from scorecards.selectors.timeline import distributor_timeline
from scorecards.services import exclusivity as services
from scorecards.services.qbr import qbr_meeting_record


def _membership(request):
    return getattr(request._request, "membership", None)


class StaffReadAdminWrite(permissions.BasePermission):
    """Vendor staff read; vendor admins write."""

    def has_permission(self, request, view):
        membership = _membership(request)
        if not roles.is_staff_reader(membership):
            return False
        return request.method in permissions.SAFE_METHODS or roles.is_vendor_admin(membership)


class VerdictActions(permissions.BasePermission):
    """Everyone within reach reads; an override is for vendor admins, a hold for vendor admins
    and channel managers (refused before the verdict is looked up or the payload read)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        membership = _membership(request)
        if membership is None:
            return False
        if view.action == "override":
            return roles.is_vendor_admin(membership)
        return roles.is_editor(membership)


# --- rules --------------------------------------------------------------------------------------


class ExclusivityRulesSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExclusivityRules
        fields = ["id", *services.RULE_FIELDS, "updated_at"]
        read_only_fields = ["id", "updated_at"]
        # The service checks the bounds and names the field in its error.
        extra_kwargs: dict[str, dict] = {
            name: {"min_value": None, "max_value": None, "validators": []}
            for name in services.RULE_FIELDS
            if name.endswith(("_days", "_percent", "_quarters"))
        }


class ExclusivityRulesViewSet(mixins.RetrieveModelMixin, TenantViewSet):
    """The vendor's exclusivity rules, one object at ``current``."""

    queryset = ExclusivityRules.objects.none()
    serializer_class = ExclusivityRulesSerializer
    permission_classes = [*TenantViewSet.permission_classes, StaffReadAdminWrite]
    lookup_value_regex = "current"

    def get_object(self):
        return sel.exclusivity_rules_get(vendor=self.vendor)

    def partial_update(self, request, *args, **kwargs):
        """Change some of the rules (vendor admins)."""
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        rules = services.exclusivity_rules_update(
            vendor=self.vendor,
            actor=self.actor,
            **serializer.validated_data,
        )
        return Response(self.get_serializer(rules).data)


# --- verdicts -----------------------------------------------------------------------------------


class VerdictSerializer(serializers.ModelSerializer):
    """A verdict with its evidence as values (``evidence``) and in words (``evidence_words``),
    the outcome the rules gave and what counts (``effective_outcome``)."""

    distributor_name = serializers.CharField(source="distributor.name", read_only=True)
    scope = serializers.SerializerMethodField()
    quarter = serializers.SerializerMethodField()
    overridden_outcome = serializers.CharField(
        read_only=True, help_text="The outcome a vendor admin chose instead; blank without one"
    )
    effective_outcome = serializers.CharField(
        read_only=True, help_text="What counts: the overridden outcome, else the outcome"
    )
    sentence = serializers.SerializerMethodField()
    evidence_words = serializers.SerializerMethodField()

    class Meta:
        model = ExclusivityVerdict
        fields = ["id", "distributor", "distributor_name", "contract", "scope_line", "scope",
                  "quarter_start", "quarter_end", "quarter", "outcome", "overridden_outcome",
                  "effective_outcome", "conditions_met", "sentence", "evidence",
                  "evidence_words", "effective_on", "computed_at", "overridden_at",
                  "override_reason", "held_until", "hold_reason", "applied_at"]  # fmt: skip
        read_only_fields = fields

    def _fiscal(self) -> int:
        return self.context.get("fiscal", 1)

    def get_scope(self, obj) -> str:
        return str(obj.scope_line)

    def get_quarter(self, obj) -> str:
        return periods.fiscal_quarter_label(obj.quarter_start, self._fiscal())

    def get_sentence(self, obj) -> str:
        return words.outcome_sentence(
            outcome=obj.effective_outcome,
            scope=str(obj.scope_line),
            quarter=self.get_quarter(obj),
            effective_on=obj.takes_effect_on,
            applied=obj.applied_at is not None,
        )

    def get_evidence_words(self, obj) -> list[str]:
        scope, quarter = str(obj.scope_line), self.get_quarter(obj)
        return [
            words.evidence_words(i, scope=scope, quarter=quarter)
            for i in obj.evidence
            if i.get("checked", 1)
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("is_staff", False):
            data.pop("override_reason", None)  # vendor-internal
            data.pop("hold_reason", None)
        return data


class OverrideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=VerdictOutcome.choices)
    reason = serializers.CharField(allow_blank=True)


class HoldSerializer(serializers.Serializer):
    held_until = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("quarter", dt.date),
            OpenApiParameter("outcome", str, enum=VerdictOutcome.values),
            OpenApiParameter("distributor", int),
            OpenApiParameter("country", str),
        ]
    )
)
class VerdictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Exclusivity verdicts within reach, newest quarter first."""

    queryset = ExclusivityVerdict.objects.none()
    serializer_class = VerdictSerializer
    selector = staticmethod(sel.verdicts_for_actor)
    permission_classes = [*TenantViewSet.permission_classes, VerdictActions]

    def get_serializer_context(self):
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False) and self.actor is not None:
            context["fiscal"] = self.vendor.fiscal_year_start_month
            context["is_staff"] = roles.is_staff_reader(self.actor)
        return context

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        params = self.request.query_params
        quarter = params.get("quarter", "").strip()
        if quarter:
            try:
                day = dt.date.fromisoformat(quarter)
            except ValueError:
                return qs.none()
            fiscal = self.vendor.fiscal_year_start_month
            qs = qs.filter(quarter_start=periods.quarter_start(day, fiscal))
        outcome = params.get("outcome", "").strip()
        if outcome:
            if outcome not in VerdictOutcome.values:
                return qs.none()
            qs = qs.filter(sel._effective_outcome_q(outcome))
        distributor = params.get("distributor", "").strip()
        if distributor:
            qs = qs.filter(distributor_id=distributor) if distributor.isdigit() else qs.none()
        country = params.get("country", "").strip().upper()
        if country:
            qs = qs.filter(distributor__country=country)
        return qs

    @extend_schema(request=OverrideSerializer, responses={200: VerdictSerializer})
    @action(detail=True, methods=["post"])
    def override(self, request, *args, **kwargs):
        """Replace the verdict's outcome, with a reason (vendor admins; audited)."""
        verdict = self.get_object()
        payload = OverrideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        verdict = services.verdict_override(
            vendor=self.vendor,
            actor=self.actor,
            verdict=verdict,
            **payload.validated_data,
        )
        return Response(self.get_serializer(self._reload(verdict)).data)

    @extend_schema(request=HoldSerializer, responses={200: VerdictSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request, *args, **kwargs):
        """Hold a revoke until a date, with a reason (vendor admins, channel managers)."""
        verdict = self.get_object()
        payload = HoldSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        verdict = services.verdict_hold(
            vendor=self.vendor,
            actor=self.actor,
            verdict=verdict,
            **payload.validated_data,
        )
        return Response(self.get_serializer(self._reload(verdict)).data)

    def _reload(self, verdict):
        return sel.verdict_get_for_actor_or_404(vendor=self.vendor, actor=self.actor, pk=verdict.pk)


# --- the timeline -------------------------------------------------------------------------------


TIMELINE = inline_serializer(
    "DistributorTimeline",
    {
        "distributor": serializers.IntegerField(),
        "entries": inline_serializer(
            "TimelineEntry",
            {
                "day": serializers.DateField(),
                "kind": serializers.CharField(),
                "sentence": serializers.CharField(),
                "url": serializers.CharField(),
                "note": serializers.CharField(help_text="Vendor staff only"),
            },
            many=True,
        ),
    },
)


class DistributorTimelineViewSet(TenantViewSet):
    """The timeline of one distributor (its id in the URL)."""

    queryset = Distributor.objects.none()

    @extend_schema(responses={200: TIMELINE})
    def retrieve(self, request, pk=None, *args, **kwargs):
        distributor = sel.distributor_for_exclusivity_or_404(
            vendor=self.vendor, actor=self.actor, pk=pk
        )
        staff = roles.is_staff_reader(self.actor)
        entries = []
        for e in distributor_timeline(
            vendor=self.vendor, actor=self.actor, distributor=distributor
        ):
            row = {"day": e.day, "kind": e.kind, "sentence": e.sentence, "url": e.url}
            if staff:
                row["note"] = e.note
            entries.append(row)
        return Response({"distributor": distributor.pk, "entries": entries})


# --- QBRs held ----------------------------------------------------------------------------------


class QbrMeetingSerializer(serializers.ModelSerializer):
    distributor = serializers.IntegerField(source="distributor_id")
    held_on = serializers.DateField()

    class Meta:
        model = QbrMeeting
        fields = ["id", "distributor", "held_on", "notes", "created_at"]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("is_staff", False):
            data.pop("notes", None)  # vendor-internal
        return data


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("distributor", int)]))
class QbrMeetingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, TenantViewSet):
    """QBRs held, newest first; vendor admins and channel managers record one."""

    queryset = QbrMeeting.objects.none()
    serializer_class = QbrMeetingSerializer
    permission_classes = [*TenantViewSet.permission_classes, EditorsWrite]

    def get_serializer_context(self):
        context = dict(super().get_serializer_context())
        actor = None if getattr(self, "swagger_fake_view", False) else self.actor
        context["is_staff"] = roles.is_staff_reader(actor)
        return context

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        distributor = self.request.query_params.get("distributor", "").strip()
        if distributor and not distributor.isdigit():
            return QbrMeeting.objects.none()
        return qbr_meeting_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            distributor_id=int(distributor) if distributor else None,
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        distributor = Distributor.objects.filter(
            vendor=self.vendor, pk=data["distributor_id"]
        ).first()
        if distributor is None:
            raise ApiValidationError(
                {"distributor": [_("Choose a distributor of this workspace.")]}
            )
        meeting = qbr_meeting_record(
            vendor=self.vendor,
            actor=self.actor,
            distributor=distributor,
            held_on=data["held_on"],
            notes=data.get("notes", ""),
        )
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register(r"exclusivity-rules", ExclusivityRulesViewSet, basename="exclusivity-rules")
    router.register(r"exclusivity-verdicts", VerdictViewSet, basename="exclusivity-verdict")
    router.register(
        r"distributor-timelines", DistributorTimelineViewSet, basename="distributor-timeline"
    )
    router.register(r"qbr-meetings", QbrMeetingViewSet, basename="qbr-meeting")
