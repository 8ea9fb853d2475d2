"""API viewsets for imports, under /api/v1/<vendor-slug>/.

``POST distributor-imports/`` (multipart, field ``file``) reads and checks a file and answers
with the preview: every row, and every error naming its row and field. Nothing is saved to
distributors until ``POST distributor-imports/{id}/confirm/``. ``GET distributor-export/``
downloads the distributors the caller sees (``file_type=csv|csv-cp932|xlsx``, filters ``q`` and
``country``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from partners import roles
from partners.models import Distributor, ImportBatch
from partners.platform.api import TenantViewSet
from partners.platform.exports import XLSX_CONTENT_TYPE
from partners.selectors import imports as import_selectors
from partners.serializers_imports import ImportBatchSerializer, ImportUploadSerializer
from partners.services import imports as import_services
from partners.views.imports import EXPORT_KINDS, export_file
from partners.words import phrases_join


class DistributorImportViewSet(mixins.RetrieveModelMixin, TenantViewSet):
    """Uploads of distributor spreadsheets, their previews and their confirmation (vendor
    admins and channel managers)."""

    queryset = ImportBatch.objects.none()
    serializer_class = ImportBatchSerializer
    selector = staticmethod(import_selectors.import_batch_list_for_actor)
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def _preview(self, batch) -> dict:
        data = import_selectors.import_batch_preview(
            vendor=self.vendor, actor=self.actor, batch=batch
        )
        return ImportBatchSerializer(data).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._preview(self.get_object()))

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportBatchSerializer},
    )
    def create(self, request, *args, **kwargs):
        if not roles.is_editor(self.actor):
            raise PermissionDenied
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        batch = import_services.import_batch_create(
            vendor=self.vendor, actor=self.actor, file=upload.validated_data["file"]
        )
        return Response(self._preview(batch), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            200: ImportBatchSerializer,
            400: OpenApiResponse(ImportBatchSerializer, description="Rows have errors."),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        """Import the batch (only when no row has errors); confirming again changes nothing."""
        batch = self.get_object()
        try:
            batch = import_services.import_batch_confirm(
                vendor=self.vendor, actor=self.actor, batch=batch
            )
        except ValidationError:
            batch.refresh_from_db()
            return Response(self._preview(batch), status=status.HTTP_400_BAD_REQUEST)
        return Response(self._preview(batch))


class DistributorExportViewSet(TenantViewSet):
    """The distributors the caller sees, as a spreadsheet in the import layout (vendor staff)."""

    queryset = Distributor.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("file_type", str, enum=list(EXPORT_KINDS), default="csv"),
            OpenApiParameter("q", str, description="Part of the distributor's name."),
            OpenApiParameter("country", str, description="A country code such as JP."),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
        },
    )
    def list(self, request, *args, **kwargs):
        if not roles.is_staff_reader(self.actor):
            raise PermissionDenied
        kind = request.query_params.get("file_type", "csv")
        if kind not in EXPORT_KINDS:
            raise ValidationError(
                {"file_type": _("Use one of: %(kinds)s.") % {"kinds": phrases_join(EXPORT_KINDS)}}
            )
        return export_file(
            vendor=self.vendor,
            actor=self.actor,
            kind=kind,
            search=request.query_params.get("q", "").strip(),
            country=request.query_params.get("country", ""),
        )


def register(router) -> None:
    """Add this module's viewsets to the API router (config/api.py calls it)."""
    router.register("distributor-imports", DistributorImportViewSet, basename="distributor-import")
    router.register("distributor-export", DistributorExportViewSet, basename="distributor-export")
