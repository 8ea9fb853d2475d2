"""Reads for bulk import and export. Every selector takes ``vendor`` and ``actor``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from partners import roles
from partners.import_layout import (
    COLUMNS,
    COLUMNS_BY_KEY,
    LIST_SEPARATOR,
    ROLE_EXPORT,
)
from partners.markets import MARKETS
from partners.models import (
    DistributorContact,
    ImportBatch,
    ImportStatus,
    Membership,
    ProductLine,
    Territory,
    Vendor,
)
from partners.selectors import distributor_list_for_actor


def import_batch_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[ImportBatch]:
    """The workspace's import batches, for the people who may import (everyone else reaches
    none: another vendor's batch and a batch one may not use both look missing)."""
    if not roles.is_editor(actor):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(vendor=vendor).select_related(
        "uploaded_by__user", "applied_by__user"
    )


def import_batch_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> ImportBatch:
    return get_object_or_404(import_batch_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def import_error_message(error: dict) -> str:
    """One stored row error worded in the reader's language."""
    params = error.get("params", {})
    code = error.get("code", "")
    messages = {
        "required": _("Required."),
        "required_new": _("Required for a new distributor."),
        "too_long": _("Too long: at most %(max)s characters."),
        "unknown_country": _("Unknown country “%(value)s”. Use a code such as JP or TH."),
        "bad_currency": _("Unknown currency “%(value)s”. Use a code such as JPY or THB."),
        "bad_time_zone": _("Unknown time zone “%(value)s”. Use a name such as Asia/Tokyo."),
        "bad_language": _("Unknown language “%(value)s”. Use en or ja."),
        "unknown_territory": _("Not a territory of this workspace: %(names)s."),
        "unknown_product_line": _("Not an active product line of this workspace: %(names)s."),
        "bad_role": _("Unknown role “%(value)s”. Use owner, sales lead, sales rep or operations."),
        "bad_email": _("“%(value)s” is not an e-mail address."),
        "contact_required": _("Needed when the row has contact details."),
        "conflict": _("Differs from row %(row)s of the same distributor (“%(value)s”)."),
        "duplicate_contact": _("The same contact is already on row %(row)s."),
        "formula_without_value": _(
            "This cell has a formula whose result was not saved. Open the file in Excel, save "
            "it, and upload it again, or type the value."
        ),
        "message": "%(text)s",
    }
    template = messages.get(code, _("Not valid."))
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def import_batch_preview(*, vendor: Vendor, actor: Membership, batch: ImportBatch) -> dict:
    """What the preview page and the API show of a batch: every row with what confirming
    would do, and every error with its row, column and message in the reader's language."""
    errors = []
    rows = []
    for row in batch.rows:
        row_errors = []
        for key, items in row.get("errors", {}).items():
            column = COLUMNS_BY_KEY.get(key)
            for item in items:
                entry = {
                    "row": row["row"],
                    "field": key,
                    "column": str(column.label) if column else key,
                    "message": import_error_message(item),
                }
                row_errors.append(entry)
                errors.append(entry)
        plan = row.get("plan", {})
        values = row.get("values", {})
        rows.append(
            {
                "row": row["row"],
                "distributor": values.get("name", ""),
                "distributor_action": plan.get("distributor", ""),
                "changes": [str(COLUMNS_BY_KEY[k].label) for k in plan.get("changes", [])],
                "group_row": plan.get("group_row"),
                "contact": values.get("contact_name", ""),
                "contact_action": plan.get("contact", ""),
                "errors": row_errors,
            }
        )
    return {
        "id": batch.pk,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "file_name": batch.file_name,
        "file_type": batch.file_type,
        "encoding": batch.encoding,
        "created_at": batch.created_at,
        "applied_at": batch.applied_at,
        "uploaded_by": str(batch.uploaded_by.user) if batch.uploaded_by else "",
        "ignored_columns": batch.ignored_columns,
        "summary": {
            k: batch.summary.get(k, 0)
            for k in (
                "rows",
                "error_rows",
                "distributors_new",
                "distributors_updated",
                "distributors_unchanged",
                "contacts_new",
                "contacts_existing",
            )
        },
        "error_count": batch.error_count,
        "can_confirm": (
            batch.status == ImportStatus.PREVIEW and batch.error_count == 0 and bool(batch.rows)
        ),
        "errors": errors,
        "rows": rows,
    }


def distributor_export_rows(
    *, vendor: Vendor, actor: Membership, search: str = "", country: str = ""
) -> list[list[str]]:
    """The distributors the person sees (narrowed like the distributor list), in the import
    layout: one row per active contact, or one row without contact for a distributor that has
    none. Four queries whatever the number of rows."""
    if not roles.is_staff_reader(actor):
        raise PermissionDenied
    distributors = distributor_list_for_actor(
        vendor=vendor, actor=actor, search=search, country=country
    ).prefetch_related(
        Prefetch("territories", queryset=Territory.objects.order_by("name")),
        Prefetch("product_lines", queryset=ProductLine.objects.order_by("name")),
        Prefetch(
            "contacts",
            queryset=DistributorContact.objects.filter(is_active=True).order_by("name", "id"),
        ),
    )
    result = []
    for d in distributors:
        profile = [
            d.name,
            d.legal_name,
            d.country,
            d.currency,
            d.time_zone,
            d.language,
            LIST_SEPARATOR.join(t.name for t in d.territories.all()),
            LIST_SEPARATOR.join(p.name for p in d.product_lines.all()),
        ]
        contacts = list(d.contacts.all())
        if not contacts:
            result.append(profile + [""] * 5)
        for c in contacts:
            result.append(
                profile + [c.name, ROLE_EXPORT.get(c.role, c.role), c.title, c.email, c.phone]
            )
    return result


def import_help_rows(*, vendor: Vendor, actor: Membership) -> list[list[str]]:
    """The "How to fill" sheet of the XLSX template: each column, and the values this
    workspace accepts (its territories and product lines by name)."""
    rows = [[_("Column"), _("What to write")]]
    for column in COLUMNS:
        rows.append([column.header, str(column.help)])
    rows.append(["", ""])
    rows.append([_("Countries"), ", ".join(f"{m.country} ({m.name})" for m in MARKETS)])
    territories = Territory.objects.filter(vendor=vendor).order_by("name")
    product_lines = ProductLine.objects.filter(vendor=vendor, is_active=True).order_by("name")
    rows.append([_("Territories"), LIST_SEPARATOR.join(t.name for t in territories) or "—"])
    rows.append([_("Product lines"), LIST_SEPARATOR.join(p.name for p in product_lines) or "—"])
    rows.append([_("One row per contact"), _("Repeat the distributor's name on each of its rows.")])
    return rows


def import_page_context(*, vendor: Vendor, actor: Membership) -> dict:
    """The import page: the layout, the workspace's territories and product lines, and the
    latest batches."""
    return {
        "columns": COLUMNS,
        "territories": list(Territory.objects.filter(vendor=vendor).order_by("name")),
        "product_lines": list(
            ProductLine.objects.filter(vendor=vendor, is_active=True).order_by("name")
        ),
        "batches": list(import_batch_list_for_actor(vendor=vendor, actor=actor)[:10]),
    }
