"""Sell-out data: uploads (mapping, checks, preview, confirm, import by a worker), re-uploads
that update rather than duplicate, encodings and XLSX, the size limit, the bulk API."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from partners.models import Distributor, ProductLine
from reporting.models import Outlet, SalesColumnMapping, SalesLine, SalesUpload, SalesUploadStatus
from reporting.sellout_fields import error_text
from reporting.services import sellout as services
from reporting.services.sellout import pipeline
from reporting.services.sellout_rows import guess_mapping
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    db_state,
    in_scope,
)
from tests.factories import DistributorFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Invoice number", "Line", "Invoice date", "Customer code", "Customer name",
           "Product code", "Product name", "Product line", "Quantity", "Amount", "Currency"]  # fmt: skip


def line(inv="INV-1", no="1", date="2026-03-02", cust="C001", cname="Shop One", code="P-1",
         pname="Cobot arm", pline="", qty="2", amount="2000", cur="JPY") -> list[str]:  # fmt: skip
    return [inv, no, date, cust, cname, code, pname, pline, qty, amount, cur]


def csv_file(rows, *, headers=HEADERS, encoding="utf-8", bom=True, name="sales.csv"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    if bom and encoding == "utf-8":
        data = codecs.BOM_UTF8 + data
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_file(rows, *, headers=HEADERS, name="sales.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def create(tenant, file, *, role=DISTRIBUTOR_USER, distributor=None):
    with in_scope(tenant):
        return services.sales_upload_create(
            vendor=tenant.vendor,
            actor=tenant.member(role),
            distributor=distributor or tenant.d1,
            file=file,
        )


def map_and_check(tenant, upload, capture, *, mapping=None, role=DISTRIBUTOR_USER):
    with capture(execute=True), in_scope(tenant):
        services.sales_upload_map(
            vendor=tenant.vendor,
            actor=tenant.member(role),
            upload=upload,
            mapping=mapping or upload.mapping,
        )
    with in_scope(tenant):
        upload.refresh_from_db()
    return upload


def confirm(tenant, upload, capture, *, role=DISTRIBUTOR_USER):
    with capture(execute=True), in_scope(tenant):
        result = services.sales_upload_confirm(
            vendor=tenant.vendor, actor=tenant.member(role), upload=upload
        )
    with in_scope(tenant):
        upload.refresh_from_db()
    return result


def upload_all(tenant, file, capture, *, role=DISTRIBUTOR_USER, distributor=None):
    upload = create(tenant, file, role=role, distributor=distributor)
    upload = map_and_check(tenant, upload, capture, role=role)
    assert upload.status == SalesUploadStatus.READY, upload.errors
    assert upload.error_rows == 0, upload.errors
    confirm(tenant, upload, capture, role=role)
    return upload


def errors_of(upload) -> set[tuple[int, str, str]]:
    return {(e["row"], e["field"], e["code"]) for e in upload.errors}


# --- mapping -----------------------------------------------------------------------------------


def test_mapping_is_guessed_from_english_and_japanese_headers():
    assert guess_mapping(HEADERS)["invoice_number"] == "Invoice number"
    japanese = [
        "請求書番号",
        "行番号",
        "請求日",
        "得意先コード",
        "得意先名",
        "商品コード",
        "数量",
        "金額",
    ]
    mapping = guess_mapping(japanese)
    assert mapping == {
        "invoice_number": "請求書番号", "line_number": "行番号", "invoice_date": "請求日",
        "outlet_code": "得意先コード", "outlet_name": "得意先名", "product_code": "商品コード",
        "quantity": "数量", "amount": "金額",
    }  # fmt: skip


def test_missing_column_is_refused_at_mapping_and_nothing_checked(
    world, django_capture_on_commit_callbacks
):
    a = world.a
    headers = [h for h in HEADERS if h != "Amount"]
    upload = create(a, csv_file([line()[:-2] + ["JPY"]], headers=headers))
    assert "amount" not in upload.mapping
    with pytest.raises(ValidationError) as exc, in_scope(a):
        services.sales_upload_map(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER), upload=upload, mapping=upload.mapping
        )
    assert 'No column is chosen for "Amount".' in exc.value.message_dict["amount"]
    with in_scope(a):
        upload.refresh_from_db()
        assert upload.status == SalesUploadStatus.UPLOADED
        assert not SalesColumnMapping.objects.exists()


def test_saved_mapping_is_offered_for_the_next_file(world, django_capture_on_commit_callbacks):
    a = world.a
    headers = ["Inv", "No", "Day", "Item", "Units", "Total"]
    rows = [["A-1", "1", "2026-03-01", "P-1", "1", "100"]]
    upload = create(a, csv_file(rows, headers=headers))
    mapping = {"invoice_number": "Inv", "line_number": "No", "invoice_date": "Day",
               "product_code": "Item", "quantity": "Units", "amount": "Total"}  # fmt: skip
    upload = map_and_check(a, upload, django_capture_on_commit_callbacks, mapping=mapping)
    assert upload.status == SalesUploadStatus.READY and upload.error_rows == 0
    second = create(a, csv_file(rows, headers=headers))
    assert second.mapping == mapping


# --- row checks --------------------------------------------------------------------------------


def test_row_errors_name_the_row_and_the_field(world, django_capture_on_commit_callbacks):
    a = world.a
    rows = [
        line(no="1"),  # row 2: fine
        line(no="2", date="2026-02-30"),  # row 3: bad date
        line(no="3", qty="lots"),  # row 4: not a number
        line(no="4", qty="2000000", amount="100"),  # row 5: absurd
        line(no="5", qty="0"),  # row 6: zero
        line(no="6", qty="-1", amount="500"),  # row 7: sign mismatch
        line(no="1"),  # row 8: duplicate of row 2
        line(no="7", cur="USD"),  # row 9: not the distributor's currency (JPY)
        line(no="8", qty="-2", amount="-2000"),  # row 10: credit note, fine
        line(inv="", no="9"),  # row 11: no invoice number
    ]
    upload = create(a, csv_file(rows))
    upload = map_and_check(a, upload, django_capture_on_commit_callbacks)
    assert upload.status == SalesUploadStatus.READY
    assert upload.total_rows == 10 and upload.error_rows == 8 and upload.valid_rows == 2
    assert errors_of(upload) == {
        (3, "invoice_date", "bad_date"),
        (4, "quantity", "not_number"),
        (5, "quantity", "absurd_quantity"),
        (6, "quantity", "zero_quantity"),
        (7, "amount", "sign_mismatch"),
        (8, "line_number", "duplicate"),
        (9, "currency", "currency"),
        (11, "invoice_number", "required"),
    }
    duplicate = next(e for e in upload.errors if e["code"] == "duplicate")
    assert error_text(duplicate["code"], duplicate["params"]) == (
        "Invoice INV-1 line 1 is also on row 2."
    )
    assert [r["row"] for r in upload.preview][:3] == [2, 3, 4]
    # Nothing was written, and a file with errors cannot be confirmed.
    with in_scope(a):
        assert not SalesLine.objects.exists() and not Outlet.objects.exists()
    with pytest.raises(ValidationError):
        confirm(a, upload, django_capture_on_commit_callbacks)
    with in_scope(a):
        assert not SalesLine.objects.exists()
        upload.refresh_from_db()
        assert upload.status == SalesUploadStatus.READY


# --- import ------------------------------------------------------------------------------------


def test_import_writes_lines_outlets_and_billed_dates(world, django_capture_on_commit_callbacks):
    a = world.a
    with in_scope(a):
        cobots = ProductLine.objects.create(vendor=a.vendor, name="Cobots", code="CB")
    rows = [
        line(no="1", date="2026-03-02", pline="cb"),
        line(no="2", date="2026/03/09", pline="Cobots"),
        line(inv="INV-2", no="1", date="20260215", cust="C002", cname="Shop Two"),
        line(inv="CN-1", no="1", date="2026-03-20", qty="-1", amount="-1000"),  # credit note
    ]
    upload = upload_all(a, csv_file(rows), django_capture_on_commit_callbacks)
    assert upload.status == SalesUploadStatus.DONE
    assert (upload.progress, upload.created_count, upload.updated_count) == (100, 4, 0)
    assert upload.finished_at is not None
    with in_scope(a):
        lines = {(sl.invoice_number, sl.line_number): sl for sl in SalesLine.objects.all()}
        assert len(lines) == 4
        assert lines[("INV-1", 1)].product_line == cobots
        assert lines[("INV-1", 2)].invoice_date == dt.date(2026, 3, 9)
        assert lines[("CN-1", 1)].quantity == Decimal("-1")
        assert lines[("CN-1", 1)].amount == Decimal("-1000")
        assert {sl.currency for sl in lines.values()} == {"JPY"}
        shop = Outlet.objects.get(code="C001")
        assert shop.distributor == a.d1 and shop.name == "Shop One"
        assert (shop.first_billed_on, shop.last_billed_on) == (
            dt.date(2026, 3, 2),
            dt.date(2026, 3, 20),
        )


def test_reupload_updates_rather_than_duplicates(world, django_capture_on_commit_callbacks):
    a = world.a
    upload_all(a, csv_file([line(no="1"), line(no="2")]), django_capture_on_commit_callbacks)
    again = upload_all(
        a,
        csv_file([line(no="2", qty="5", amount="5000"), line(no="3")]),
        django_capture_on_commit_callbacks,
    )
    assert (again.created_count, again.updated_count) == (1, 1)
    with in_scope(a):
        assert SalesLine.objects.count() == 3
        assert SalesLine.objects.get(line_number=2).quantity == Decimal("5")
        assert Outlet.objects.count() == 1


def test_same_invoice_line_of_two_distributors_are_two_lines(
    world, django_capture_on_commit_callbacks
):
    a = world.a
    upload_all(a, csv_file([line()]), django_capture_on_commit_callbacks)
    upload_all(
        a,
        csv_file([line(cur="THB")]),
        django_capture_on_commit_callbacks,
        role=VENDOR_ADMIN,
        distributor=a.d2,
    )
    with in_scope(a):
        assert SalesLine.objects.filter(distributor=a.d1).count() == 1
        assert SalesLine.objects.filter(distributor=a.d2).count() == 1


def test_cp932_file_with_japanese_headers_and_names(world, django_capture_on_commit_callbacks):
    a = world.a
    headers = [
        "請求書番号",
        "行番号",
        "請求日",
        "得意先コード",
        "得意先名",
        "商品名",
        "数量",
        "金額",
    ]
    rows = [["請求-001", "1", "2026年3月2日", "T01", "株式会社さくら商店", "協働ロボット", "3", "￥30,000"],
            ["請求-001", "2", "2026/03/02", "T01", "株式会社さくら商店", "ビジョンセンサー", "△1", "△9,000"]]  # fmt: skip
    upload = create(a, csv_file(rows, headers=headers, encoding="cp932"))
    assert upload.encoding == "Shift_JIS (CP932)"
    assert upload.mapping["outlet_name"] == "得意先名"
    upload = map_and_check(a, upload, django_capture_on_commit_callbacks)
    assert upload.error_rows == 0, upload.errors
    confirm(a, upload, django_capture_on_commit_callbacks)
    with in_scope(a):
        assert Outlet.objects.get().name == "株式会社さくら商店"
        credit = SalesLine.objects.get(line_number=2)
        assert credit.product_name == "ビジョンセンサー"
        assert (credit.quantity, credit.amount) == (Decimal("-1"), Decimal("-9000"))
        assert SalesLine.objects.get(line_number=1).amount == Decimal("30000")


def test_xlsx_file_with_real_dates_and_numbers(world, django_capture_on_commit_callbacks):
    a = world.a
    rows = [["X-1", 1, dt.datetime(2026, 4, 1), "C9", "Shop Nine", "P-9", "Sensor", "", 4, 1234.5, "JPY"]]  # fmt: skip
    upload = upload_all(a, xlsx_file(rows), django_capture_on_commit_callbacks)
    assert upload.file_type == "xlsx" and upload.status == SalesUploadStatus.DONE
    with in_scope(a):
        sl = SalesLine.objects.get()
        assert (sl.invoice_date, sl.quantity, sl.amount) == (
            dt.date(2026, 4, 1),
            Decimal("4"),
            Decimal("1234.50"),
        )


@override_settings(PARTNERDESK_SALES_UPLOAD_MAX_MB=1)
def test_file_over_the_size_limit_is_refused(world):
    a = world.a
    rows = [line(no=str(n)) for n in range(1, 20000)]
    big = csv_file(rows)
    assert big.size > 1024 * 1024
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        create(a, big)
    assert "the limit is 1 MB" in exc.value.message_dict["file"][0]
    assert db_state() == before


def test_large_file_is_imported_in_batches(world, django_capture_on_commit_callbacks):
    a = world.a
    count = 30_000
    rows = [
        line(inv=f"INV-{n // 10}", no=str(n % 10 + 1), cust=f"C{n % 500}", qty="1", amount="100")
        for n in range(count)
    ]
    upload = upload_all(a, csv_file(rows), django_capture_on_commit_callbacks)
    assert upload.total_rows == count
    assert (upload.status, upload.progress, upload.created_count) == ("done", 100, count)
    with in_scope(a):
        assert SalesLine.objects.count() == count
        assert Outlet.objects.count() == 500


def test_import_task_run_twice_imports_once(world, django_capture_on_commit_callbacks):
    a = world.a
    upload = create(a, csv_file([line(no="1"), line(no="2")]))
    upload = map_and_check(a, upload, django_capture_on_commit_callbacks)
    with in_scope(a):
        assert services.sales_upload_confirm(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER), upload=upload
        )
        # A second confirmation (double click) starts nothing.
        assert not services.sales_upload_confirm(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER), upload=upload
        )
    assert services.sales_upload_import(vendor_id=a.vendor.id, upload_id=upload.id)
    assert not services.sales_upload_import(vendor_id=a.vendor.id, upload_id=upload.id)
    with in_scope(a):
        upload.refresh_from_db()
        assert (upload.created_count, upload.updated_count) == (2, 0)
        assert SalesLine.objects.count() == 2


def test_progress_is_committed_batch_by_batch(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    a = world.a
    # Both are looked up by the import worker, in the pipeline module.
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    seen = []
    real = pipeline._lines_upsert

    def spy(*args):
        with in_scope(a):
            seen.append(SalesUpload.objects.values_list("progress", "created_count").get())
        return real(*args)

    monkeypatch.setattr(pipeline, "_lines_upsert", spy)
    upload = upload_all(
        a, csv_file([line(no=str(n)) for n in range(1, 6)]), django_capture_on_commit_callbacks
    )
    assert seen == [(0, 0), (40, 2), (80, 4)]
    assert (upload.progress, upload.created_count) == (100, 5)


def test_distributor_people_upload_only_for_their_own_and_executives_not_at_all(world):
    a = world.a
    before = db_state()
    with pytest.raises(PermissionDenied):
        create(a, csv_file([line()]), distributor=a.d2)
    with pytest.raises(PermissionDenied):
        create(a, csv_file([line()]), role=EXECUTIVE)
    assert db_state() == before
    upload = create(a, csv_file([line()]), role=CHANNEL_MANAGER, distributor=a.d2)
    assert upload.distributor == a.d2


# --- bulk API ----------------------------------------------------------------------------------


def api_line(**overrides) -> dict:
    data = {"invoice_number": "ERP-1", "line_number": 1, "invoice_date": "2026-03-02",
            "outlet_code": "C1", "outlet_name": "Shop", "product_code": "P-1", "quantity": 2,
            "amount": "2000.00"}  # fmt: skip
    data.update(overrides)
    return data


def bulk_url(tenant):
    return f"/api/v1/{tenant.slug}/sales-lines/bulk/"


def test_bulk_api_upserts_lines_for_the_callers_distributor(client, world):
    a = world.a
    client.force_login(a.user(DISTRIBUTOR_USER))
    payload = {"lines": [api_line(), api_line(line_number=2, quantity=-1, amount=-1000)]}
    response = client.post(bulk_url(a), payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    payload["lines"][0]["quantity"] = 7
    response = client.post(bulk_url(a), payload, content_type="application/json")
    assert response.json() == {"created": 0, "updated": 2}
    with in_scope(a):
        assert SalesLine.objects.filter(distributor=a.d1).count() == 2
        assert SalesLine.objects.get(line_number=1).quantity == 7


def test_bulk_api_is_all_or_nothing_with_errors_per_row(client, world):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    lines = [api_line(line_number=n) for n in range(1, 13)]
    lines.append(api_line(line_number=13, quantity="x"))
    lines.append(api_line(line_number=1))
    before = db_state()
    response = client.post(
        bulk_url(a), {"distributor": a.d1.pk, "lines": lines}, content_type="application/json"
    )
    assert response.status_code == 400
    rows = response.json()["rows"]
    assert rows == {
        "12": {"quantity": ['"x" is not a number.']},
        "13": {"line_number": ["Invoice ERP-1 line 1 is also on row 0."]},
    }
    assert db_state() == before


def test_bulk_api_staff_must_name_a_distributor_of_their_workspace(client, world):
    a, b = world.a, world.b
    client.force_login(a.user(CHANNEL_MANAGER))
    before = db_state()
    for distributor in (None, b.d1.pk, 2_000_000_000):
        response = client.post(
            bulk_url(a), {"distributor": distributor, "lines": [api_line()]},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 400
        assert "distributor" in response.json()
    assert db_state() == before


# --- pages -------------------------------------------------------------------------------------


def test_upload_flow_through_the_pages(client, world, django_capture_on_commit_callbacks):
    a = world.a
    client.force_login(a.user(DISTRIBUTOR_USER))
    base = f"/{a.slug}/sales/uploads/"
    response = client.post(base, {"file": csv_file([line(no="1"), line(no="2", qty="x")])})
    assert response.status_code == 302
    with in_scope(a):
        upload = SalesUpload.objects.get()
    detail = f"{base}{upload.pk}/"
    page = client.get(detail).content.decode()
    assert 'name="invoice_number"' in page and "Check the rows" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, {k: v for k, v in upload.mapping.items()})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "&quot;x&quot; is not a number." in page
    assert "Nothing can be imported until every row is correct." in page
    response = client.post(f"{detail}confirm/")
    with in_scope(a):
        assert not SalesLine.objects.exists()

    # A corrected file: preview, confirm, done.
    response = client.post(base, {"file": csv_file([line(no="1"), line(no="2")])})
    with in_scope(a):
        upload = SalesUpload.objects.order_by("-id").first()
    detail = f"{base}{upload.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, upload.mapping)
    assert "Import 2 lines" in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{detail}confirm/").status_code == 302
    status = client.get(detail, headers={"HX-Request": "true", "HX-Target": "upload-status"})
    body = status.content.decode()
    assert "Imported: 2 new lines, 0 updated." in body and "<html" not in body
    assert "hx-trigger" not in body  # polling stops once done


def test_a_50_mb_file_goes_through_the_pages_and_imports(
    client, world, django_capture_on_commit_callbacks
):
    """A literal 50 MB CSV (long Japanese customer addresses, as an ERP export writes them):
    accepted under the 100 MB limit, its header read at upload, every row checked by the
    worker and imported, the lines and outlets all there."""
    a = world.a
    headers = [*HEADERS, "Customer address"]
    address = "東京都千代田区丸の内一丁目" + "ビル" * 40  # about 250 bytes in UTF-8
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(headers)
    data, count = bytearray(codecs.BOM_UTF8), 0
    while len(data) < 50 * 1024 * 1024:
        writer.writerow(
            line(
                inv=f"INV-{count // 10:06d}",
                no=str(count % 10 + 1),
                cust=f"C{count % 2000}",
                cname=f"株式会社サンプル商店 第{count % 2000}号店",
                pname="協働ロボットアーム " * 8,
                qty="1",
                amount="1000",
            )  # fmt: skip
            + [f"{address}{count % 2000}"]
        )
        data += text.getvalue().encode()
        text.seek(0)
        text.truncate()
        count += 1
    data = bytes(data)
    assert 50 * 1024 * 1024 <= len(data) < 60 * 1024 * 1024

    client.force_login(a.user(DISTRIBUTOR_USER))
    base = f"/{a.slug}/sales/uploads/"
    response = client.post(base, {"file": SimpleUploadedFile("erp-export.csv", data, "text/csv")})
    assert response.status_code == 302
    with in_scope(a):
        upload = SalesUpload.objects.get()
    assert upload.size == len(data) and upload.headers == headers
    assert upload.mapping["outlet_address"] == "Customer address"
    detail = f"{base}{upload.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail, upload.mapping).status_code == 302
    with in_scope(a):
        upload.refresh_from_db()
    assert (upload.status, upload.total_rows, upload.error_rows) == ("ready", count, 0)
    assert f"Import {count:,} lines" in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{detail}confirm/").status_code == 302
    with in_scope(a):
        upload.refresh_from_db()
        assert (upload.status, upload.created_count) == ("done", count)
        assert SalesLine.objects.count() == count
        assert Outlet.objects.count() == 2000
        assert Outlet.objects.get(code="C7").address == f"{address}7"


def test_progress_partial_polls_while_importing(client, world):
    a = world.a
    upload = create(a, csv_file([line()]))
    with in_scope(a):
        SalesUpload.objects.filter(pk=upload.pk).update(status="importing", progress=40)
    client.force_login(a.user(DISTRIBUTOR_USER))
    response = client.get(
        f"/{a.slug}/sales/uploads/{upload.pk}/",
        headers={"HX-Request": "true", "HX-Target": "upload-status"},
    )
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body and "Importing: 40% done." in body


def test_field_errors_keep_the_choices_and_refuse_a_wrong_mapping(client, world):
    a = world.a
    upload = create(a, csv_file([line()]))
    client.force_login(a.user(DISTRIBUTOR_USER))
    mapping = dict(upload.mapping, amount="")
    response = client.post(f"/{a.slug}/sales/uploads/{upload.pk}/", mapping)
    assert response.status_code == 200
    body = response.content.decode()
    assert "No column is chosen for &quot;Amount&quot;." in body
    assert '<option value="Quantity" selected>' in body


def test_sales_list_totals_per_currency_and_export(
    client, world, django_capture_on_commit_callbacks
):
    a = world.a
    upload_all(a, csv_file([line(no="1"), line(no="2", qty="-1", amount="-1000")]),
               django_capture_on_commit_callbacks)  # fmt: skip
    upload_all(a, csv_file([line(inv="T-1", cur="THB", amount="300", cname="Bangkok Mart")]),
               django_capture_on_commit_callbacks, role=VENDOR_ADMIN, distributor=a.d2)  # fmt: skip
    period = "from=2026-03-01&to=2026-03-31"
    client.force_login(a.user(EXECUTIVE))
    body = client.get(f"/{a.slug}/sales/?{period}").content.decode()
    assert "1,000.00 JPY" in body and "300.00 THB" in body
    client.force_login(a.user(DISTRIBUTOR_USER))
    body = client.get(f"/{a.slug}/sales/?{period}").content.decode()
    assert (
        "1,000.00 JPY" in body and "THB" not in body.split("sales-totals")[1].split("</table>")[0]
    )
    export = client.get(f"/{a.slug}/sales/export/?{period}&kind=csv")
    text = export.content.decode("utf-8-sig")
    assert export.content.startswith(codecs.BOM_UTF8)
    assert text.count("\r\n") == 3 and "Bangkok Mart" not in text
    xlsx = client.get(f"/{a.slug}/sales/export/?{period}&kind=xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    outlets = client.get(f"/{a.slug}/sales/outlets/").content.decode()
    assert "Shop One" in outlets and "Bangkok Mart" not in outlets


def test_executive_reads_uploads_but_cannot_upload(client, world):
    a = world.a
    client.force_login(a.user(EXECUTIVE))
    page = client.get(f"/{a.slug}/sales/uploads/")
    assert page.status_code == 200 and 'type="file"' not in page.content.decode()
    before = db_state()
    response = client.post(f"/{a.slug}/sales/uploads/", {"file": csv_file([line()])})
    assert response.status_code == 403
    assert db_state() == before


def test_utf16_tab_separated_file_as_excel_saves_unicode_text(
    world, django_capture_on_commit_callbacks
):
    a = world.a
    text = "\t".join(HEADERS) + "\r\n" + "\t".join(line(cname="大阪ストア")) + "\r\n"
    file = SimpleUploadedFile("sales.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    upload = upload_all(a, file, django_capture_on_commit_callbacks)
    assert upload.encoding == "UTF-16"
    with in_scope(a):
        assert Outlet.objects.get().name == "大阪ストア"


def test_reupload_without_customer_names_keeps_them(world, django_capture_on_commit_callbacks):
    a = world.a
    upload_all(a, csv_file([line()]), django_capture_on_commit_callbacks)
    headers = [h for h in HEADERS if h != "Customer name"]
    row = [
        v
        for h, v in zip(HEADERS, line(no="2", date="2026-03-25"), strict=True)
        if h != "Customer name"
    ]
    again = upload_all(a, csv_file([row], headers=headers), django_capture_on_commit_callbacks)
    assert (again.created_count, again.updated_count) == (1, 0)
    with in_scope(a):
        outlet = Outlet.objects.get()
        assert outlet.name == "Shop One"
        assert outlet.last_billed_on == dt.date(2026, 3, 25)
    new_customer = [
        v for h, v in zip(HEADERS, line(no="3", cust="C777"), strict=True) if h != "Customer name"
    ]
    upload_all(a, csv_file([new_customer], headers=headers), django_capture_on_commit_callbacks)
    with in_scope(a):
        assert Outlet.objects.get(code="C777").name == "C777"


def test_bulk_outlets_api_upserts_by_code(client, world):
    a = world.a
    client.force_login(a.user(DISTRIBUTOR_ADMIN))
    url = f"/api/v1/{a.slug}/outlets/bulk/"
    outlets = [{"code": "C1", "name": "Shop", "tax_id": "T1234567890123"}, {"code": "C2"}]
    response = client.post(url, {"outlets": outlets}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"created": 2, "updated": 0}
    response = client.post(url, {"outlets": [{"code": "C2", "name": "Second"}]},
                           content_type="application/json")  # fmt: skip
    assert response.json() == {"created": 0, "updated": 1}
    response = client.post(url, {"outlets": [{"name": "no code"}]}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"rows": {"0": {"code": ["This value is required."]}}}
    listing = client.get(f"/api/v1/{a.slug}/outlets/").json()
    rows = listing["results"] if isinstance(listing, dict) else listing
    assert {(o["code"], o["name"]) for o in rows} == {("C1", "Shop"), ("C2", "Second")}
    with in_scope(a):
        assert set(Outlet.objects.values_list("distributor_id", flat=True)) == {a.d1.pk}


def test_sales_lines_api_lists_the_period_of_the_callers_reach(client, world):
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    for distributor, currency in ((a.d1, "JPY"), (a.d2, "THB")):
        response = client.post(
            bulk_url(a),
            {"distributor": distributor.pk, "lines": [api_line(currency=currency)]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    client.force_login(a.user(DISTRIBUTOR_USER))
    data = client.get(f"/api/v1/{a.slug}/sales-lines/?from=2026-03-01&to=2026-03-31").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [(r["distributor"], r["currency"]) for r in rows] == [(a.d1.pk, "JPY")]
    data = client.get(f"/api/v1/{a.slug}/sales-lines/?from=2026-04-01&to=2026-04-30").json()
    assert (data["results"] if isinstance(data, dict) else data) == []


@pytest.mark.parametrize(
    "path",
    [
        "/{slug}/sales/?from=2026-01-01&to=2026-12-31",
        "/{slug}/sales/outlets/",
        "/{slug}/sales/uploads/",
        "/api/v1/{slug}/sales-lines/?from=2026-01-01&to=2026-12-31",
        "/api/v1/{slug}/outlets/",
    ],
)
def test_sales_pages_do_not_grow_with_rows(client, world, path, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = world.a
    path = path.format(slug=a.slug)
    client.force_login(a.user(VENDOR_ADMIN))

    def add(start, n):
        rows = [line(inv=f"Q-{i}", cust=f"C{i}", pline="Cobots") for i in range(start, start + n)]
        upload_all(a, csv_file(rows), django_capture_on_commit_callbacks, role=VENDOR_ADMIN)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    with in_scope(a):
        ProductLine.objects.create(vendor=a.vendor, name="Cobots")
    add(0, 2)
    few = count()
    add(2, 12)
    assert count() == few
    assert few <= 25


def _two_distributors_sales(tenant, capture) -> None:
    """A line and an outlet for each of the tenant's distributors (Sakura Trading in JPY,
    Lotus Distribution in THB) in March 2026; Lotus's legal name is "Lotus Dist Co Ltd"."""
    with in_scope(tenant):
        Distributor.objects.filter(pk=tenant.d2.pk).update(legal_name="Lotus Dist Co Ltd")
    upload_all(tenant, csv_file([line(cname="Shop One")]), capture)
    upload_all(tenant, csv_file([line(inv="T-1", cur="THB", amount="300", cname="Bangkok Mart")]),
               capture, role=VENDOR_ADMIN, distributor=tenant.d2)  # fmt: skip


def test_staff_narrow_sales_and_outlets_to_a_distributor_found_by_name(
    client, world, django_capture_on_commit_callbacks
):
    """No drop-down of every distributor: a name search (display or legal name) narrows the
    lines, the totals, the export and the outlets; a distributor named by id (a link) is shown
    by name, ticked, and stays in the page links."""
    a = world.a
    _two_distributors_sales(a, django_capture_on_commit_callbacks)
    period = "from=2026-03-01&to=2026-03-31"
    client.force_login(a.user(CHANNEL_MANAGER))
    body = client.get(f"/{a.slug}/sales/?{period}").content.decode()
    assert '<select id="id_distributor"' not in body and 'name="distributor_name"' in body
    assert "Shop One" in body and "Bangkok Mart" in body
    body = client.get(f"/{a.slug}/sales/?{period}&distributor_name=sakura").content.decode()
    assert "Shop One" in body and "Bangkok Mart" not in body
    totals = body.split("sales-totals")[1].split("</table>")[0]
    assert 'value="sakura"' in body and "2,000.00 JPY" in totals and "THB" not in totals
    body = client.get(f"/{a.slug}/sales/?{period}&distributor_name=dist co").content.decode()
    assert "Bangkok Mart" in body and "Shop One" not in body
    body = client.get(f"/{a.slug}/sales/?{period}&distributor={a.d2.pk}").content.decode()
    assert "Bangkok Mart" in body and "Shop One" not in body
    chosen = (
        f'<input type="checkbox" name="distributor" value="{a.d2.pk}" checked> Lotus Distribution'
    )
    assert chosen in body
    export_link = body.split(f'href="/{a.slug}/sales/export/?')[1].split('"')[0]
    assert f"distributor={a.d2.pk}" in export_link
    export = client.get(f"/{a.slug}/sales/export/?{period}&distributor_name=sakura&kind=csv")
    assert "Shop One" in export.content.decode("utf-8-sig")
    assert "Bangkok Mart" not in export.content.decode("utf-8-sig")
    outlets = client.get(f"/{a.slug}/sales/outlets/?distributor_name=lotus").content.decode()
    assert "Bangkok Mart" in outlets and "Shop One" not in outlets and 'value="lotus"' in outlets
    outlets = client.get(f"/{a.slug}/sales/outlets/?distributor={a.d1.pk}").content.decode()
    assert "Shop One" in outlets and "Bangkok Mart" not in outlets
    assert f'value="{a.d1.pk}" checked> Sakura Trading' in outlets
    # Another vendor's distributor named by id is not shown (and its rows are not there).
    other = client.get(f"/{a.slug}/sales/?{period}&distributor={world.b.d2.pk}").content.decode()
    assert 'type="checkbox" name="distributor"' not in other and "Bangkok Mart" not in other


def test_sales_lines_page_through_every_line_of_the_period_once(
    client, world, django_capture_on_commit_callbacks
):
    """50 lines to a page; the pages hold every line of the period once, whatever their
    currencies (the page count is the totals' line count)."""
    a = world.a
    upload_all(a, csv_file([line(inv=f"P-{i:03d}", cust=f"C{i}") for i in range(55)]),
               django_capture_on_commit_callbacks)  # fmt: skip
    upload_all(a, csv_file([line(inv=f"P-{i:03d}", cust=f"C{i}", cur="THB") for i in range(55, 60)]),
               django_capture_on_commit_callbacks, role=VENDOR_ADMIN, distributor=a.d2)  # fmt: skip
    client.force_login(a.user(CHANNEL_MANAGER))
    url = f"/{a.slug}/sales/?from=2026-03-01&to=2026-03-31"
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(f"{url}&page=2").content.decode()
    seen = re.findall(r"P-\d{3} / 1", first) + re.findall(r"P-\d{3} / 1", second)
    assert len(seen) == len(set(seen)) == 60


def test_a_distributors_people_have_no_distributor_search(
    client, world, django_capture_on_commit_callbacks
):
    a = world.a
    _two_distributors_sales(a, django_capture_on_commit_callbacks)
    client.force_login(a.user(DISTRIBUTOR_USER))
    for path in ("sales/?from=2026-03-01&to=2026-03-31", "sales/outlets/"):
        body = client.get(f"/{a.slug}/{path}").content.decode()
        assert 'name="distributor_name"' not in body and "Lotus Distribution" not in body
        assert "Shop One" in body and "Bangkok Mart" not in body
        sep = "&" if "?" in path else "?"
        body = client.get(f"/{a.slug}/{path}{sep}distributor_name=lotus").content.decode()
        assert "Bangkok Mart" not in body


@pytest.mark.parametrize("path", ["/{slug}/sales/", "/{slug}/sales/outlets/"])
def test_sales_pages_do_not_grow_with_distributors(client, world, path):
    """The pages of a vendor with many distributors cost what they cost with two: the same
    queries, and a page the same size whatever the number of distributors."""
    a = world.a
    path = path.format(slug=a.slug)
    client.force_login(a.user(CHANNEL_MANAGER))

    def page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries), len(response.content)

    few = page()
    with in_scope(a):
        for i in range(30):
            DistributorFactory(vendor=a.vendor, name=f"Distributor number {i:03d}")
    assert page() == few


def test_an_import_whose_worker_died_runs_again_after_the_claim_expires(
    world, django_capture_on_commit_callbacks
):
    import time_machine

    a = world.a
    upload = create(a, csv_file([line(no="1"), line(no="2")]))
    upload = map_and_check(a, upload, django_capture_on_commit_callbacks)
    with in_scope(a):
        services.sales_upload_confirm(
            vendor=a.vendor, actor=a.member(DISTRIBUTOR_USER), upload=upload
        )
        # A worker claimed it and died before writing anything.
        SalesUpload.objects.filter(pk=upload.pk).update(
            import_claimed_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        )
    with time_machine.travel(dt.datetime(2026, 3, 1, 0, 20, tzinfo=dt.UTC)):
        assert not services.sales_upload_import(vendor_id=a.vendor.id, upload_id=upload.id)
    with time_machine.travel(dt.datetime(2026, 3, 1, 0, 31, tzinfo=dt.UTC)):
        assert services.sales_upload_import(vendor_id=a.vendor.id, upload_id=upload.id)
    with in_scope(a):
        upload.refresh_from_db()
        assert (upload.status, upload.created_count) == ("done", 2)
        assert SalesLine.objects.count() == 2


def test_programs_and_old_excel_files_are_refused(world):
    a = world.a
    before = db_state()
    for name, content, message in (
        ("sales.csv", b"MZ\x90\x00" + b"x" * 100, "neither a CSV file nor an Excel workbook"),
        ("sales.xls", b"\xd0\xcf\x11\xe0" + b"x" * 100, "old Excel (.xls) file"),
    ):
        with pytest.raises(ValidationError) as exc:
            create(a, SimpleUploadedFile(name, content))
        assert message in exc.value.message_dict["file"][0]
    assert db_state() == before


def test_staff_choose_the_uploads_distributor_by_name_not_from_a_drop_down(client, world):
    """The upload page has no list of every distributor: staff search by name (display or
    legal), pick one of the matches, and the file is saved for that one."""
    a = world.a
    with in_scope(a):
        Distributor.objects.filter(pk=a.d2.pk).update(legal_name="Lotus Dist Co Ltd")
    client.force_login(a.user(CHANNEL_MANAGER))
    base = f"/{a.slug}/sales/uploads/"
    body = client.get(base).content.decode()
    assert not re.search(r"<select[^>]*distributor", body) and 'name="distributor_name"' in body
    assert "Sakura Trading" not in body and "<option" not in body.split("<main")[1]
    body = client.get(f"{base}?distributor_name=dist co").content.decode()
    assert f'href="?distributor={a.d2.pk}">Lotus Distribution</a>' in body
    assert f"?distributor={a.d1.pk}" not in body
    body = client.get(f"{base}?distributor={a.d2.pk}").content.decode()
    assert "The file is for Lotus Distribution." in body
    assert f'type="hidden" name="distributor" value="{a.d2.pk}"' in body
    response = client.post(base, {"distributor": a.d2.pk, "file": csv_file([line(cur="THB")])})
    assert response.status_code == 302
    with in_scope(a):
        assert SalesUpload.objects.get().distributor == a.d2
    # Without a choice, or with another vendor's distributor, the page says to search.
    for chosen in ("", world.b.d1.pk):
        body = client.post(base, {"distributor": chosen, "file": csv_file([line()])})
        assert "Search for the distributor by name and choose it." in body.content.decode()
