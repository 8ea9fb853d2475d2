"""Bulk onboarding: distributors and their contacts from a CSV or XLSX file.

Upload -> preview -> confirm. ``import_batch_create`` reads and checks the file and keeps its
cells in an ``ImportBatch``; nothing else is written. ``import_batch_confirm`` checks the rows
again against today's data and, only when no row has an error, applies every row in one
transaction through the same services as the distributor and contact pages (so each change is
audited like a hand edit). A file with errors is fixed and uploaded again: rows of one
distributor belong together, and importing part of a distributor would leave a half-onboarded
partner behind. Confirming twice imports once (the batch is claimed under a row lock).

The layout is in ``layout.py``; reading and writing files in ``files.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import available_timezones

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.import_layout import (
    COLUMNS_BY_KEY,
    CONTACT_KEYS,
    CURRENCY_CODES,
    country_value,
    language_value,
    name_key,
    role_value,
    split_list,
)
from partners.markets import MARKETS_BY_COUNTRY
from partners.models import (
    Distributor,
    DistributorContact,
    ImportBatch,
    ImportStatus,
    Membership,
    ProductLine,
    Territory,
    Vendor,
)
from partners.services.audit import audit_record
from partners.services.distributors import distributor_create, distributor_update
from partners.services.profile import contact_create
from partners.words import phrases_join

from .files import read_upload

CORE_FIELDS = ("country", "currency", "time_zone", "language")  # distributor_create/update take
EXTRA_FIELDS = ("legal_name", "territories", "product_lines")  # written here, see below
PROFILE_FIELDS = CORE_FIELDS + EXTRA_FIELDS


def _check_can_import(actor: Membership) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers import distributors."))


def _err(code: str, **params) -> dict:
    return {"code": code, "params": params}


@dataclass
class _Group:
    """The rows of one distributor in the file."""

    name: str
    first_row: int
    existing: Distributor | None
    values: dict = field(default_factory=dict)  # field -> checked value
    source: dict = field(default_factory=dict)  # field -> the row it came from
    contacts: dict = field(default_factory=dict)  # duplicate key -> row
    new_contacts: list = field(default_factory=list)  # (row, {contact fields})
    changes: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # every row number of this distributor


@dataclass
class _Checked:
    rows: list
    groups: list
    summary: dict
    error_count: int


def _time_zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def _existing_profile(distributor: Distributor) -> dict:
    return {
        "legal_name": distributor.legal_name,
        "country": distributor.country,
        "currency": distributor.currency,
        "time_zone": distributor.time_zone,
        "language": distributor.language,
        "territories": sorted(t.name for t in distributor.territories.all()),
        "product_lines": sorted(p.name for p in distributor.product_lines.all()),
    }


def _comparable(value):
    return sorted(value) if isinstance(value, list) else value


def _check(vendor: Vendor, rows: list[dict]) -> _Checked:
    """Check every row against the layout and today's data; return the rows with their errors
    and what confirming would do. Reads only: a handful of queries whatever the row count."""
    territories = {name_key(t.name): t for t in Territory.objects.filter(vendor=vendor)}
    product_lines = {
        name_key(p.name): p for p in ProductLine.objects.filter(vendor=vendor, is_active=True)
    }
    wanted = {name_key(r["values"].get("name", "")) for r in rows} - {""}
    # Names are matched ignoring case, so find the ids from the light (id, name) list first.
    matched_ids = [
        pk
        for pk, stored in Distributor.objects.filter(vendor=vendor).values_list("id", "name")
        if name_key(stored) in wanted
    ]
    existing = {
        name_key(d.name): d
        for d in Distributor.objects.filter(vendor=vendor, pk__in=matched_ids).prefetch_related(
            "territories", "product_lines"
        )
    }
    existing_contacts: dict[int, list[tuple[str, str]]] = {}
    for c in DistributorContact.objects.filter(
        vendor=vendor, distributor__in=[d.pk for d in existing.values()]
    ).values("distributor_id", "name", "email"):
        existing_contacts.setdefault(c["distributor_id"], []).append(
            (name_key(c["name"]), c["email"].casefold())
        )
    zones = _time_zones()
    groups: dict[str, _Group] = {}
    checked_rows = []

    for source_row in rows:
        values = dict(source_row["values"])
        number = source_row["row"]
        errors: dict[str, list] = {}
        plan: dict = {}

        def add(key, code, _errors=errors, **params):
            _errors.setdefault(key, []).append(_err(code, **params))

        for key in source_row.get("formulas", []):
            add(key, "formula_without_value")
        for key, value in values.items():
            limit = COLUMNS_BY_KEY[key].max_length
            if limit and len(value) > limit:
                add(key, "too_long", max=limit)
        checked_rows.append(
            {
                "row": number,
                "values": values,
                **({"formulas": source_row["formulas"]} if source_row.get("formulas") else {}),
                "errors": errors,
                "plan": plan,
            }
        )
        name = values.get("name", "")
        if not name:
            add("name", "required")
            continue
        key = name_key(name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(name=name, first_row=number, existing=existing.get(key))
        plan["group_row"] = group.first_row
        group.rows.append(number)

        parsed = {}
        if values.get("legal_name"):
            parsed["legal_name"] = values["legal_name"]
        if values.get("country"):
            code = country_value(values["country"])
            if code is None:
                add("country", "unknown_country", value=values["country"])
            else:
                parsed["country"] = code
        if values.get("currency"):
            code = values["currency"].upper()
            if code in CURRENCY_CODES:
                parsed["currency"] = code
            else:
                add("currency", "bad_currency", value=values["currency"])
        if values.get("time_zone"):
            zone = zones.get(values["time_zone"].casefold())
            if zone is None:
                add("time_zone", "bad_time_zone", value=values["time_zone"])
            else:
                parsed["time_zone"] = zone
        if values.get("language"):
            language = language_value(values["language"])
            if language is None:
                add("language", "bad_language", value=values["language"])
            else:
                parsed["language"] = language
        for list_key, known, code in (
            ("territories", territories, "unknown_territory"),
            ("product_lines", product_lines, "unknown_product_line"),
        ):
            if values.get(list_key):
                names = split_list(values[list_key])
                unknown = [n for n in names if name_key(n) not in known]
                if unknown:
                    add(list_key, code, names=phrases_join(unknown))
                else:
                    parsed[list_key] = [known[name_key(n)].name for n in names]
        for field_name, value in parsed.items():
            if field_name not in group.values:
                group.values[field_name] = value
                group.source[field_name] = number
            elif _comparable(group.values[field_name]) != _comparable(value):
                shown = group.values[field_name]
                add(
                    field_name,
                    "conflict",
                    row=group.source[field_name],
                    value="; ".join(shown) if isinstance(shown, list) else shown,
                )

        if any(values.get(k) for k in CONTACT_KEYS):
            contact = {
                "name": values.get("contact_name", ""),
                "role": role_value(values.get("contact_role", "")),
                "title": values.get("contact_title", ""),
                "email": values.get("contact_email", ""),
                "phone": values.get("contact_phone", ""),
            }
            if not contact["name"]:
                add("contact_name", "contact_required")
            if not values.get("contact_role"):
                add("contact_role", "contact_required")
            elif contact["role"] is None:
                add("contact_role", "bad_role", value=values["contact_role"])
            if contact["email"]:
                try:
                    validate_email(contact["email"])
                except ValidationError:
                    add("contact_email", "bad_email", value=contact["email"])
            email = contact["email"].casefold()
            dup_key = ("e", email) if email else ("n", name_key(contact["name"]))
            if contact["name"] and dup_key in group.contacts:
                add(
                    "contact_email" if email else "contact_name",
                    "duplicate_contact",
                    row=group.contacts[dup_key],
                )
            elif contact["name"]:
                group.contacts[dup_key] = number
                on_file = group.existing is not None and any(
                    (email and ex_email and email == ex_email)
                    or ((not email or not ex_email) and name_key(contact["name"]) == ex_name)
                    for ex_name, ex_email in existing_contacts.get(group.existing.pk, [])
                )
                plan["contact"] = "existing" if on_file else "create"
                if not on_file and not errors:
                    group.new_contacts.append((number, contact))

    by_row = {r["row"]: r for r in checked_rows}
    for group in groups.values():
        first = by_row[group.first_row]
        if group.existing is None:
            country_errors = any("country" in by_row[r]["errors"] for r in group.rows)
            if "country" not in group.values and not country_errors:
                first["errors"].setdefault("country", []).append(_err("required_new"))
            market = MARKETS_BY_COUNTRY.get(group.values.get("country") or "")
            if market:
                group.values.setdefault("currency", market.currency)
                group.values.setdefault("time_zone", market.time_zone)
                group.values.setdefault("language", market.language)
            first["plan"]["distributor"] = "create"
        else:
            before = _existing_profile(group.existing)
            group.changes = [
                k for k, v in group.values.items() if _comparable(before.get(k)) != _comparable(v)
            ]
            first["plan"]["distributor"] = "update" if group.changes else "unchanged"
            first["plan"]["changes"] = group.changes
            first["plan"]["distributor_id"] = group.existing.pk

    error_rows = [r for r in checked_rows if r["errors"]]
    summary = {
        "rows": len(checked_rows),
        "error_rows": len(error_rows),
        "distributors_new": sum(1 for g in groups.values() if g.existing is None),
        "distributors_updated": sum(1 for g in groups.values() if g.existing and g.changes),
        "distributors_unchanged": sum(1 for g in groups.values() if g.existing and not g.changes),
        "contacts_new": sum(1 for r in checked_rows if r["plan"].get("contact") == "create"),
        "contacts_existing": sum(1 for r in checked_rows if r["plan"].get("contact") == "existing"),
    }
    return _Checked(
        rows=checked_rows,
        groups=sorted(groups.values(), key=lambda g: g.first_row),
        summary=summary,
        error_count=sum(len(v) for r in checked_rows for v in r["errors"].values()),
    )


def import_batch_create(*, vendor: Vendor, actor: Membership, file) -> ImportBatch:
    """Read and check an uploaded file and keep it as a batch waiting for confirmation.

    Raises ValidationError on ``file`` when the file cannot be read at all (wrong kind, too
    large, no header row); row errors do not raise, they are in the batch for the preview."""
    _check_can_import(actor)
    parsed = read_upload(file)
    checked = _check(vendor, parsed.rows)
    return ImportBatch.objects.create(
        vendor=vendor,
        uploaded_by=actor,
        file_name=(getattr(file, "name", "") or "upload")[:255],
        file_type=parsed.file_type,
        encoding=parsed.encoding,
        rows=checked.rows,
        ignored_columns=parsed.ignored_columns,
        summary=checked.summary,
        error_count=checked.error_count,
    )


def _profile_fields(vendor: Vendor, values: dict) -> dict:
    """The legal name, territories and product lines a row group carries, in the form the
    distributor services take them (territories and product lines, when given, replace the
    distributor's lists)."""
    fields = {}
    if "legal_name" in values:
        fields["legal_name"] = values["legal_name"]
    if "territories" in values:
        fields["territories"] = list(
            Territory.objects.filter(vendor=vendor, name__in=values["territories"])
        )
    if "product_lines" in values:
        fields["product_lines"] = list(
            ProductLine.objects.filter(vendor=vendor, name__in=values["product_lines"])
        )
    return fields


def _profile_changes(distributor: Distributor, profile: dict) -> dict:
    """The profile fields whose imported value differs from what is stored (a round trip of
    an export must write nothing)."""
    changed = {}
    if "legal_name" in profile and profile["legal_name"] != distributor.legal_name:
        changed["legal_name"] = profile["legal_name"]
    for name in ("territories", "product_lines"):
        if name in profile:
            stored = set(getattr(distributor, name).values_list("pk", flat=True))
            if {obj.pk for obj in profile[name]} != stored:
                changed[name] = profile[name]
    return changed


class _RowFailed(Exception):
    def __init__(self, row: int, error: ValidationError, prefix: str = ""):
        self.row, self.error, self.prefix = row, error, prefix


def _apply(vendor: Vendor, actor: Membership, checked: _Checked) -> dict:
    result: dict[str, Any] = {
        "distributors_created": [],
        "distributors_updated": [],
        "contacts_created": 0,
    }
    for group in checked.groups:
        core = {k: group.values[k] for k in CORE_FIELDS if k in group.values}
        profile = _profile_fields(
            vendor, {k: v for k, v in group.values.items() if k in EXTRA_FIELDS}
        )
        try:
            if group.existing is None:
                distributor = distributor_create(
                    vendor=vendor, actor=actor, name=group.name, **core, **profile
                )
                result["distributors_created"].append(distributor.pk)
            else:
                distributor = group.existing
                changed = {k: v for k, v in core.items() if k in group.changes}
                changed.update(_profile_changes(distributor, profile))
                if changed:
                    distributor_update(
                        vendor=vendor, actor=actor, distributor=distributor, **changed
                    )
                if group.changes:
                    result["distributors_updated"].append(distributor.pk)
        except ValidationError as exc:
            raise _RowFailed(group.first_row, exc) from exc
        for row, contact in group.new_contacts:
            try:
                contact_create(vendor=vendor, actor=actor, distributor=distributor, **contact)
            except ValidationError as exc:
                raise _RowFailed(row, exc, prefix="contact_") from exc
            result["contacts_created"] += 1
    return result


def import_batch_confirm(*, vendor: Vendor, actor: Membership, batch: ImportBatch) -> ImportBatch:
    """Apply a checked batch: create and update its distributors and add its new contacts, in
    one transaction, audited. Only a batch without errors is applied; the rows are checked
    again first (the data may have changed since the preview), and a batch that is already
    imported or discarded is returned as it is, so confirming twice imports once.

    Raises ValidationError (the batch then holds the new row errors) when a row has errors."""
    _check_can_import(actor)
    if batch.vendor_id != vendor.id:
        raise PermissionDenied
    failed = False
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.PREVIEW:
            return locked
        checked = _check(vendor, locked.rows)
        if checked.error_count == 0:
            try:
                with transaction.atomic():
                    result = _apply(vendor, actor, checked)
            except _RowFailed as failure:
                row = next(r for r in checked.rows if r["row"] == failure.row)
                messages = getattr(failure.error, "message_dict", None) or {
                    "name": failure.error.messages
                }
                for key, texts in messages.items():
                    column = (
                        failure.prefix + key if failure.prefix + key in COLUMNS_BY_KEY else "name"
                    )
                    for text in texts:
                        row["errors"].setdefault(column, []).append(_err("message", text=text))
                checked.error_count = sum(
                    len(v) for r in checked.rows for v in r["errors"].values()
                )
                checked.summary["error_rows"] = sum(1 for r in checked.rows if r["errors"])
        locked.rows = checked.rows
        locked.summary = checked.summary
        locked.error_count = checked.error_count
        if checked.error_count:
            failed = True
            locked.save(update_fields=["rows", "summary", "error_count"])
        else:
            locked.status = ImportStatus.IMPORTED
            locked.applied_at = timezone.now()
            locked.applied_by = actor
            locked.summary = {**checked.summary, "result": result}
            locked.save()
            audit_record(
                vendor=vendor,
                actor=actor,
                action="distributor_import.confirm",
                obj=locked,
                changes={
                    "distributors_created": [None, len(result["distributors_created"])],
                    "distributors_updated": [None, len(result["distributors_updated"])],
                    "contacts_created": [None, result["contacts_created"]],
                },
            )
    if failed:
        raise ValidationError(
            _(
                "Nothing was imported: %(count)s rows have errors. Correct the file and upload it again."
            )
            % {"count": locked.summary.get("error_rows", 0)},
            code="has_errors",
        )
    return locked


def import_batch_discard(*, vendor: Vendor, actor: Membership, batch: ImportBatch) -> ImportBatch:
    """Drop a batch that is waiting for confirmation (its cells are cleared; the row stays as a
    record of the upload)."""
    _check_can_import(actor)
    if batch.vendor_id != vendor.id:
        raise PermissionDenied
    ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.DISCARDED, rows=[]
    )
    batch.refresh_from_db()
    return batch
