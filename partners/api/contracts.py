"""API viewsets for contracts, under /api/v1/<vendor-slug>/.

``contracts/`` (list, retrieve, create, update; ``contracts/{id}/document/`` downloads the
signed PDF), ``contract-scope-lines/`` (read: current and past lines), ``contract-amendments/``
(list, retrieve, create) and ``contract-clauses/`` (list, retrieve, create, update, delete).
Every write calls the same service as the pages, so the overlap rule and its message are the
same here."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import SkipField

from partners import selectors
from partners.models import (
    Contract,
    ContractAmendment,
    PerformanceClause,
    ScopeLine,
)
from partners.platform.api import EditorsWrite, TenantViewSet
from partners.platform.uploads import document_response
from partners.selectors import contracts as contract_selectors
from partners.selectors import profile as profile_selectors
from partners.services import contracts as contract_services
from partners.services.contracts.term_checks import contract_terms_check


class ReachablePK(serializers.PrimaryKeyRelatedField):
    """A primary key among the objects the caller reaches (another vendor's id is "does not
    exist", like a missing one)."""

    def __init__(self, *, reach, **kwargs):
        self.reach = reach
        super().__init__(**kwargs)

    def get_queryset(self):
        view = self.context["view"]
        return self.reach(view.vendor, view.actor)


def _territories(vendor, actor):
    return profile_selectors.territory_list_for_actor(vendor=vendor, actor=actor)


def _product_lines(vendor, actor):
    return profile_selectors.product_line_list_for_actor(vendor=vendor, actor=actor)


def _distributors(vendor, actor):
    return selectors.distributor_list_for_actor(vendor=vendor, actor=actor)


def _contracts(vendor, actor):
    return contract_selectors.contract_list_for_actor(vendor=vendor, actor=actor)


def _scope_lines(vendor, actor):
    return contract_selectors.scope_line_list_for_actor(vendor=vendor, actor=actor)


class ScopeLineSerializer(serializers.ModelSerializer):
    """A scope line. On input (contract create/update, amendments) give territory,
    product_line, exclusive and optionally dates; ``id`` (and ``delete``) on a contract update
    correct an existing line."""

    id = serializers.IntegerField(required=False)
    territory = ReachablePK(reach=_territories)
    product_line = ReachablePK(reach=_product_lines)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    exclusive = serializers.BooleanField(source="is_exclusive", required=False, default=False)
    delete = serializers.BooleanField(required=False, default=False, write_only=True)

    class Meta:
        model = ScopeLine
        fields = [
            "id",
            "contract",
            "territory",
            "product_line",
            "starts_on",
            "ends_on",
            "exclusive",
            "exclusive_from",
            "added_by",
            "ended_by",
            "delete",
        ]
        read_only_fields = ["contract", "exclusive_from", "added_by", "ended_by"]


def _specs(items) -> list[dict]:
    specs = []
    for item in items or []:
        item = dict(item)
        item["exclusive"] = item.pop("is_exclusive", False)
        specs.append(item)
    return specs


class PhaseSerializer(serializers.Serializer):
    kind = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ContractSerializer(serializers.ModelSerializer):
    distributor = ReachablePK(reach=_distributors)
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=365), required=False
    )
    notice_deadline = serializers.DateField(read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    scope_lines = ScopeLineSerializer(many=True, required=False)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "distributor",
            "reference",
            "status",
            "starts_on",
            "ends_on",
            "signed_on",
            "auto_renews",
            "renewal_term_months",
            "notice_days",
            "notice_deadline",
            "exit_rights",
            "launch_ends_on",
            "scale_starts_on",
            "phases",
            "reminder_days",
            "scope_lines",
            "has_document",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"launch_ends_on": {"required": False}}
        # Reference uniqueness and date rules are the service's (with field errors).
        validators: list = []

    def get_has_document(self, obj) -> bool:
        return bool(obj.document)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                self._add_term_errors(data, exc.detail)
            raise

    def _add_term_errors(self, data, detail: dict) -> None:
        """Beside the field errors, the cross-field errors of the terms that did parse, keyed
        by field, so one response lists every error (the service checks them again on save)."""
        parsed: dict[str, object] = {}
        for field in self._writable_fields:
            if field.field_name in detail or field.field_name in ("distributor", "scope_lines"):
                continue
            try:
                parsed[str(field.source)] = field.run_validation(field.get_value(data))
            except (serializers.ValidationError, DjangoValidationError, SkipField):
                continue
        instance = self.instance if isinstance(self.instance, Contract) else None
        errors = contract_terms_check(contract=instance, terms=parsed, invalid=set(detail))
        for name, message in errors.items():
            detail[name] = [ErrorDetail(message, code="invalid")]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["distributor"].read_only = True
        return fields


class AmendmentSerializer(serializers.ModelSerializer):
    contract = ReachablePK(reach=_contracts)
    end_lines = serializers.ListField(
        child=serializers.IntegerField(), write_only=True, required=False
    )
    add_lines = ScopeLineSerializer(many=True, write_only=True, required=False)
    ended_lines = ScopeLineSerializer(many=True, read_only=True)
    added_lines = ScopeLineSerializer(many=True, read_only=True)

    class Meta:
        model = ContractAmendment
        fields = [
            "id",
            "contract",
            "kind",
            "effective_on",
            "reason",
            "end_lines",
            "add_lines",
            "ended_lines",
            "added_lines",
            "created_at",
        ]
        read_only_fields = ["id", "kind", "created_at"]


class ClauseSerializer(serializers.ModelSerializer):
    contract = ReachablePK(reach=_contracts)
    scope_line = ReachablePK(reach=_scope_lines, required=False, allow_null=True)

    class Meta:
        model = PerformanceClause
        fields = ["id", "contract", "kind", "scope_line", "amount", "currency", "rate", "note"]
        read_only_fields = ["id", "currency"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["contract"].read_only = True
        return fields


def _int_param(request, name):
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Reference or distributor name contains"),
            OpenApiParameter("distributor", int),
            OpenApiParameter("status", str),
        ]
    )
)
class ContractViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    TenantViewSet,
):
    """Contracts. Staff see all; a distributor's people see their own distributor's only.
    ``scope_lines`` on create are the initial scope (the overlap rule applies); on update,
    items with ``id`` correct a line, items without add one. Amendments change the scope from a
    date and keep history (``contract-amendments/``)."""

    permission_classes = [*TenantViewSet.permission_classes, EditorsWrite]
    queryset = Contract.objects.none()
    serializer_class = ContractSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        request = self.request
        return contract_selectors.contract_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            search=request.query_params.get("q", "").strip(),
            distributor_id=_int_param(request, "distributor"),
            status=request.query_params.get("status", ""),
        ).prefetch_related("scope_lines")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        lines = _specs(data.pop("scope_lines", []))
        serializer.instance = contract_services.contract_create(
            vendor=self.vendor,
            actor=self.actor,
            distributor=data.pop("distributor"),
            scope_lines=lines,
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("distributor", None)
        lines = data.pop("scope_lines", None)
        serializer.instance = contract_services.contract_update(
            vendor=self.vendor,
            actor=self.actor,
            contract=serializer.instance,
            scope_lines=_specs(lines) if lines is not None else None,
            **data,
        )
        # The response shows the lines as saved, not as prefetched before the change.
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="document")
    def document(self, request, *args, **kwargs):
        """The signed PDF (404 when none was uploaded)."""
        contract = self.get_object()
        return document_response(
            contract.document,
            download_name=f"{contract.reference}.pdf",
            content_type="application/pdf",
        )


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("contract", int)]))
class ScopeLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Scope lines of the contracts the caller reaches, current and past (read only: scope is
    written through contracts and amendments)."""

    queryset = ScopeLine.objects.none()
    serializer_class = ScopeLineSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return contract_selectors.scope_line_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            contract_id=_int_param(self.request, "contract"),
        )


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("contract", int)]))
class AmendmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, TenantViewSet
):
    """Amendments: expand or reduce a contract's scope from an effective date, with a reason."""

    permission_classes = [*TenantViewSet.permission_classes, EditorsWrite]
    queryset = ContractAmendment.objects.none()
    serializer_class = AmendmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return contract_selectors.amendment_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            contract_id=_int_param(self.request, "contract"),
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        amendment = contract_services.contract_amend(
            vendor=self.vendor,
            actor=self.actor,
            contract=data["contract"],
            effective_on=data["effective_on"],
            reason=data["reason"],
            end_line_ids=data.get("end_lines", []),
            add_lines=_specs(data.get("add_lines", [])),
        )
        serializer.instance = self.get_queryset().get(pk=amendment.pk)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("contract", int)]))
class ClauseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TenantViewSet,
):
    """Performance clauses: minimum revenue per quarter per scope line, minimum on-time
    reporting rate, QBR attendance."""

    permission_classes = [*TenantViewSet.permission_classes, EditorsWrite]
    queryset = PerformanceClause.objects.none()
    serializer_class = ClauseSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset.none()
        return contract_selectors.clause_list_for_actor(
            vendor=self.vendor,
            actor=self.actor,
            contract_id=_int_param(self.request, "contract"),
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = contract_services.clause_create(
            vendor=self.vendor, actor=self.actor, contract=data.pop("contract"), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("contract", None)
        serializer.instance = contract_services.clause_update(
            vendor=self.vendor, actor=self.actor, clause=serializer.instance, **data
        )

    def perform_destroy(self, instance):
        contract_services.clause_delete(vendor=self.vendor, actor=self.actor, clause=instance)


def register(router) -> None:
    """Add this module's viewsets to the API router (config/api.py calls it)."""
    router.register("contracts", ContractViewSet, basename="contract")
    router.register("contract-scope-lines", ScopeLineViewSet, basename="contract-scope-line")
    router.register("contract-amendments", AmendmentViewSet, basename="contract-amendment")
    router.register("contract-clauses", ClauseViewSet, basename="contract-clause")
