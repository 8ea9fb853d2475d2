"""API viewsets for enablement, under /api/v1/<vendor-slug>/: trainings, attendance, training
coverage per distributor and the sales kit (list, retrieve, multipart upload, download)."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.reverse import reverse

from partners.models import (
    SALES_KIT_LANGUAGES,
    Distributor,
    DistributorContact,
    ProductLine,
    SalesKitCategory,
    SalesKitDocument,
    Training,
    TrainingAttendance,
    TrainingKind,
)
from partners.platform.api import TenantViewSet
from partners.platform.uploads import document_response
from partners.selectors import enablement as selectors
from partners.selectors import profile as profile_selectors
from partners.services import enablement as services

# --- related fields limited to what the caller reaches --------------------------------------


class _ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key looked up through a selector for the caller (another vendor's or another
    distributor's id is "does not exist", like a missing one)."""

    model: type[models.Model]

    def choices_for(self, view) -> QuerySet:
        """The objects the caller of ``view`` may name."""
        raise NotImplementedError

    def get_queryset(self):
        view = self.context.get("view")
        if view is None or getattr(view, "swagger_fake_view", False):
            return self.model._default_manager.none()
        return self.choices_for(view)


class ProductLineField(_ScopedRelatedField):
    model = ProductLine

    def choices_for(self, view):
        return profile_selectors.product_line_list_for_actor(vendor=view.vendor, actor=view.actor)


class TrainingField(_ScopedRelatedField):
    model = Training

    def choices_for(self, view):
        return selectors.training_list_for_actor(vendor=view.vendor, actor=view.actor)


class ContactField(_ScopedRelatedField):
    model = DistributorContact

    def choices_for(self, view):
        return selectors.attendee_choices_for_actor(vendor=view.vendor, actor=view.actor)


# --- serializers ----------------------------------------------------------------------------


class TrainingSerializer(serializers.ModelSerializer):
    product_line = ProductLineField(allow_null=True, required=False)
    attendee_count = serializers.IntegerField(read_only=True)
    completed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "title",
            "kind",
            "product_line",
            "starts_on",
            "ends_on",
            "provider",
            "trainer",
            "valid_months",
            "notes",
            "attendee_count",
            "completed_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list = []  # date order and the like are the service's rules (with a field error)


class AttendanceSerializer(serializers.ModelSerializer):
    training = TrainingField()
    contact = ContactField()
    contact_name = serializers.CharField(source="contact.name", read_only=True)
    contact_role = serializers.CharField(source="contact.role", read_only=True)

    class Meta:
        model = TrainingAttendance
        fields = [
            "id",
            "training",
            "contact",
            "contact_name",
            "contact_role",
            "distributor",
            "completed",
            "completed_on",
            "expires_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "distributor", "created_at", "updated_at"]
        validators: list = []


class AttendanceUpdateSerializer(AttendanceSerializer):
    """On an update the person and the training stay; completion changes."""

    # DRF's declared fields, not attributes: the stubs see a narrower base field type.
    training = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[assignment,var-annotated]
    contact = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[assignment,var-annotated]


class TrainingCoverageSerializer(serializers.ModelSerializer):
    """A distributor's training coverage as of today in its own time zone."""

    distributor = serializers.IntegerField(source="id", read_only=True)
    as_of = serializers.DateField(source="coverage_date", read_only=True)
    sales_people = serializers.IntegerField(read_only=True)
    sales_trained = serializers.IntegerField(read_only=True)
    share_trained = serializers.SerializerMethodField(
        help_text="Whole percent of sales people trained; null with no sales people."
    )
    leads = serializers.IntegerField(read_only=True)
    leads_trained = serializers.IntegerField(read_only=True)

    class Meta:
        model = Distributor
        fields = [
            "distributor",
            "name",
            "as_of",
            "sales_people",
            "sales_trained",
            "share_trained",
            "leads",
            "leads_trained",
        ]
        read_only_fields = fields

    def get_share_trained(self, obj) -> int | None:
        return selectors.coverage_of(obj).share


class SalesKitDocumentSerializer(serializers.ModelSerializer):
    product_line = ProductLineField(allow_null=True, required=False)
    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SalesKitDocument
        fields = [
            "id",
            "title",
            "category",
            "language",
            "product_line",
            "description",
            "file",
            "original_name",
            "content_type",
            "size",
            "download_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "created_at",
            "updated_at",
        ]

    def get_download_url(self, obj) -> str:
        view = self.context["view"]
        return reverse(
            "api:sales-kit-document-download",
            kwargs={"vendor_slug": view.vendor.slug, "pk": obj.pk},
            request=self.context.get("request"),
        )


# --- viewsets -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("kind", str, enum=TrainingKind.values, required=False)]
    )
)
class TrainingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Trainings. Vendor admins and channel managers record them; a distributor's people see
    the trainings their own people attended."""

    queryset = Training.objects.none()
    serializer_class = TrainingSerializer
    selector = staticmethod(selectors.training_list_for_actor)

    def get_queryset(self):
        qs = super().get_queryset()
        kind = self.request.query_params.get("kind", "")
        if self.action == "list" and kind:
            qs = qs.filter(kind=kind)
        return qs

    def _reload(self, training):
        return selectors.training_get_for_actor_or_404(
            vendor=self.vendor, actor=self.actor, pk=training.pk
        )

    def perform_create(self, serializer):
        training = services.training_create(
            vendor=self.vendor, actor=self.actor, **serializer.validated_data
        )
        serializer.instance = self._reload(training)

    def perform_update(self, serializer):
        training = services.training_update(
            vendor=self.vendor,
            actor=self.actor,
            training=serializer.instance,
            **serializer.validated_data,
        )
        serializer.instance = self._reload(training)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("training", int, required=False)])
)
class TrainingAttendanceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """Who attended which training, whether they completed it and until when it counts."""

    queryset = TrainingAttendance.objects.none()
    serializer_class = AttendanceSerializer
    selector = staticmethod(selectors.attendance_list_for_actor)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return AttendanceUpdateSerializer
        return AttendanceSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        training = self.request.query_params.get("training", "")
        if self.action == "list" and training.isdigit():
            qs = qs.filter(training_id=int(training))
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.attendance_add(
            vendor=self.vendor, actor=self.actor, **serializer.validated_data
        )

    def perform_update(self, serializer):
        attendance = serializer.instance
        data = serializer.validated_data
        completed = data.get("completed", attendance.completed)
        serializer.instance = services.attendance_update(
            vendor=self.vendor,
            actor=self.actor,
            attendance=attendance,
            completed=completed,
            completed_on=data.get("completed_on", attendance.completed_on),
            # An explicit expiry is kept; otherwise it follows the training's validity again.
            expires_on=data.get("expires_on"),
        )

    def perform_destroy(self, instance):
        services.attendance_remove(vendor=self.vendor, actor=self.actor, attendance=instance)


class TrainingCoverageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Training coverage per distributor (the id is the distributor's)."""

    queryset = Distributor.objects.none()
    serializer_class = TrainingCoverageSerializer
    selector = staticmethod(selectors.training_coverage_list_for_actor)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("category", str, enum=SalesKitCategory.values, required=False),
            OpenApiParameter("product_line", int, required=False),
            OpenApiParameter(
                "language", str, enum=[code for code, _ in SALES_KIT_LANGUAGES], required=False
            ),
        ]
    )
)
class SalesKitDocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """The sales kit. Upload with multipart/form-data (vendor admins and channel managers);
    download through ``download``. A distributor's people see the documents for all product
    lines and for the product lines their distributor sells."""

    queryset = SalesKitDocument.objects.none()
    serializer_class = SalesKitDocumentSerializer
    selector = staticmethod(selectors.sales_kit_list_for_actor)
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            params = self.request.query_params
            if params.get("category"):
                qs = qs.filter(category=params["category"])
            if params.get("language"):
                qs = qs.filter(language=params["language"])
            if params.get("product_line", "").isdigit():
                qs = qs.filter(product_line_id=int(params["product_line"]))
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.sales_kit_document_create(
            vendor=self.vendor, actor=self.actor, **serializer.validated_data
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, *args, **kwargs):
        """The document's file, as an attachment."""
        document = self.get_object()
        return document_response(
            document.file,
            download_name=document.original_name,
            content_type=document.content_type,
        )


def register(router) -> None:
    """Add this module's viewsets to the API router (config/api.py calls it)."""
    router.register("trainings", TrainingViewSet, basename="training")
    router.register(
        "training-attendance", TrainingAttendanceViewSet, basename="training-attendance"
    )
    router.register("training-coverage", TrainingCoverageViewSet, basename="training-coverage")
    router.register("sales-kit", SalesKitDocumentViewSet, basename="sales-kit-document")
