"""Bulk onboarding: upload -> preview -> confirm of distributor spreadsheets, encodings, export
and the round trip."""

from __future__ import annotations

import codecs
import csv
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from partners.import_layout import HEADERS
from partners.models import (
    AuditEvent,
    ContactRole,
    Distributor,
    DistributorContact,
    DistributorProductLine,
    DistributorTerritory,
    ImportBatch,
    ImportStatus,
    ProductLine,
    Territory,
)
from partners.services.imports import import_batch_confirm, import_batch_create
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)

pytestmark = pytest.mark.django_db

HEAD = ",".join(HEADERS)


def upload(name: str, content: bytes, content_type: str = "text/csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def csv_bytes(rows: list[list[str]], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def row(**values) -> list[str]:
    keys = ["name", "legal_name", "country", "currency", "time_zone", "language", "territories",
            "product_lines", "contact_name", "contact_role", "contact_title", "contact_email",
            "contact_phone"]  # fmt: skip
    return [values.get(k, "") for k in keys]


@pytest.fixture
def catalog(world):
    """Territories and product lines in both vendors (same names: nothing may cross)."""
    made = {}
    for tenant in (world.a, world.b):
        with in_scope(tenant):
            made[tenant.slug] = {
                "kanto": Territory.objects.create(vendor=tenant.vendor, name="Kanto", country="JP"),
                "kansai": Territory.objects.create(
                    vendor=tenant.vendor, name="Kansai", country="JP"
                ),
                "bangkok": Territory.objects.create(
                    vendor=tenant.vendor, name="Greater Bangkok", country="TH"
                ),
                "cobots": ProductLine.objects.create(vendor=tenant.vendor, name="Cobots"),
                "vision": ProductLine.objects.create(vendor=tenant.vendor, name="Vision sensors"),
            }
    return made


def post_upload(client, tenant, file):
    return client.post(f"/{tenant.slug}/distributors/import/", {"file": file})


def latest_batch(tenant) -> ImportBatch:
    with in_scope(tenant):
        return ImportBatch.objects.order_by("-id").first()


def partner_rows(tenant) -> dict:
    """Distributors, contacts and their links (what an import may change)."""
    with in_scope(tenant):
        return {
            "distributors": list(Distributor.objects.order_by("pk").values()),
            "contacts": list(DistributorContact.objects.order_by("pk").values()),
            "territories": list(DistributorTerritory.objects.order_by("pk").values()),
            "product_lines": list(DistributorProductLine.objects.order_by("pk").values()),
        }


# --- bad rows ------------------------------------------------------------------------------


def test_bad_rows_are_reported_per_row_and_column_and_nothing_is_saved(client, world, catalog):
    a = world.a
    content = csv_bytes(
        [
            row(name="Fuji Robotics", country="XX", currency="YEN", time_zone="Tokyo/Asia",
                language="fr", territories="Kanto; Hokkaido", product_lines="Lasers",
                contact_name="Ken Sato", contact_role="boss", contact_email="not-an-address"),
            row(name="", country="JP"),
            row(name="Nile Trading", country="SG", contact_name="Ana", contact_role="owner",
                contact_email="ana@nile.example"),
            row(name="nile trading ", country="TH"),
            row(name="Nile Trading", contact_name="Ana Again", contact_role="sales rep",
                contact_email="ANA@nile.example"),
            row(name="Orchid Supply", contact_email="x@orchid.example"),
        ]
    )  # fmt: skip
    client.force_login(a.user(CHANNEL_MANAGER))
    before = partner_rows(a)
    response = post_upload(client, a, upload("partners.csv", content))
    batch = latest_batch(a)
    assert response.status_code == 302
    assert response["Location"] == f"/{a.slug}/distributors/import/{batch.pk}/"

    data = client.get(f"/api/v1/{a.slug}/distributor-imports/{batch.pk}/").json()
    errors = {(e["row"], e["field"]) for e in data["errors"]}
    assert {
        (2, "country"), (2, "currency"), (2, "time_zone"), (2, "language"), (2, "territories"),
        (2, "product_lines"), (2, "contact_role"), (2, "contact_email"),
        (3, "name"),
        (5, "country"),  # differs from row 4 of the same distributor
        (6, "contact_email"),  # the same contact (e-mail, any case) as row 4
        (7, "country"),  # a new distributor needs a country
        (7, "contact_name"), (7, "contact_role"),
    } == errors  # fmt: skip
    messages = {(e["row"], e["field"]): e["message"] for e in data["errors"]}
    assert (
        "Hokkaido" in messages[(2, "territories")] and "Kanto" not in messages[(2, "territories")]
    )
    assert "row 4" in messages[(5, "country")]
    assert data["can_confirm"] is False
    assert data["summary"]["error_rows"] == 5

    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Unknown country “XX”" in body
    assert "Hokkaido" in body
    assert "Import 6 rows" not in body  # no confirm button

    # Confirming is refused and changes nothing.
    response = client.post(f"/{a.slug}/distributors/import/{batch.pk}/confirm/")
    assert response.status_code == 302
    assert partner_rows(a) == before
    assert latest_batch(a).status == ImportStatus.PREVIEW


def test_errors_are_worded_in_the_readers_language(client, world):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    post_upload(client, a, upload("x.csv", csv_bytes([row(name="Fuji", country="XX")])))
    batch = latest_batch(a)
    english = client.get(f"/api/v1/{a.slug}/distributor-imports/{batch.pk}/").json()
    japanese = client.get(
        f"/api/v1/{a.slug}/distributor-imports/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="ja"
    ).json()
    assert english["errors"][0]["field"] == japanese["errors"][0]["field"] == "country"
    assert english["errors"][0]["message"].startswith("Unknown country")


# --- encodings and file kinds --------------------------------------------------------------


def test_cp932_file_from_japanese_excel_keeps_japanese_names(client, world, catalog):
    a = world.a
    content = csv_bytes(
        [
            row(name="株式会社さくら電機", legal_name="株式会社さくら電機製作所", country="JP",
                territories="Kanto、Kansai", product_lines="Cobots", contact_name="山田 太郎",
                contact_role="営業担当", contact_title="営業部長", contact_email="yamada@sakura.example",
                contact_phone="03-1234-5678"),
            row(name="株式会社さくら電機", contact_name="佐藤 花子", contact_role="owner"),
        ],
        encoding="cp932",
    )  # fmt: skip
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really not UTF-8
    client.force_login(a.user(CHANNEL_MANAGER))
    post_upload(client, a, upload("代理店.csv", content))
    batch = latest_batch(a)
    assert batch.encoding == "Shift_JIS (CP932)"
    assert batch.error_count == 0, batch.rows
    response = client.post(f"/{a.slug}/distributors/import/{batch.pk}/confirm/")
    assert response.status_code == 302
    with in_scope(a):
        d = Distributor.objects.get(name="株式会社さくら電機")
        assert d.legal_name == "株式会社さくら電機製作所"
        assert (d.country, d.currency, d.time_zone, d.language) == ("JP", "JPY", "Asia/Tokyo", "ja")
        assert sorted(t.name for t in d.territories.all()) == ["Kansai", "Kanto"]
        assert [p.name for p in d.product_lines.all()] == ["Cobots"]
        contacts = {c.name: c for c in d.contacts.all()}
        assert set(contacts) == {"山田 太郎", "佐藤 花子"}
        assert contacts["山田 太郎"].role == ContactRole.SALES_REP
        assert contacts["山田 太郎"].title == "営業部長"
    page = client.get(f"/{a.slug}/distributors/{d.pk}/").content.decode()
    assert "株式会社さくら電機" in page


def test_utf8_bom_csv_reads_its_first_header(world):
    a = world.a
    content = csv_bytes([row(name="Café Trading", country="FR")], bom=True)
    assert content.startswith(codecs.BOM_UTF8)
    with in_scope(a):
        batch = import_batch_create(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), file=upload("f.csv", content)
        )
    assert batch.encoding == "UTF-8 (BOM)"
    assert batch.error_count == 0
    assert batch.rows[0]["values"]["name"] == "Café Trading"
    assert batch.summary["distributors_new"] == 1


def test_semicolon_csv_and_japanese_headers_are_understood(world):
    a = world.a
    content = "代理店名;国;担当者名;役割\nMinato Shoji;jp;鈴木 一郎;sales lead\n".encode()
    with in_scope(a):
        batch = import_batch_create(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), file=upload("f.csv", content)
        )
        assert batch.error_count == 0, batch.rows
        import_batch_confirm(vendor=a.vendor, actor=a.member(VENDOR_ADMIN), batch=batch)
        contact = DistributorContact.objects.get(name="鈴木 一郎")
        assert contact.distributor.name == "Minato Shoji" and contact.role == "sales_lead"


def test_xlsx_built_with_openpyxl(client, world, catalog):
    import datetime as dt

    a = world.a
    book = Workbook()
    sheet = book.active
    sheet.append([])  # an empty first row: the header is the first row with something in it
    sheet.append(HEADERS)
    sheet.append(row(name="Hanoi Automation", country="VN", product_lines="Vision sensors",
                     contact_name="Nguyen Van A", contact_role="Sales lead"))  # fmt: skip
    sheet.append([None] * len(HEADERS))  # empty rows are skipped
    sheet.append(row(name="Hanoi Automation", contact_name="Tran Thi B", contact_role="ops"))
    sheet.cell(row=5, column=13).value = 912345678  # a phone typed as a number
    sheet.append(row(name="Jakarta Motion", country="ID", contact_name="Budi",
                     contact_role="owner"))  # fmt: skip
    sheet.cell(row=6, column=11).value = dt.datetime(2025, 4, 1)  # a date typed as a title
    sheet.cell(row=6, column=12).value = '=LOWER("BUDI@JM.EXAMPLE")'  # no cached result
    book.create_sheet("Notes").append(["ignored", "sheet"])
    buffer = io.BytesIO()
    book.save(buffer)

    client.force_login(a.user(VENDOR_ADMIN))
    response = post_upload(
        client,
        a,
        upload(
            "partners.xlsx",
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    )
    assert response.status_code == 302
    batch = latest_batch(a)
    assert batch.file_type == "xlsx"
    assert [r["row"] for r in batch.rows] == [3, 5, 6]
    assert batch.rows[1]["values"]["contact_phone"] == "912345678"
    assert batch.rows[2]["values"]["contact_title"] == "2025-04-01"
    errors = {(r["row"], k) for r in batch.rows for k in r["errors"]}
    assert errors == {(6, "contact_email")}  # the formula Excel never calculated
    assert "formula" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("contract.pdf", b"%PDF-1.7\n...", "neither a CSV file nor an Excel workbook"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "neither a CSV file nor an Excel"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel (.xls)"),
        ("list.csv", b"", "empty"),
        ("list.csv", b"foo,bar\n1,2\n", "Distributor name"),
        ("list.csv", b"\x81\x00\xff\xfe\xfd", "neither a CSV file"),
        ("list.csv", b"Distributor name\n\x81\x20\x81\x20\n", "could not be read"),
    ],
)
def test_unreadable_files_get_a_clear_message_and_save_nothing(
    client, world, name, content, message
):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    before = db_state()
    response = post_upload(client, a, upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert db_state() == before


def test_oversize_file_is_refused(client, world, settings):
    settings.PARTNERDESK_IMPORT_MAX_MB = 1
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    content = csv_bytes(
        [row(name=f"D{i}", legal_name="x" * 60, country="JP") for i in range(20000)]
    )
    assert len(content) > 1024 * 1024
    response = post_upload(client, a, upload("big.csv", content))
    assert "the limit is 1 MB" in response.content.decode()
    with in_scope(a):
        assert not ImportBatch.objects.exists()


# --- confirm -------------------------------------------------------------------------------


def test_confirm_creates_and_updates_through_the_services_with_audit_events(client, world, catalog):
    a = world.a
    content = csv_bytes(
        [
            row(name="Kappa Imports", legal_name="Kappa Imports Pte Ltd", country="SG",
                territories="", product_lines="Cobots; Vision sensors", contact_name="Lee",
                contact_role="owner", contact_email="lee@kappa.example", contact_phone="+65 6000"),
            row(name="Kappa Imports", contact_name="Tan", contact_role="sales rep"),
            row(name="sakura trading", currency="USD", territories="Kanto"),
        ]
    )  # fmt: skip
    client.force_login(a.user(CHANNEL_MANAGER))
    post_upload(client, a, upload("p.csv", content))
    batch = latest_batch(a)
    assert batch.summary["distributors_new"] == 1
    assert batch.summary["distributors_updated"] == 1
    assert batch.summary["contacts_new"] == 2
    with in_scope(a):
        assert not Distributor.objects.filter(name="Kappa Imports").exists()  # not yet
        first_event = AuditEvent.objects.order_by("-id").first().pk
    response = client.post(f"/{a.slug}/distributors/import/{batch.pk}/confirm/")
    assert response.status_code == 302
    with in_scope(a):
        kappa = Distributor.objects.get(name="Kappa Imports")
        assert (kappa.currency, kappa.time_zone, kappa.language) == ("SGD", "Asia/Singapore", "en")
        assert kappa.legal_name == "Kappa Imports Pte Ltd"
        assert kappa.status == "prospect"
        assert sorted(p.name for p in kappa.product_lines.all()) == ["Cobots", "Vision sensors"]
        assert sorted(c.name for c in kappa.contacts.all()) == ["Lee", "Tan"]
        assert kappa.contacts.get(name="Lee").phone == "+65 6000"
        sakura = Distributor.objects.get(pk=a.d1.pk)
        assert sakura.name == "Sakura Trading"  # matched by name, not renamed
        assert sakura.currency == "USD"
        assert [t.name for t in sakura.territories.all()] == ["Kanto"]
        events = list(
            AuditEvent.objects.filter(pk__gt=first_event)
            .order_by("id")
            .values_list("action", "object_repr")
        )
        batch = ImportBatch.objects.get(pk=batch.pk)
    assert ("distributor.create", "Kappa Imports") in events
    assert ("distributor.update", "Kappa Imports") not in events  # one write, one event
    assert ("contact.create", "Lee") in events and ("contact.create", "Tan") in events
    assert ("distributor.update", "Sakura Trading") in events
    assert events[-1][0] == "distributor_import.confirm"
    assert all(e[0] != "distributor.create" or e[1] != "Sakura Trading" for e in events)
    assert batch.status == ImportStatus.IMPORTED
    assert batch.applied_by_id == a.member(CHANNEL_MANAGER).pk
    # Vendor B's distributor of the same name is untouched.
    with in_scope(world.b):
        assert Distributor.objects.get(pk=world.b.d1.pk).currency == "JPY"
        assert not Distributor.objects.filter(name="Kappa Imports").exists()


def test_confirming_twice_imports_once(client, world):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    post_upload(client, a, upload("p.csv", csv_bytes([
        row(name="Once Only", country="JP", contact_name="A", contact_role="owner")])))  # fmt: skip
    batch = latest_batch(a)
    url = f"/{a.slug}/distributors/import/{batch.pk}/confirm/"
    assert client.post(url).status_code == 302
    after_first = db_state()
    assert client.post(url).status_code == 302
    response = client.post(f"/api/v1/{a.slug}/distributor-imports/{batch.pk}/confirm/")
    assert response.status_code == 200 and response.json()["status"] == "imported"
    assert db_state() == after_first
    with in_scope(a):
        assert Distributor.objects.filter(name="Once Only").count() == 1
        assert DistributorContact.objects.filter(name="A").count() == 1


def test_confirm_checks_again_and_refuses_what_became_invalid(world, catalog):
    a = world.a
    actor = a.member(VENDOR_ADMIN)
    with in_scope(a):
        batch = import_batch_create(vendor=a.vendor, actor=actor, file=upload("p.csv", csv_bytes([
            row(name="Late Co", country="JP", territories="Kansai")])))  # fmt: skip
        assert batch.error_count == 0
        Territory.objects.filter(name="Kansai").delete()
        before = partner_rows(a)
        with pytest.raises(Exception, match="Nothing was imported"):
            import_batch_confirm(vendor=a.vendor, actor=actor, batch=batch)
        batch.refresh_from_db()
        assert batch.status == ImportStatus.PREVIEW
        assert "territories" in batch.rows[0]["errors"]
    assert partner_rows(a) == before


def test_another_vendors_batch_is_missing(client, world):
    b = world.b
    with in_scope(b):
        batch = import_batch_create(vendor=b.vendor, actor=b.member(VENDOR_ADMIN), file=upload(
            "b.csv", csv_bytes([row(name="Borealis Only", country="JP")])))  # fmt: skip
    client.force_login(world.a.user(VENDOR_ADMIN))
    before = db_state()
    a = world.a.slug
    assert client.get(f"/{a}/distributors/import/{batch.pk}/").status_code == 404
    assert client.post(f"/{a}/distributors/import/{batch.pk}/confirm/").status_code == 404
    assert client.get(f"/api/v1/{a}/distributor-imports/{batch.pk}/").status_code == 404
    response = client.post(f"/api/v1/{a}/distributor-imports/{batch.pk}/confirm/")
    assert response.status_code == 404
    missing = client.post(f"/api/v1/{a}/distributor-imports/2000000000/confirm/")
    assert response.json() == missing.json()
    assert db_state() == before


def test_discard(client, world):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    post_upload(client, a, upload("p.csv", csv_bytes([row(name="Gone Co", country="JP")])))
    batch = latest_batch(a)
    assert client.post(f"/{a.slug}/distributors/import/{batch.pk}/discard/").status_code == 302
    assert client.post(f"/{a.slug}/distributors/import/{batch.pk}/confirm/").status_code == 302
    with in_scope(a):
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.DISCARDED
        assert not Distributor.objects.filter(name="Gone Co").exists()


def test_preview_and_upload_list_name_the_uploader_the_same_way(client, world):
    """One name for the uploader on both pages: the person's display name (the e-mail address
    only for someone without a name)."""
    from django.utils import timezone

    from partners.models import Vendor

    a = world.a
    Vendor.objects.filter(pk=a.vendor.pk).update(time_zone="Asia/Tokyo")
    user = a.user(CHANNEL_MANAGER)
    client.force_login(user)
    post_upload(client, a, upload("p.csv", csv_bytes([row(name="Named Co", country="JP")])))
    batch = latest_batch(a)
    preview = client.get(f"/{a.slug}/distributors/import/{batch.pk}/").content.decode()
    listing = client.get(f"/{a.slug}/distributors/import/").content.decode()
    # The upload time in the staff's zone, named, the same on both pages.
    tokyo = timezone.localtime(batch.created_at, timezone=ZoneInfo("Asia/Tokyo"))
    stamp = f"{tokyo:%m/%d/%Y} "
    assert stamp in preview and stamp in listing
    assert preview.count("(Asia/Tokyo)") >= 1 and listing.count("(Asia/Tokyo)") >= 1
    assert "(UTC)" not in preview
    assert user.full_name and str(user) == user.full_name
    assert f"· {user.full_name}</dd>" in preview and user.email not in preview
    assert f">{user.full_name}</td>" in listing
    user.full_name = ""
    user.save(update_fields=["full_name"])
    preview = client.get(f"/{a.slug}/distributors/import/{batch.pk}/").content.decode()
    listing = client.get(f"/{a.slug}/distributors/import/").content.decode()
    assert f"· {user.email}</dd>" in preview and f">{user.email}</td>" in listing


# --- roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, page, upload_status, export_status",
    [
        (VENDOR_ADMIN, 200, 302, 200),
        (CHANNEL_MANAGER, 200, 302, 200),
        (EXECUTIVE, 200, 403, 200),
        (DISTRIBUTOR_ADMIN, 403, 403, 403),
        (DISTRIBUTOR_USER, 403, 403, 403),
    ],
)
def test_who_imports_and_exports(client, world, role, page, upload_status, export_status):
    a = world.a
    client.force_login(a.user(role))
    response = client.get(f"/{a.slug}/distributors/import/")
    assert response.status_code == page
    if page == 200:
        assert ("Upload and preview" in response.content.decode()) == (upload_status == 302)
    file = upload("p.csv", csv_bytes([row(name="Role Co", country="JP")]))
    assert post_upload(client, a, file).status_code == upload_status
    file.seek(0)
    api = client.post(f"/api/v1/{a.slug}/distributor-imports/", {"file": file})
    assert api.status_code == (201 if upload_status == 302 else 403)
    assert client.get(f"/{a.slug}/distributors/export/csv/").status_code == export_status
    assert client.get(f"/api/v1/{a.slug}/distributor-export/").status_code == export_status


# --- API -----------------------------------------------------------------------------------


def test_api_upload_preview_and_confirm(client, world):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    bad = csv_bytes([row(name="Api Co", country="JP", contact_name="X", contact_role="owner",
                         contact_email="nope")])  # fmt: skip
    response = client.post(
        f"/api/v1/{a.slug}/distributor-imports/", {"file": upload("bad.csv", bad)}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["errors"] == [
        {"row": 2, "field": "contact_email", "column": "Contact e-mail",
         "message": "“nope” is not an e-mail address."}
    ]  # fmt: skip
    response = client.post(f"/api/v1/{a.slug}/distributor-imports/{data['id']}/confirm/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "contact_email"

    good = csv_bytes([row(name="Api Co", country="JP", contact_name="X", contact_role="owner")])
    data = client.post(
        f"/api/v1/{a.slug}/distributor-imports/", {"file": upload("good.csv", good)}
    ).json()
    assert data["can_confirm"] is True and data["rows"][0]["distributor_action"] == "create"
    response = client.post(f"/api/v1/{a.slug}/distributor-imports/{data['id']}/confirm/")
    assert response.status_code == 200
    assert response.json()["status"] == "imported"
    with in_scope(a):
        assert Distributor.objects.get(name="Api Co").contacts.get().name == "X"

    response = client.post(
        f"/api/v1/{a.slug}/distributor-imports/", {"file": upload("x.pdf", b"%PDF-1.4 x")}
    )
    assert response.status_code == 400
    assert "file" in response.json()


# --- export and round trip -----------------------------------------------------------------


@pytest.fixture
def profiled(world, catalog):
    """Distributor 1 of A with a legal name, territories, a product line and contacts."""
    a = world.a
    with in_scope(a):
        Distributor.objects.filter(pk=a.d1.pk).update(legal_name="株式会社さくらトレーディング")
        for t in (catalog["acme"]["kanto"], catalog["acme"]["kansai"]):
            DistributorTerritory.objects.create(vendor=a.vendor, distributor=a.d1, territory=t)
        DistributorProductLine.objects.create(
            vendor=a.vendor, distributor=a.d1, product_line=catalog["acme"]["cobots"]
        )
        DistributorContact.objects.create(vendor=a.vendor, distributor=a.d1, name="山田 太郎",
            role="owner", email="yamada@sakura.example", phone="+81-3-1234-5678")  # fmt: skip
        DistributorContact.objects.create(vendor=a.vendor, distributor=a.d1, name="=cmd|' /C calc'!A0",
            role="sales_rep")  # fmt: skip
        DistributorContact.objects.create(vendor=a.vendor, distributor=a.d2, name="Somchai",
            role="sales_lead", title="Head of sales")  # fmt: skip


def test_export_csv_is_utf8_with_bom_and_respects_filters(client, world, profiled):
    a = world.a
    client.force_login(a.user(EXECUTIVE))
    response = client.get(f"/{a.slug}/distributors/export/csv/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    names = [r[0] for r in rows[1:]]
    assert names == ["Lotus Distribution", "Sakura Trading", "Sakura Trading"]
    sakura = [r for r in rows if r[0] == "Sakura Trading"]
    assert sakura[0][1] == "株式会社さくらトレーディング"
    assert sakura[0][6] == "Kansai; Kanto"
    assert {r[8] for r in sakura} == {"山田 太郎", "'=cmd|' /C calc'!A0"}  # not a formula
    assert "'+81-3-1234-5678" in [r[12] for r in sakura]
    filtered = client.get(f"/{a.slug}/distributors/export/csv/?country=TH").content
    assert b"Lotus" in filtered and b"Sakura" not in filtered
    cp932 = client.get(f"/{a.slug}/distributors/export/csv-cp932/")
    assert "山田 太郎".encode("cp932") in cp932.content
    assert b"Borealis" not in response.content


def test_export_is_four_queries_whatever_the_size(client, world, profiled):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    client.get(f"/{a.slug}/distributors/export/xlsx/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/{a.slug}/distributors/export/xlsx/")
    with in_scope(a):
        for i in range(15):
            d = Distributor.objects.create(vendor=a.vendor, name=f"Extra {i}", country="JP",
                                           currency="JPY", time_zone="Asia/Tokyo", language="ja")  # fmt: skip
            DistributorContact.objects.create(
                vendor=a.vendor, distributor=d, name="C", role="owner"
            )
    with CaptureQueriesContext(connection) as many:
        client.get(f"/{a.slug}/distributors/export/xlsx/")
    assert len(many) == len(few)


@pytest.mark.parametrize("kind", ["csv", "xlsx", "csv-cp932"])
def test_round_trip_changes_nothing(client, world, profiled, kind):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    exported = client.get(f"/{a.slug}/distributors/export/{kind}/")
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(exported.content)).active
        assert sheet["I3"].data_type == "s"  # the =cmd name stays text
    extension = "xlsx" if kind == "xlsx" else "csv"
    before = partner_rows(a)
    post_upload(client, a, upload(f"export.{extension}", exported.content))
    batch = latest_batch(a)
    assert batch.error_count == 0, batch.rows
    assert batch.summary["distributors_unchanged"] == 2
    assert batch.summary["distributors_new"] == batch.summary["distributors_updated"] == 0
    assert batch.summary["contacts_new"] == 0 and batch.summary["contacts_existing"] == 3
    with in_scope(a):
        events = AuditEvent.objects.count()
    client.post(f"/{a.slug}/distributors/import/{batch.pk}/confirm/")
    assert partner_rows(a) == before
    with in_scope(a):
        assert list(
            AuditEvent.objects.order_by("id").values_list("action", flat=True)[events:]
        ) == ["distributor_import.confirm"]


def test_templates_download_and_read_back(client, world, catalog):
    a = world.a
    client.force_login(a.user(CHANNEL_MANAGER))
    xlsx = client.get(f"/{a.slug}/distributors/import/template/xlsx/")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert [c.value for c in book.worksheets[0][1]] == HEADERS
    help_text = " ".join(str(c.value) for r in book["How to fill"].iter_rows() for c in r)
    assert "Kanto" in help_text and "Cobots" in help_text
    assert client.get(f"/{a.slug}/distributors/import/template/csv/").content == (
        codecs.BOM_UTF8 + (HEAD + "\r\n").encode()
    )
    assert client.get(f"/{a.slug}/distributors/import/template/pdf/").status_code == 404
    # An empty template is a file without rows, not an error about the header.
    response = post_upload(client, a, upload("t.xlsx", xlsx.content))
    assert response.status_code == 302
    assert latest_batch(a).summary["rows"] == 0


def test_demo_seed_imports_a_shift_jis_file_and_leaves_one_in_preview(world):
    from partners.demo.imports import seed

    a = world.a
    with in_scope(a):
        seed(
            vendor=a.vendor,
            actor=a.member(VENDOR_ADMIN),
            distributors=list(Distributor.objects.all()),
        )
        hokuto = Distributor.objects.get(name="北斗ロボティクス")
        assert hokuto.contacts.count() == 3
        batches = list(ImportBatch.objects.order_by("id"))
    assert [b.status for b in batches] == [ImportStatus.IMPORTED, ImportStatus.PREVIEW]
    assert batches[0].encoding == "Shift_JIS (CP932)"
    assert batches[1].error_count == 1
