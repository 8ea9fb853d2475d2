"""Demo enablement data: a few trainings with attendees among the demo contacts, and a small
sales kit of generated PDFs (made here, in code: no binary files in git).

``seed(vendor=, actor=, distributors=)`` runs inside the vendor's tenant scope and writes
through the enablement services, so the audit log shows real entries.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import (
    ContactRole,
    DistributorContact,
    ProductLine,
    SalesKitCategory,
    SalesKitDocument,
    Training,
    TrainingKind,
)
from partners.services.enablement import (
    attendance_add,
    sales_kit_document_create,
    training_create,
)
from partners.services.profile import contact_create


def _pdf_text(text: str) -> str:
    # Latin-1 text only, with PDF string escapes; anything else becomes "?".
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(title: str, lines: tuple[str, ...] = ()) -> bytes:
    """A small valid one-page PDF (Helvetica, A4) with a title and a few lines of text."""
    rows = [f"BT /F1 18 Tf 56 780 Td ({_pdf_text(title)}) Tj ET"]
    for number, line in enumerate(lines):
        rows.append(f"BT /F1 11 Tf 56 {750 - 16 * number} Td ({_pdf_text(line)}) Tj ET")
    stream = "\n".join(rows).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(name: str, title: str, lines: tuple[str, ...] = ()) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(title, lines), content_type="application/pdf")


# Two sales people per distributor when the profile seed left it without any.
SALES_PEOPLE = {
    "ja": [("鈴木 一郎", ContactRole.SALES_LEAD), ("高橋 花子", ContactRole.SALES_REP)],
    "en": [("Alex Lim", ContactRole.SALES_LEAD), ("Nur Aisyah", ContactRole.SALES_REP)],
}


def _sales_contacts(*, vendor, actor, distributor) -> list[DistributorContact]:
    contacts = list(
        DistributorContact.objects.filter(
            distributor=distributor,
            is_active=True,
            role__in=[ContactRole.SALES_LEAD, ContactRole.SALES_REP],
        )
    )
    if contacts:
        return contacts
    return [
        contact_create(vendor=vendor, actor=actor, distributor=distributor, name=name, role=role)
        for name, role in SALES_PEOPLE.get(distributor.language, SALES_PEOPLE["en"])
    ]


def seed(*, vendor, actor, distributors) -> None:
    """Trainings for the first few distributors (some completed, one expired, some pending)
    and a sales kit of generated PDFs. Does nothing if the vendor already has trainings."""
    if Training.objects.filter(vendor=vendor).exists():
        return
    distributors = list(distributors)[:4]
    line = ProductLine.objects.filter(vendor=vendor).order_by("name", "id").first()
    today = min((d.local_today() for d in distributors), default=dt.date.today())
    sales_skills = training_create(
        vendor=vendor,
        actor=actor,
        title="Value selling: questions, benefits, objections, the close",
        kind=TrainingKind.SALES_SKILLS,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=59),
        provider="Partner Academy",
        trainer="Maria Jensen",
        valid_months=12,
    )
    product = training_create(
        vendor=vendor,
        actor=actor,
        title=f"{line.name if line else 'Product'} fundamentals",
        kind=TrainingKind.PRODUCT,
        product_line=line,
        starts_on=today - dt.timedelta(days=400),
        provider=vendor.name,
        valid_months=12,
    )
    leadership = training_create(
        vendor=vendor,
        actor=actor,
        title="Leading a sales team",
        kind=TrainingKind.LEADERSHIP,
        starts_on=today - dt.timedelta(days=20),
        provider="Partner Academy",
        trainer="Maria Jensen",
        valid_months=24,
    )
    for index, distributor in enumerate(distributors):
        contacts = _sales_contacts(vendor=vendor, actor=actor, distributor=distributor)
        for number, contact in enumerate(contacts):
            done = (index + number) % 3 != 2  # most completed, some still to finish
            attendance_add(
                vendor=vendor,
                actor=actor,
                training=sales_skills,
                contact=contact,
                completed=done,
                completed_on=sales_skills.ends_on if done else None,
            )
            if index % 2 == 0:
                # A year-old product course: its completions have expired.
                attendance_add(
                    vendor=vendor,
                    actor=actor,
                    training=product,
                    contact=contact,
                    completed=True,
                    completed_on=product.starts_on,
                )
            if contact.role == ContactRole.SALES_LEAD and index < 2:
                attendance_add(
                    vendor=vendor,
                    actor=actor,
                    training=leadership,
                    contact=contact,
                    completed=True,
                    completed_on=leadership.starts_on,
                )
    if SalesKitDocument.objects.filter(vendor=vendor).exists():
        return
    kit = [
        ("Company overview", SalesKitCategory.PRESENTATION, "en", None),
        ("Frequently asked questions", SalesKitCategory.FAQ, "en", None),
        ("Product sheet", SalesKitCategory.PRODUCT_SHEET, "en", line),
        ("Product sheet (Japanese)", SalesKitCategory.PRODUCT_SHEET, "ja", line),
        ("Distributor price list", SalesKitCategory.PRICE_LIST, "en", line),
    ]
    for title, category, language, product_line in kit:
        full_title = f"{product_line.name} - {title}" if product_line else title
        sales_kit_document_create(
            vendor=vendor,
            actor=actor,
            title=full_title,
            category=category,
            language=language,
            product_line=product_line,
            description="",
            file=pdf_upload(
                f"{category}-{language}.pdf",
                f"{vendor.name}: {full_title}",
                ("Demo document generated by Partnerdesk.", f"Category: {category}"),
            ),
        )
