"""Enablement writes: trainings, who attended and completed them, and the sales kit library.

Vendor admins and channel managers record trainings and attendance and keep the sales kit;
everyone else reads (through the selectors in ``partners.selectors.enablement``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partners import periods, roles
from partners.models import (
    ContactRole,
    DistributorContact,
    Membership,
    ProductLine,
    SalesKitDocument,
    Training,
    TrainingAttendance,
    Vendor,
)
from partners.platform.uploads import SALES_KIT_KINDS, stored_name, validate_document

from .audit import audit_record, changes_between, snapshot

TRAINING_FIELDS = [
    "title",
    "kind",
    "product_line",
    "starts_on",
    "ends_on",
    "provider",
    "trainer",
    "valid_months",
    "notes",
]
ATTENDANCE_FIELDS = ["contact", "completed", "completed_on", "expires_on"]
SALES_KIT_FIELDS = ["title", "category", "language", "product_line", "description"]
SALES_ROLES = (ContactRole.SALES_REP, ContactRole.SALES_LEAD)
SALES_KIT_FOLDER = "sales-kit"


def _check_can_edit(actor: Membership | None) -> None:
    if not roles.is_editor(actor):
        raise PermissionDenied(
            _("Only vendor admins and channel managers record trainings and edit the sales kit.")
        )


def _check_product_line(vendor: Vendor, product_line: ProductLine | None) -> None:
    if product_line is not None and product_line.vendor_id != vendor.id:
        raise ValidationError({"product_line": _("Choose one of your product lines.")})


# --- trainings ------------------------------------------------------------------------------


def _validate_training(training: Training) -> None:
    training.full_clean(exclude=["vendor", "created_by"], validate_constraints=False)
    if training.ends_on and training.ends_on < training.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first day.")})


def training_create(*, vendor: Vendor, actor: Membership, **fields) -> Training:
    """Record a training (its attendees are added with ``attendance_add``)."""
    _check_can_edit(actor)
    unknown = set(fields) - set(TRAINING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown training fields: {sorted(unknown)}")
    _check_product_line(vendor, fields.get("product_line"))
    training = Training(vendor=vendor, created_by=actor.user, **fields)
    _validate_training(training)
    with transaction.atomic():
        training.save()
        audit_record(
            vendor=vendor,
            actor=actor,
            action="training.create",
            obj=training,
            changes=changes_between({}, snapshot(training, TRAINING_FIELDS)),
        )
    return training


def training_update(*, vendor: Vendor, actor: Membership, training: Training, **fields) -> Training:
    """Change a training; only the fields given change. A new validity moves the expiry of
    every completion of this training (expiry follows the training's rule)."""
    _check_can_edit(actor)
    if training.vendor_id != vendor.id:
        raise PermissionDenied
    unknown = set(fields) - set(TRAINING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown training fields: {sorted(unknown)}")
    _check_product_line(vendor, fields.get("product_line"))
    with transaction.atomic():
        stored = Training.objects.select_for_update().get(pk=training.pk)
        before = snapshot(stored, TRAINING_FIELDS)
        for name, value in fields.items():
            setattr(training, name, value)
        _validate_training(training)
        earliest = training.attendances.filter(completed=True).order_by("completed_on").first()
        if earliest and earliest.completed_on and earliest.completed_on < training.starts_on:
            raise ValidationError(
                {"starts_on": _("Someone completed this training before that day.")}
            )
        training.save()
        if stored.valid_months != training.valid_months:
            for attendance in training.attendances.filter(completed=True):
                attendance.expires_on = _default_expiry(training, attendance.completed_on)
                attendance.save(update_fields=["expires_on", "updated_at"])
        changes = changes_between(before, snapshot(training, TRAINING_FIELDS))
        if changes:
            audit_record(
                vendor=vendor, actor=actor, action="training.update", obj=training, changes=changes
            )
    return training


# --- attendance -----------------------------------------------------------------------------


def _default_expiry(training: Training, completed_on: dt.date | None) -> dt.date | None:
    if completed_on is None or not training.valid_months:
        return None
    return periods.add_months_same_day(completed_on, training.valid_months)


def _apply_completion(
    attendance: TrainingAttendance,
    *,
    completed: bool,
    completed_on: dt.date | None,
    expires_on: dt.date | None,
) -> None:
    """Set and check completion: a completion has a date, on or after the training's first
    day and not in the future where the distributor is; the expiry defaults to the training's
    validity and must come after the completion."""
    training = attendance.training
    if not completed:
        attendance.completed, attendance.completed_on, attendance.expires_on = False, None, None
        return
    if completed_on is None:
        raise ValidationError({"completed_on": _("Enter the day the training was completed.")})
    if completed_on < training.starts_on:
        raise ValidationError({"completed_on": _("The training started later than this day.")})
    if completed_on > attendance.distributor.local_today():
        raise ValidationError({"completed_on": _("This day is still in the future.")})
    if expires_on is None:
        expires_on = _default_expiry(training, completed_on)
    elif expires_on <= completed_on:
        raise ValidationError({"expires_on": _("The expiry must come after the completion.")})
    attendance.completed, attendance.completed_on, attendance.expires_on = (
        True,
        completed_on,
        expires_on,
    )


def attendance_add(
    *,
    vendor: Vendor,
    actor: Membership,
    training: Training,
    contact: DistributorContact,
    completed: bool = False,
    completed_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> TrainingAttendance:
    """Put a distributor's sales rep or sales lead on a training, completed or not."""
    _check_can_edit(actor)
    if training.vendor_id != vendor.id or contact.vendor_id != vendor.id:
        raise PermissionDenied
    if contact.role not in SALES_ROLES:
        raise ValidationError({"contact": _("Only sales reps and sales leads attend trainings.")})
    if not contact.is_active:
        raise ValidationError({"contact": _("This person no longer works with us.")})
    attendance = TrainingAttendance(
        vendor=vendor, training=training, contact=contact, distributor_id=contact.distributor_id
    )
    _apply_completion(
        attendance, completed=completed, completed_on=completed_on, expires_on=expires_on
    )
    if TrainingAttendance.objects.filter(training=training, contact=contact).exists():
        raise ValidationError({"contact": _("%(name)s is already on this training.") % {
            "name": contact.name}})  # fmt: skip
    try:
        with transaction.atomic():
            attendance.save()
            audit_record(
                vendor=vendor,
                actor=actor,
                action="training.attendance.add",
                obj=attendance,
                changes=changes_between({}, snapshot(attendance, ATTENDANCE_FIELDS)),
            )
    except IntegrityError as exc:
        raise ValidationError({"contact": _("This person is already on this training.")}) from exc
    return attendance


def attendances_add(
    *,
    vendor: Vendor,
    actor: Membership,
    training: Training,
    contacts,
    completed: bool = False,
    completed_on: dt.date | None = None,
) -> list[TrainingAttendance]:
    """Put several people on a training at once: all of them or, on any error, none."""
    if not contacts:
        raise ValidationError({"contacts": _("Choose at least one person.")})
    with transaction.atomic():
        return [
            attendance_add(
                vendor=vendor,
                actor=actor,
                training=training,
                contact=contact,
                completed=completed,
                completed_on=completed_on,
            )
            for contact in contacts
        ]


def attendance_update(
    *,
    vendor: Vendor,
    actor: Membership,
    attendance: TrainingAttendance,
    completed: bool,
    completed_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> TrainingAttendance:
    """Record whether the person completed the training, when, and until when it counts."""
    _check_can_edit(actor)
    if attendance.vendor_id != vendor.id:
        raise PermissionDenied
    with transaction.atomic():
        stored = TrainingAttendance.objects.select_for_update().get(pk=attendance.pk)
        before = snapshot(stored, ATTENDANCE_FIELDS)
        _apply_completion(
            attendance, completed=completed, completed_on=completed_on, expires_on=expires_on
        )
        attendance.save()
        changes = changes_between(before, snapshot(attendance, ATTENDANCE_FIELDS))
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="training.attendance.update",
                obj=attendance,
                changes=changes,
            )
    return attendance


def attendance_remove(*, vendor: Vendor, actor: Membership, attendance: TrainingAttendance) -> None:
    """Take a person off a training (recorded by mistake)."""
    _check_can_edit(actor)
    if attendance.vendor_id != vendor.id:
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            vendor=vendor,
            actor=actor,
            action="training.attendance.remove",
            obj=attendance,
            changes=changes_between(snapshot(attendance, ATTENDANCE_FIELDS), {}),
        )
        attendance.delete()


# --- sales kit ------------------------------------------------------------------------------


def _store_file(vendor: Vendor, document: SalesKitDocument, file) -> None:
    """Check the upload and keep it under a name we choose (never the uploader's)."""
    try:
        kind = validate_document(file, SALES_KIT_KINDS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document.original_name = (file.name or "document").rsplit("/", 1)[-1][:255]
    document.content_type = kind.content_type
    document.size = file.size
    document.file.save(stored_name(vendor.id, SALES_KIT_FOLDER, kind), file, save=False)


def _delete_file_on_commit(document: SalesKitDocument, name: str | None) -> None:
    storage = document.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _validate_document(document: SalesKitDocument) -> None:
    document.full_clean(exclude=["vendor", "file", "original_name", "content_type", "size",
                                 "uploaded_by"])  # fmt: skip


def sales_kit_document_create(
    *, vendor: Vendor, actor: Membership, file, **fields
) -> SalesKitDocument:
    """Add a document to the sales kit. The file is checked by its content (wrong type,
    oversize and renamed programs are refused on ``file``) and nothing is stored unless the
    whole document is valid."""
    _check_can_edit(actor)
    unknown = set(fields) - set(SALES_KIT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown sales kit fields: {sorted(unknown)}")
    _check_product_line(vendor, fields.get("product_line"))
    document = SalesKitDocument(vendor=vendor, uploaded_by=actor.user, **fields)
    _validate_document(document)
    _store_file(vendor, document, file)
    try:
        with transaction.atomic():
            document.save()
            audit_record(
                vendor=vendor,
                actor=actor,
                action="sales_kit.create",
                obj=document,
                changes=changes_between(
                    {}, snapshot(document, [*SALES_KIT_FIELDS, "original_name"])
                ),
            )
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def sales_kit_document_update(
    *, vendor: Vendor, actor: Membership, document: SalesKitDocument, file=None, **fields
) -> SalesKitDocument:
    """Change a document's details and, when ``file`` is given, replace its file (the old
    file is deleted once the change is committed)."""
    _check_can_edit(actor)
    if document.vendor_id != vendor.id:
        raise PermissionDenied
    unknown = set(fields) - set(SALES_KIT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown sales kit fields: {sorted(unknown)}")
    _check_product_line(vendor, fields.get("product_line"))
    with transaction.atomic():
        stored = SalesKitDocument.objects.select_for_update().get(pk=document.pk)
        tracked = [*SALES_KIT_FIELDS, "original_name", "size"]
        before = snapshot(stored, tracked)
        for name, value in fields.items():
            setattr(document, name, value)
        _validate_document(document)
        old_name = stored.file.name
        if file is not None:
            _store_file(vendor, document, file)
            new_name = document.file.name
            _delete_file_on_commit(document, old_name)
        try:
            with transaction.atomic():
                document.save()
        except Exception:
            if file is not None and new_name:
                document.file.storage.delete(new_name)
            raise
        changes = changes_between(before, snapshot(document, tracked))
        if changes:
            audit_record(
                vendor=vendor, actor=actor, action="sales_kit.update", obj=document, changes=changes
            )
    return document


def sales_kit_document_delete(
    *, vendor: Vendor, actor: Membership, document: SalesKitDocument
) -> None:
    """Remove a document from the sales kit; its file goes once the removal is committed."""
    _check_can_edit(actor)
    if document.vendor_id != vendor.id:
        raise PermissionDenied
    with transaction.atomic():
        audit_record(
            vendor=vendor,
            actor=actor,
            action="sales_kit.delete",
            obj=document,
            changes=changes_between(snapshot(document, [*SALES_KIT_FIELDS, "original_name"]), {}),
        )
        _delete_file_on_commit(document, document.file.name)
        document.delete()
