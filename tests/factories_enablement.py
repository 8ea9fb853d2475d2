"""Builders for enablement rows. Like tests/factories.py they do not open a tenant scope: call
them inside ``in_scope(tenant)``."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from partners.demo.enablement import minimal_pdf, pdf_upload
from partners.models import (
    ContactRole,
    DistributorContact,
    DistributorProductLine,
    ProductLine,
    SalesKitCategory,
    SalesKitDocument,
    Training,
    TrainingAttendance,
    TrainingKind,
)
from partners.platform.uploads import PDF, stored_name

__all__ = [
    "attendance",
    "contact",
    "document",
    "minimal_pdf",
    "pdf_upload",
    "product_line",
    "training",
]


def product_line(vendor, name: str, *, sold_by=()) -> ProductLine:
    line = ProductLine.objects.create(vendor=vendor, name=name)
    for distributor in sold_by:
        DistributorProductLine.objects.create(
            vendor=vendor, distributor=distributor, product_line=line
        )
    return line


def contact(
    distributor, name: str, role: str = ContactRole.SALES_REP, *, is_active: bool = True
) -> DistributorContact:
    return DistributorContact.objects.create(
        vendor_id=distributor.vendor_id,
        distributor=distributor,
        name=name,
        role=role,
        is_active=is_active,
    )


def training(
    vendor,
    title: str = "Value selling",
    *,
    kind: str = TrainingKind.SALES_SKILLS,
    starts_on: dt.date | None = None,
    valid_months: int | None = 12,
    product_line=None,
) -> Training:
    return Training.objects.create(
        vendor=vendor,
        title=title,
        kind=kind,
        starts_on=starts_on or dt.date(2025, 1, 10),
        valid_months=valid_months,
        product_line=product_line,
    )


def attendance(
    training_: Training,
    contact_: DistributorContact,
    *,
    completed_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> TrainingAttendance:
    return TrainingAttendance.objects.create(
        vendor_id=training_.vendor_id,
        training=training_,
        contact=contact_,
        distributor_id=contact_.distributor_id,
        completed=completed_on is not None,
        completed_on=completed_on,
        expires_on=expires_on,
    )


def document(
    vendor,
    title: str,
    *,
    product_line=None,
    category: str = SalesKitCategory.PRODUCT_SHEET,
    language: str = "en",
) -> SalesKitDocument:
    content = minimal_pdf(title)
    doc = SalesKitDocument(
        vendor=vendor,
        title=title,
        category=category,
        language=language,
        product_line=product_line,
        original_name=f"{title.lower().replace(' ', '-')}.pdf",
        content_type=PDF.content_type,
        size=len(content),
    )
    doc.file.save(stored_name(vendor.id, "sales-kit", PDF), ContentFile(content), save=False)
    doc.save()
    return doc
