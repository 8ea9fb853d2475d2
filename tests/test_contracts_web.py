"""Contracts through the pages and the API: the overlap rule's message in the form and in
JSON, two concurrent requests, uploads of the signed PDF and who may download it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from partners.models import (
    AuditEvent,
    Contract,
    Distributor,
    DistributorStatus,
    ScopeLine,
)
from partners.platform.scope import tenant_scope
from partners.services import contracts as services
from tests.conftest import (
    CHANNEL_MANAGER,
    DISTRIBUTOR_ADMIN,
    DISTRIBUTOR_USER,
    EXECUTIVE,
    VENDOR_ADMIN,
    build_world,
    db_state,
    in_scope,
)
from tests.factories_contracts import PDF_BYTES, ProductLineFactory, TerritoryFactory

D = dt.date


def _setup(world):
    a = world.a
    with in_scope(a):
        Distributor.objects.filter(vendor=a.vendor).update(status=DistributorStatus.ACTIVE)
        a.d1.refresh_from_db()
        a.d2.refresh_from_db()
        cat = {
            "kanto": TerritoryFactory(vendor=a.vendor, name="Kanto", country="JP"),
            "cobots": ProductLineFactory(vendor=a.vendor, name="Cobots"),
        }
        sakura = services.contract_create(
            vendor=a.vendor,
            actor=a.member(VENDOR_ADMIN),
            distributor=a.d1,
            reference="JP-2026-001",
            starts_on=D(2026, 1, 1),
            ends_on=D(2027, 12, 31),
            scope_lines=[
                {"territory": cat["kanto"], "product_line": cat["cobots"], "exclusive": True}
            ],
        )
    return cat, sakura


@pytest.fixture
def setup(world):
    return _setup(world)


def _form(world, cat, **overrides):
    data = {
        "distributor": world.a.d2.pk,
        "reference": "TH-2026-001",
        "status": "draft",
        "starts_on": "2026-06-01",
        "ends_on": "2027-05-31",
        "notice_days": "90",
        "reminder_days": "90, 60, 30",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-territory": cat["kanto"].pk,
        "lines-0-product_line": cat["cobots"].pk,
        "lines-0-exclusive": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_form_refuses_overlapping_exclusivity_naming_the_contract_and_keeps_the_input(
    client, world, setup
):
    cat, _sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    before = db_state()
    response = client.post(f"/{world.a.slug}/contracts/new/", _form(world, cat))
    assert response.status_code == 200
    body = response.content.decode()
    assert "held exclusively by Sakura Trading under contract JP-2026-001" in body
    assert 'value="TH-2026-001"' in body  # what was typed is kept
    assert db_state() == before


@pytest.mark.django_db
def test_form_creates_a_contract_with_scope_lines(client, world, setup):
    cat, _sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    data = _form(world, cat, **{"lines-0-exclusive": ""})
    data.pop("lines-0-exclusive")
    data["starts_on"] = "2028-01-01"
    data["ends_on"] = "2028-12-31"
    response = client.post(f"/{world.a.slug}/contracts/new/", data)
    assert response.status_code == 302
    with in_scope(world.a):
        contract = Contract.objects.get(reference="TH-2026-001")
        assert contract.launch_ends_on == D(2028, 3, 30)
        assert contract.reminder_days == [90, 60, 30]
        assert ScopeLine.objects.filter(contract=contract, exclusive_from__isnull=True).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "TH-2026-001" in page and "Kanto" in page and "Launch" in page


@pytest.mark.django_db
def test_form_for_a_prospect_says_why(client, world, setup):
    cat, _sakura = setup
    with in_scope(world.a):
        Distributor.objects.filter(pk=world.a.d2.pk).update(status=DistributorStatus.PROSPECT)
    client.force_login(world.a.user(VENDOR_ADMIN))
    data = _form(world, cat, starts_on="2028-01-01", ends_on="2028-12-31")
    response = client.post(f"/{world.a.slug}/contracts/new/", data)
    assert response.status_code == 200
    assert "selection checklist is not complete" in response.content.decode()


@pytest.mark.django_db
def test_api_refuses_overlapping_exclusivity_naming_the_contract(client, world, setup):
    cat, _sakura = setup
    client.force_login(world.a.user(VENDOR_ADMIN))
    before = db_state()
    response = client.post(
        f"/api/v1/{world.a.slug}/contracts/",
        {
            "distributor": world.a.d2.pk,
            "reference": "TH-2026-001",
            "starts_on": "2026-06-01",
            "ends_on": "2027-05-31",
            "scope_lines": [
                {
                    "territory": cat["kanto"].pk,
                    "product_line": cat["cobots"].pk,
                    "starts_on": "2026-09-01",
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    message = " ".join(response.json()["scope_lines"])
    assert "JP-2026-001" in message and "Sakura Trading" in message
    assert db_state() == before


@pytest.mark.django_db
def test_api_amendment_and_clause_errors_name_their_fields(client, world, setup):
    cat, sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    base = f"/api/v1/{world.a.slug}"
    response = client.post(
        f"{base}/contract-amendments/",
        {"contract": sakura.pk, "effective_on": "2030-01-01", "reason": "", "add_lines": []},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    response = client.post(
        f"{base}/contract-clauses/",
        {"contract": sakura.pk, "kind": "min_revenue_quarter", "amount": "-5"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"scope_line", "amount"} <= set(response.json())
    line_id = client.get(f"{base}/contracts/{sakura.pk}/").json()["scope_lines"][0]["id"]
    response = client.post(
        f"{base}/contract-clauses/",
        {
            "contract": sakura.pk,
            "kind": "min_revenue_quarter",
            "scope_line": line_id,
            "amount": "1500000",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["currency"] == "JPY"


@pytest.mark.django_db
def test_amend_page_ends_a_line_and_shows_the_history(client, world, setup):
    cat, sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    with in_scope(world.a):
        line = ScopeLine.objects.get(contract=sakura)
    response = client.post(
        f"/{world.a.slug}/contracts/{sakura.pk}/amend/",
        {
            "effective_on": "2026-10-01",
            "reason": "Kanto split between two partners.",
            "end_lines": [line.pk],
            "add-TOTAL_FORMS": "1",
            "add-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Kanto split between two partners." in page
    with in_scope(world.a):
        line.refresh_from_db()
    assert line.ends_on == D(2026, 9, 30)


# --- two requests at once -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_for_the_same_exclusive_scope_only_one_wins():
    """Each thread has its own connection and transaction; both try to grant Kanto x Cobots
    exclusively to a different distributor at the same moment."""
    world = build_world()
    a = world.a
    with tenant_scope(a.vendor.id):
        Distributor.objects.filter(vendor=a.vendor).update(status=DistributorStatus.ACTIVE)
        territory = TerritoryFactory(vendor=a.vendor, name="Kanto", country="JP")
        product = ProductLineFactory(vendor=a.vendor, name="Cobots")
        distributors = list(Distributor.objects.order_by("pk"))
    actor = a.member(VENDOR_ADMIN)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def grant(distributor, reference):
        try:
            barrier.wait(timeout=10)
            with tenant_scope(a.vendor.id):
                services.contract_create(
                    vendor=a.vendor,
                    actor=actor,
                    distributor=distributor,
                    reference=reference,
                    starts_on=D(2026, 1, 1),
                    ends_on=D(2027, 12, 31),
                    scope_lines=[
                        {"territory": territory, "product_line": product, "exclusive": True}
                    ],
                )
            results[reference] = "ok"
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[reference] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=grant, args=(distributors[0], "R-1")),
        threading.Thread(target=grant, args=(distributors[1], "R-2")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(results.items())
    winners = [ref for ref, result in outcomes if result == "ok"]
    losers = [result for _ref, result in outcomes if result != "ok"]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    from django.core.exceptions import ValidationError

    assert isinstance(losers[0], ValidationError)
    message = " ".join(losers[0].message_dict["scope_lines"])
    winner = next(d for d in distributors if d.name in message)
    assert winners[0] in message and winner.name in message
    with tenant_scope(a.vendor.id):
        assert ScopeLine.objects.filter(exclusive_from__isnull=False).count() == 1
        assert Contract.objects.count() == 1


# --- the signed document ------------------------------------------------------------------------


def _upload(client, world, contract, name, content, content_type="application/pdf"):
    return client.post(
        f"/{world.a.slug}/contracts/{contract.pk}/document/upload/",
        {"document": SimpleUploadedFile(name, content, content_type)},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "not a PDF document"),
        ("contract.pdf", b"MZ\x90\x00" + b"0" * 64, "is a program"),
        ("contract.pdf", b"PK\x03\x04 not really", "not a PDF document"),
        ("contract.docx", PDF_BYTES, "ends in .docx"),
    ],
)
def test_upload_refuses_what_is_not_a_pdf(client, world, setup, name, content, expected):
    _cat, sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    before = db_state()
    response = _upload(client, world, sakura, name, content)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert db_state() == before


@pytest.mark.django_db
@override_settings(PARTNERDESK_MAX_UPLOAD_MB=1)
def test_upload_refuses_an_oversize_file(client, world, setup):
    _cat, sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    before = db_state()
    response = _upload(client, world, sakura, "big.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 10))
    assert "the limit is 1 MB" in response.content.decode()
    assert db_state() == before


@pytest.mark.django_db
def test_signed_pdf_is_served_only_to_people_who_may_see_the_contract(client, world, setup):
    _cat, sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    response = _upload(client, world, sakura, "signed contract.pdf", PDF_BYTES)
    assert response.status_code == 302
    with in_scope(world.a):
        stored = Contract.objects.get(pk=sakura.pk)
        assert AuditEvent.objects.filter(action="contract.document.upload").exists()
    assert stored.document.name.startswith(f"vendor-{world.a.vendor.pk}/contracts/")
    assert "signed contract" not in stored.document.name  # our name, not the uploader's
    url = f"/{world.a.slug}/contracts/{sakura.pk}/document/"
    for role in (VENDOR_ADMIN, CHANNEL_MANAGER, EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER):
        client.force_login(world.a.user(role))
        response = client.get(url)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment")
        api = client.get(f"/api/v1/{world.a.slug}/contracts/{sakura.pk}/document/")
        assert api.status_code == 200, role
    for user in (world.a.d2_user, world.b.user(VENDOR_ADMIN), world.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert (
            client.get(f"/api/v1/{world.a.slug}/contracts/{sakura.pk}/document/").status_code == 404
        )


@pytest.mark.django_db
def test_distributor_page_shows_its_contracts_only(client, world, setup):
    _cat, _sakura = setup
    client.force_login(world.a.user(DISTRIBUTOR_USER))
    body = client.get(f"/{world.a.slug}/distributors/{world.a.d1.pk}/").content.decode()
    assert "JP-2026-001" in body and "Kanto" in body
    client.force_login(world.a.user(EXECUTIVE))
    body = client.get(f"/{world.a.slug}/distributors/{world.a.d2.pk}/").content.decode()
    assert "JP-2026-001" not in body
    assert "Add a contract" not in body  # executives read


@pytest.mark.django_db
def test_contract_list_filters_and_query_count_stays_flat(client, world, setup):
    from django.test.utils import CaptureQueriesContext

    cat, _sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    url = f"/{world.a.slug}/contracts/"
    assert "JP-2026-001" in client.get(url + "?q=JP-2026").content.decode()
    assert "JP-2026-001" not in client.get(url + f"?distributor={world.a.d2.pk}").content.decode()
    assert "JP-2026-001" not in client.get(url + "?status=active").content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    with in_scope(world.a):
        for n in range(8):
            services.contract_create(
                vendor=world.a.vendor,
                actor=world.a.member(VENDOR_ADMIN),
                distributor=world.a.d2,
                reference=f"TH-{n}",
                starts_on=D(2030, 1, 1),
                ends_on=D(2030, 12, 31),
                scope_lines=[{"territory": cat["kanto"], "product_line": cat["cobots"]}],
            )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("TH-") >= 8
    assert len(many) == len(few)


# --- lists, with the isolation matrix's objects -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [VENDOR_ADMIN, CHANNEL_MANAGER, EXECUTIVE, DISTRIBUTOR_ADMIN, DISTRIBUTOR_USER]
)
def test_lists_show_each_role_only_what_it_reaches(client, world, role):
    from tests.isolation import contracts as rows
    from tests.isolation.core import Ctx

    ctx = Ctx(world=world, role=role)
    rows._objects(ctx)
    client.force_login(world.a.user(role))
    response = client.get(f"/{world.a.slug}/contracts/")
    assert response.status_code == 200
    rows.contract_list_html(ctx, response)
    base = f"/api/v1/{world.a.slug}"
    rows.contract_list_api(ctx, client.get(f"{base}/contracts/"))
    for path, key in [
        ("contract-scope-lines", "line"),
        ("contract-amendments", "amendment"),
        ("contract-clauses", "clause"),
    ]:
        rows._rows_of(key)(ctx, client.get(f"{base}/{path}/"))


@pytest.mark.django_db
def test_form_shows_field_and_cross_field_errors_on_the_first_submission(client, world, setup):
    """A reference left empty and an end before the start: both said at once, with a notice
    longer than the contract, and what was typed is kept. A check whose input was refused
    (a notice of "ninety") adds nothing of its own."""
    cat, _sakura = setup
    client.force_login(world.a.user(CHANNEL_MANAGER))
    before = db_state()
    url = f"/{world.a.slug}/contracts/new/"
    data = _form(world, cat, reference="", ends_on="2026-05-01", status="active")
    body = client.post(url, data).content.decode()
    assert "This field is required." in body  # the reference
    assert "The contract must end after it starts." in body
    assert "A contract in force needs the date it was signed." in body
    assert 'value="2026-05-01"' in body and 'value="2026-06-01"' in body
    body = client.post(url, _form(world, cat, notice_days="ninety", ends_on="2026-07-01"))
    body = body.content.decode()
    assert "Enter a whole number." in body and 'value="ninety"' in body
    assert "The notice period must be shorter than the contract." not in body
    body = client.post(url, _form(world, cat, notice_days="400", ends_on="x")).content.decode()
    assert "Enter a valid date." in body and 'value="x"' in body
    assert "The notice period must be shorter than the contract." not in body
    body = client.post(url, _form(world, cat, notice_days="400", reference="")).content.decode()
    assert "The notice period must be shorter than the contract." in body
    assert db_state() == before


@pytest.mark.django_db
def test_api_lists_field_and_cross_field_errors_together_keyed_by_field(client, world, setup):
    cat, sakura = setup
    client.force_login(world.a.user(VENDOR_ADMIN))
    before = db_state()
    payload = {
        "distributor": world.a.d2.pk,
        "reference": "TH-2026-001",
        "starts_on": "2026-06-01",
        "ends_on": "2026-05-01",
        "notice_days": "ninety",
    }
    response = client.post(
        f"/api/v1/{world.a.slug}/contracts/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["ends_on"] == ["The contract must end after it starts."]
    assert errors["notice_days"] == ["A valid integer is required."]
    response = client.patch(
        f"/api/v1/{world.a.slug}/contracts/{sakura.pk}/",
        {"ends_on": "2025-01-01", "status": "nonsense"},
        content_type="application/json",
    )
    errors = response.json()
    assert response.status_code == 400 and set(errors) == {"ends_on", "status"}
    assert errors["ends_on"] == ["The contract must end after it starts."]
    assert db_state() == before
