"""Reads of sell-out data: what a person reaches (vendor staff every distributor's, a
distributor's people their own), a period's lines with their totals per currency, outlets,
uploads, and the rows of the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners.models import Distributor, Membership, Vendor
from partners.selectors import distributor_name_q
from reporting.models import Outlet, SalesLine, SalesUpload
from reporting.sellout_fields import FIELDS_BY_KEY, error_text


def _reach(qs: QuerySet, actor: Membership) -> QuerySet:
    if actor.is_distributor_role:
        return qs.filter(distributor_id=actor.distributor_id)
    return qs


def sales_distributor_choices(*, vendor: Vendor, actor: Membership) -> QuerySet[Distributor]:
    """Distributors the person may filter on or upload for."""
    qs = Distributor.objects.filter(vendor=vendor).order_by("name", "id")
    if actor.is_distributor_role:
        qs = qs.filter(pk=actor.own_distributor_id)
    return qs


def sales_filter_distributor(*, vendor: Vendor, actor: Membership, pk) -> Distributor | None:
    """The distributor a staff member's sales page is narrowed to (``?distributor=<id>``),
    shown by name beside the name search; None without one, or for a distributor's people
    (their pages are their own distributor's anyway)."""
    if not actor.is_staff_role or not str(pk).isdigit():
        return None
    return Distributor.objects.filter(vendor=vendor, pk=int(pk)).only("id", "name").first()


def sales_upload_distributor_matches(
    *, vendor: Vendor, actor: Membership, name: str, limit: int = 20
) -> list[Distributor]:
    """The distributors whose display or legal name contains ``name``, for a staff member
    choosing whom a sales file is for (at most ``limit``, by name); empty for a distributor's
    people (they upload for their own) or without a name."""
    if not actor.is_staff_role or not name.strip():
        return []
    qs = Distributor.objects.filter(vendor=vendor).filter(distributor_name_q(name.strip()))
    return list(qs.order_by("name", "id").only("id", "name", "legal_name")[:limit])


def sales_distributor_for_actor(*, vendor: Vendor, actor: Membership, pk) -> Distributor | None:
    """A distributor the person reaches, or None (another vendor's is the same as a missing
    one). A distributor's people always get their own, whatever they name."""
    if actor.is_distributor_role:
        return Distributor.objects.filter(vendor=vendor, pk=actor.own_distributor_id).first()
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return Distributor.objects.filter(vendor=vendor, pk=pk).first()


@dataclass
class SalesFilters:
    """The period and filters of the sales pages, the export and the API list."""

    date_from: dt.date
    date_to: dt.date
    distributor: str = ""
    currency: str = ""
    q: str = ""
    distributor_name: str = ""  # part of the display or legal name

    @classmethod
    def from_params(cls, params) -> SalesFilters:
        """Read ``from``, ``to``, ``distributor`` (an id), ``distributor_name``, ``currency``
        and ``q``; a missing or bad date falls back to the current month."""
        today = timezone.localdate()
        first = today.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)

        def date(name, default):
            try:
                return dt.date.fromisoformat(params.get(name, ""))
            except ValueError:
                return default

        date_from, date_to = date("from", first), date("to", last)
        if date_to < date_from:
            date_from, date_to = date_to, date_from
        return cls(
            date_from=date_from,
            date_to=date_to,
            distributor=str(params.get("distributor", "")).strip(),
            currency=str(params.get("currency", "")).strip().upper()[:3],
            q=str(params.get("q", "")).strip()[:100],
            distributor_name=str(params.get("distributor_name", "")).strip()[:100],
        )

    def as_query(self) -> dict[str, str]:
        data = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
        for key in ("distributor", "distributor_name", "currency", "q"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


def sales_line_list_for_actor(
    *, vendor: Vendor, actor: Membership, filters: SalesFilters | None = None
) -> QuerySet[SalesLine]:
    """Sales lines the person reaches, of the filters' period (invoice date), distributor (by
    id or by name), currency and text (invoice number, product, customer)."""
    qs = _reach(SalesLine.objects.filter(vendor=vendor), actor)
    if filters is None:
        return qs
    qs = qs.filter(invoice_date__gte=filters.date_from, invoice_date__lte=filters.date_to)
    if filters.distributor.isdigit():
        qs = qs.filter(distributor_id=int(filters.distributor))
    if filters.distributor_name:
        qs = qs.filter(distributor_name_q(filters.distributor_name, path="distributor__"))
    if filters.currency:
        qs = qs.filter(currency=filters.currency)
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(invoice_number__icontains=q)
            | Q(product_code__icontains=q)
            | Q(product_name__icontains=q)
            | Q(outlet__code__icontains=q)
            | Q(outlet__name__icontains=q)
        )
    return qs


def sales_totals(qs: QuerySet[SalesLine]) -> list[Mapping[str, Any]]:
    """Lines, quantity and amount per currency (amounts in different currencies never add)."""
    return list(
        qs.order_by()
        .values("currency")
        .annotate(lines=Count("id"), quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by("currency")
    )


def outlet_list_for_actor(
    *,
    vendor: Vendor,
    actor: Membership,
    distributor: str = "",
    q: str = "",
    distributor_name: str = "",
) -> QuerySet[Outlet]:
    """Outlets the person reaches, by distributor (an id, or part of its name) and name or
    code."""
    qs = _reach(Outlet.objects.filter(vendor=vendor), actor)
    if str(distributor).isdigit():
        qs = qs.filter(distributor_id=int(distributor))
    if distributor_name:
        qs = qs.filter(distributor_name_q(distributor_name, path="distributor__"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(tax_id__icontains=q))
    return qs


def sales_upload_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[SalesUpload]:
    """Uploads the person reaches, newest first."""
    return _reach(SalesUpload.objects.filter(vendor=vendor), actor)


def sales_upload_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> SalesUpload:
    """One upload the person reaches; another distributor's or vendor's is a 404."""
    return get_object_or_404(
        sales_upload_list_for_actor(vendor=vendor, actor=actor).select_related(
            "distributor", "uploaded_by__user"
        ),
        pk=pk,
    )


def sales_upload_errors(upload: SalesUpload) -> list[dict]:
    """The stored errors of an upload, worded in the reader's language."""
    result = []
    for e in upload.errors:
        field = FIELDS_BY_KEY.get(e["field"])
        result.append(
            {
                "row": e["row"],
                "field": e["field"],
                "column": upload.mapping.get(e["field"]) or (field.label if field else ""),
                "message": error_text(e["code"], e.get("params")),
            }
        )
    return result


EXPORT_HEADERS = [
    "distributor", "invoice_number", "line_number", "invoice_date", "ship_date", "outlet_code",
    "outlet_name", "product_code", "product_name", "product_line", "quantity", "amount",
    "currency", "due_date", "paid_date",
]  # fmt: skip


def sales_export_rows(*, vendor: Vendor, actor: Membership, filters: SalesFilters):
    """The export's rows (lists of plain values) for the period and filters, in invoice order."""
    qs = (
        sales_line_list_for_actor(vendor=vendor, actor=actor, filters=filters)
        .order_by("invoice_date", "distributor__name", "invoice_number", "line_number")
        .values_list(
            "distributor__name",
            "invoice_number",
            "line_number",
            "invoice_date",
            "ship_date",
            "outlet__code",
            "outlet__name",
            "product_code",
            "product_name",
            "product_line__name",
            "quantity",
            "amount",
            "currency",
            "due_date",
            "paid_date",
        )  # fmt: skip
    )
    return qs.iterator(chunk_size=2000)
