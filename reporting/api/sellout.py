"""API viewsets for sell-out data, under /api/v1/<vendor-slug>/.

* ``sales-lines``: the lines the caller reaches, filtered by ``from``/``to`` (invoice date,
  default the current month), ``distributor``, ``currency`` and ``q``.
* ``sales-lines/bulk/``: POST up to 5,000 lines for one distributor (a distributor's people:
  their own, implied; vendor staff name it). Same checks as an upload, all or nothing: a 400
  with ``{"rows": {"<index>": {"<field>": ["message"]}}}`` (0-based positions in ``lines``)
  writes nothing. Lines are inserted or updated on (distributor, invoice number, line number).
* ``outlets``: the outlets the caller reaches; ``outlets/bulk/`` inserts or updates outlets by
  code the same way.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from partners import roles
from partners.platform.api import TenantViewSet
from reporting.models import Outlet, SalesLine
from reporting.selectors import sellout as selectors
from reporting.services import sellout as services


class UploadersWrite(permissions.BasePermission):
    """Every member reads; vendor admins, channel managers and a distributor's people send
    sales data (executives read only). Refused before the payload is looked at."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return roles.is_contributor(getattr(request._request, "membership", None))


class SalesLineSerializer(serializers.ModelSerializer):
    distributor_name = serializers.CharField(source="distributor.name", read_only=True)
    outlet_code = serializers.CharField(source="outlet.code", read_only=True, allow_null=True)
    outlet_name = serializers.CharField(source="outlet.name", read_only=True, allow_null=True)

    class Meta:
        model = SalesLine
        fields = ["id", "distributor", "distributor_name", "invoice_number", "line_number",
                  "invoice_date", "ship_date", "outlet", "outlet_code", "outlet_name",
                  "product_code", "product_name", "product_line", "quantity", "amount",
                  "currency", "due_date", "paid_date", "updated_at"]  # fmt: skip
        read_only_fields = fields


class SalesLineInputSerializer(serializers.Serializer):
    """One line as an ERP sends it (checked by the same rules as an uploaded row)."""

    invoice_number = serializers.CharField()
    line_number = serializers.IntegerField(min_value=1)
    invoice_date = serializers.DateField()
    ship_date = serializers.DateField(required=False, allow_null=True)
    outlet_code = serializers.CharField(required=False, allow_blank=True)
    outlet_name = serializers.CharField(required=False, allow_blank=True)
    outlet_address = serializers.CharField(required=False, allow_blank=True)
    outlet_tax_id = serializers.CharField(required=False, allow_blank=True)
    product_code = serializers.CharField(required=False, allow_blank=True)
    product_name = serializers.CharField(required=False, allow_blank=True)
    product_line = serializers.CharField(required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    currency = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    paid_date = serializers.DateField(required=False, allow_null=True)


class SalesLineBulkSerializer(serializers.Serializer):
    distributor = serializers.IntegerField(
        required=False, allow_null=True, help_text="Vendor staff only; a distributor's own people "
        "always send for their own distributor."
    )  # fmt: skip
    lines = serializers.ListField(
        child=SalesLineInputSerializer(), max_length=services.MAX_BULK_LINES
    )


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "distributor", "code", "name", "address", "tax_id", "first_billed_on",
                  "last_billed_on", "updated_at"]  # fmt: skip
        read_only_fields = fields


class OutletBulkSerializer(serializers.Serializer):
    distributor = serializers.IntegerField(required=False, allow_null=True)
    outlets = serializers.ListField(
        child=serializers.DictField(), max_length=services.MAX_BULK_LINES
    )


BULK_RESULT = inline_serializer(
    "SalesBulkResult",
    {"created": serializers.IntegerField(), "updated": serializers.IntegerField()},
)
BULK_ERRORS = inline_serializer(
    "SalesBulkErrors", {"rows": serializers.DictField(child=serializers.DictField())}
)


def _bulk(view, request, *, key: str, service):
    payload = request.data if isinstance(request.data, dict) else {}
    items = payload.get(key)
    if not isinstance(items, list):
        return Response({key: [_("Send a list.")]}, status=status.HTTP_400_BAD_REQUEST)
    distributor = selectors.sales_distributor_for_actor(
        vendor=view.vendor, actor=view.actor, pk=payload.get("distributor")
    )
    if distributor is None:
        return Response(
            {"distributor": [_("Name one of your workspace's distributors.")]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    try:
        result = service(
            vendor=view.vendor, actor=view.actor, distributor=distributor, **{key: items}
        )
    except services.RowsInvalid as exc:
        return Response({"rows": exc.rows}, status=status.HTTP_400_BAD_REQUEST)
    except ValidationError as exc:
        return Response(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages},
                        status=status.HTTP_400_BAD_REQUEST)  # fmt: skip
    except PermissionDenied as exc:
        raise ApiPermissionDenied from exc
    return Response(result)


PERIOD_PARAMETERS = [
    OpenApiParameter("from", str, description="First invoice date (YYYY-MM-DD)"),
    OpenApiParameter("to", str, description="Last invoice date (YYYY-MM-DD)"),
    OpenApiParameter("distributor", int),
    OpenApiParameter("currency", str),
    OpenApiParameter("q", str, description="Invoice number, product or customer"),
]


class SalesLineViewSet(mixins.ListModelMixin, TenantViewSet):
    """Sales lines of a period, and the bulk upsert for ERP integrations."""

    queryset = SalesLine.objects.none()
    serializer_class = SalesLineSerializer
    permission_classes = [*TenantViewSet.permission_classes, UploadersWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        filters = selectors.SalesFilters.from_params(self.request.query_params)
        return (
            selectors.sales_line_list_for_actor(
                vendor=self.vendor, actor=self.actor, filters=filters
            )
            .select_related("distributor", "outlet")
            .order_by("-invoice_date", "invoice_number", "line_number", "id")
        )

    @extend_schema(parameters=PERIOD_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=SalesLineBulkSerializer, responses={200: BULK_RESULT, 400: BULK_ERRORS})
    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        """Insert or update up to 5,000 lines (all or nothing)."""
        return _bulk(self, request, key="lines", service=services.sales_lines_bulk_upsert)


class OutletViewSet(mixins.ListModelMixin, TenantViewSet):
    """Outlets (the distributors' customers) and their bulk upsert by code."""

    queryset = Outlet.objects.none()
    serializer_class = OutletSerializer
    permission_classes = [*TenantViewSet.permission_classes, UploadersWrite]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = self.request.query_params
        return selectors.outlet_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            distributor=params.get("distributor", ""),
            q=params.get("q", "").strip()[:100],
        ).order_by("distributor_id", "code", "id")

    @extend_schema(parameters=[OpenApiParameter("distributor", int), OpenApiParameter("q", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OutletBulkSerializer, responses={200: BULK_RESULT, 400: BULK_ERRORS})
    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        """Insert or update up to 5,000 outlets by code (all or nothing)."""
        return _bulk(self, request, key="outlets", service=services.outlets_bulk_upsert)


def register(router) -> None:
    router.register(r"sales-lines", SalesLineViewSet, basename="sales-line")
    router.register(r"outlets", OutletViewSet, basename="outlet")
