"""The signed contract document: upload."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partners.models import Contract, Membership, Vendor
from partners.platform.uploads import CONTRACT_KINDS, stored_name, validate_document
from partners.services.audit import audit_record
from partners.services.contracts.scope import _check_can_edit, _check_same_vendor


def contract_document_upload(
    *, vendor: Vendor, actor: Membership, contract: Contract, file
) -> Contract:
    """Store the signed PDF of a contract (checked by content and size; a random name)."""
    _check_can_edit(actor)
    _check_same_vendor(vendor, contract)
    try:
        kind = validate_document(file, CONTRACT_KINDS)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}, code=exc.code) from exc
    old_name = contract.document.name
    storage = contract.document.storage
    contract.document.save(stored_name(vendor.id, "contracts", kind), file, save=False)
    new_name = contract.document.name
    try:
        with transaction.atomic():
            contract.document_name = (file.name or "contract.pdf")[-200:]
            contract.document_uploaded_at = timezone.now()
            Contract.objects.filter(pk=contract.pk).update(
                document=new_name,
                document_name=contract.document_name,
                document_uploaded_at=contract.document_uploaded_at,
            )
            audit_record(
                vendor=vendor,
                actor=actor,
                action="contract.document.upload",
                obj=contract,
                changes={"document_name": [None, contract.document_name]},
            )
    except Exception:
        if new_name:
            storage.delete(new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return contract
