"""The sales kit: uploads checked by content (wrong type, oversize, renamed program refused next
to the field, nothing stored), who may download what, filters, removal, and the demo seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import AuditEvent, DistributorContact, SalesKitDocument, Training
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories_enablement import document, minimal_pdf, product_line

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture
def kit(world):
    """Vendor A: "Cobots" sold by distributor 1, "Vision" sold only by distributor 2; a
    document for each line and one for all lines. Vendor B: a document for its distributor 1."""
    a, b = world.a, world.b
    with in_scope(a):
        cobots = product_line(a.vendor, "Cobots", sold_by=(a.d1,))
        vision = product_line(a.vendor, "Vision", sold_by=(a.d2,))
        docs = {
            "cobots": document(a.vendor, "Cobot sheet", product_line=cobots),
            "vision": document(a.vendor, "Vision sheet", product_line=vision),
            "all": document(a.vendor, "Company FAQ", category="faq", language="ja"),
        }
    with in_scope(b):
        line = product_line(b.vendor, "Ovens", sold_by=(b.d1,))
        docs["other_vendor"] = document(b.vendor, "Oven sheet", product_line=line)
    docs["lines"] = {"cobots": cobots, "vision": vision}
    return docs


def upload_data(file, **overrides) -> dict:
    return {
        "title": "Price list 2026",
        "category": "price_list",
        "language": "en",
        "product_line": "",
        "description": "",
        "file": file,
        **overrides,
    }


BAD_FILES = {
    "wrong type": (
        SimpleUploadedFile("notes.txt", b"just some text\n", content_type="text/plain"),
        "is not a",
    ),
    "renamed executable": (
        SimpleUploadedFile("prices.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
        "is a program",
    ),
    "pdf named as a picture": (
        SimpleUploadedFile("photo.png", minimal_pdf("x"), content_type="image/png"),
        "ends in .png",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_page_refuses_bad_files_next_to_the_field_and_stores_nothing(client, world, media, case):
    a = world.a
    file, message = BAD_FILES[case]
    file.seek(0)
    client.force_login(a.user(CHANNEL_MANAGER))
    before, files_before = db_state(), stored_files(media)
    response = client.post(f"/{a.slug}/sales-kit/new/", upload_data(file))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_file_error"' in body and message in body
    assert 'value="Price list 2026"' in body  # what was typed is kept
    assert db_state() == before
    assert stored_files(media) == files_before


def test_oversize_file_is_refused_and_nothing_stored(client, world, media, settings):
    settings.PARTNERDESK_MAX_UPLOAD_MB = 1
    a = world.a
    big = minimal_pdf("big") + b"%" + b"0" * (1024 * 1024 + 10)
    client.force_login(a.user(VENDOR_ADMIN))
    before = db_state()
    response = client.post(
        f"/{a.slug}/sales-kit/new/", upload_data(SimpleUploadedFile("big.pdf", big))
    )
    assert response.status_code == 200
    assert "the limit is 1 MB" in response.content.decode()
    assert db_state() == before
    assert stored_files(media) == []


def test_api_upload_errors_name_the_field(client, world, media):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    exe = SimpleUploadedFile("deck.pptx", b"\x7fELF" + b"\x00" * 64)
    before = db_state()
    response = client.post(f"/api/v1/{a.slug}/sales-kit/", upload_data(exe))
    assert response.status_code == 400
    assert "file" in response.json() and "program" in response.json()["file"][0]
    assert db_state() == before
    assert stored_files(media) == []


def test_upload_stores_under_our_name_and_downloads_intact(client, world, media, kit):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    content = minimal_pdf("Cobot price list")
    response = client.post(
        f"/{a.slug}/sales-kit/new/",
        upload_data(
            SimpleUploadedFile("Preisliste Cobots.pdf", content),
            product_line=kit["lines"]["cobots"].pk,
        ),
    )
    assert response.status_code == 302
    with in_scope(a):
        doc = SalesKitDocument.objects.get(title="Price list 2026")
        assert AuditEvent.objects.filter(action="sales_kit.create", object_id=str(doc.pk)).exists()
    assert doc.file.name.startswith(f"vendor-{a.vendor.pk}/sales-kit/")
    assert "Preisliste" not in doc.file.name
    assert doc.original_name == "Preisliste Cobots.pdf" and doc.size == len(content)
    client.force_login(a.user(DISTRIBUTOR_USER))
    response = client.get(f"/{a.slug}/sales-kit/{doc.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert "Preisliste" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", [DISTRIBUTOR_USER, DISTRIBUTOR_ADMIN])
def test_distributor_people_download_only_their_product_lines(client, world, kit, role):
    a = world.a
    client.force_login(a.user(role))
    for name in ("cobots", "all"):
        pk = kit[name].pk
        assert client.get(f"/{a.slug}/sales-kit/{pk}/download/").status_code == 200
        assert client.get(f"/api/v1/{a.slug}/sales-kit/{pk}/download/").status_code == 200
    for name in ("vision", "other_vendor"):
        pk = kit[name].pk
        assert client.get(f"/{a.slug}/sales-kit/{pk}/download/").status_code == 404
        assert client.get(f"/api/v1/{a.slug}/sales-kit/{pk}/download/").status_code == 404
        assert client.get(f"/api/v1/{a.slug}/sales-kit/{pk}/").status_code == 404
    listing = client.get(f"/{a.slug}/sales-kit/").content.decode()
    assert "Cobot sheet" in listing and "Company FAQ" in listing
    assert "Vision sheet" not in listing and "Oven sheet" not in listing


def test_staff_see_every_line_and_filters_narrow(client, world, kit):
    a = world.a
    client.force_login(a.user(EXECUTIVE))
    body = client.get(f"/{a.slug}/sales-kit/").content.decode()
    assert "Cobot sheet" in body and "Vision sheet" in body and "Oven sheet" not in body
    vision = kit["lines"]["vision"].pk
    body = client.get(f"/{a.slug}/sales-kit/?product_line={vision}").content.decode()
    assert "Vision sheet" in body and "Cobot sheet" not in body
    body = client.get(f"/{a.slug}/sales-kit/?category=faq&language=ja").content.decode()
    assert "Company FAQ" in body and "Cobot sheet" not in body
    rows = client.get(f"/api/v1/{a.slug}/sales-kit/?language=ja").json()["results"]
    assert [row["title"] for row in rows] == ["Company FAQ"]
    # The executive reads but does not edit.
    assert client.get(f"/{a.slug}/sales-kit/new/").status_code == 403


def test_distributor_filter_choices_are_its_own_lines(client, world, kit):
    a = world.a
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(f"/{a.slug}/sales-kit/").content.decode()
    assert ">Cobots<" in body and ">Vision<" not in body
    vision = kit["lines"]["vision"].pk
    # Asking for another line's documents by id shows nothing of it.
    body = client.get(f"/{a.slug}/sales-kit/?product_line={vision}").content.decode()
    assert "Vision sheet" not in body


def test_removing_a_document_deletes_its_file_after_commit(
    client, world, kit, media, django_capture_on_commit_callbacks
):
    a = world.a
    doc = kit["cobots"]
    path = media / doc.file.name
    assert path.exists()
    client.force_login(a.user(VENDOR_ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{a.slug}/sales-kit/{doc.pk}/remove/")
    assert response.status_code == 302
    assert not path.exists()
    with in_scope(a):
        assert not SalesKitDocument.objects.filter(pk=doc.pk).exists()


def test_replacing_the_file_keeps_the_document(
    client, world, kit, media, django_capture_on_commit_callbacks
):
    a = world.a
    doc = kit["all"]
    old = media / doc.file.name
    client.force_login(a.user(CHANNEL_MANAGER))
    new = minimal_pdf("FAQ v2")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{a.slug}/sales-kit/{doc.pk}/edit/",
            upload_data(SimpleUploadedFile("faq-v2.pdf", new), title="Company FAQ v2"),
        )
    assert response.status_code == 302
    with in_scope(a):
        doc.refresh_from_db()
    assert doc.title == "Company FAQ v2" and doc.original_name == "faq-v2.pdf"
    assert not old.exists()
    assert (media / doc.file.name).read_bytes() == new


def test_demo_seed_makes_trainings_contacts_and_valid_pdfs(world, media):
    from partners.demo import enablement as demo_enablement

    a = world.a
    with in_scope(a):
        product_line(a.vendor, "Cobots", sold_by=(a.d1,))
        demo_enablement.seed(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=[a.d1, a.d2]
        )
        assert Training.objects.count() == 3
        assert DistributorContact.objects.filter(distributor=a.d1).count() == 2
        docs = list(SalesKitDocument.objects.all())
        assert len(docs) == 5
        for doc in docs:
            data = (media / doc.file.name).read_bytes()
            assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
        # Running it again adds nothing.
        demo_enablement.seed(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), distributors=[a.d1, a.d2]
        )
        assert Training.objects.count() == 3 and SalesKitDocument.objects.count() == 5


def test_minimal_pdf_has_a_correct_cross_reference_table():
    data = minimal_pdf("Title (with parentheses)", ("a line",))
    xref_at = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref_at:].startswith(b"xref\n0 6\n")
    entries = data[xref_at:].split(b"\n")[3:8]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry[:10])
        assert data[offset:].startswith(b"%d 0 obj" % number)
