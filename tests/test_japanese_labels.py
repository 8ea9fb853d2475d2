"""Japanese pages speak Japanese: audit actions, object types, fields and choice codes in
words (one mapping, partners.audit_words), list separators "、", KPI names and catalogue names
(territories, product lines) in the reader's language, editable in forms and the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from partners.audit_words import AUDIT_ACTIONS, audit_action_label
from partners.models import DistributorTerritory, Territory
from partners.services.audit import audit_record
from partners.words import phrases_join
from scorecards.services.catalogue import kpi_catalogue_seed
from tests.conftest import VENDOR_ADMIN, in_scope
from tests.factories_contracts import (
    ContractFactory,
    ProductLineFactory,
    ScopeLineFactory,
    TerritoryFactory,
)

pytestmark = pytest.mark.django_db


def _japanese(client, tenant, role):
    """Sign ``role`` in, reading Japanese."""
    client.force_login(tenant.user(role))
    client.cookies["django_language"] = "ja"


def test_every_audit_action_written_in_the_code_has_a_label():
    """A new audit action without a label would show as a code: the source is scanned for
    every action literal given to ``audit_record``."""
    base = Path(settings.BASE_DIR)
    found = set()
    for app in ("partners", "reporting", "scorecards"):
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts or path.name.startswith("demo"):
                continue
            for line in path.read_text("utf-8").splitlines():
                if "action=" in line:
                    found |= set(re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', line))
    found = {code for code in found if not code.startswith(("partners.", "reporting.tasks"))}
    found = {code for code in found if ".tasks." not in code}
    # The review actions are written as f"report.{action}".
    found |= {"report.acknowledge", "report.return", "report.comment"}
    assert len(found) > 80
    assert sorted(found - set(AUDIT_ACTIONS)) == []


def test_audit_log_in_japanese_shows_words_not_codes(client, world):
    a = world.a
    _japanese(client, a, VENDOR_ADMIN)
    with in_scope(a):
        contract = ContractFactory(vendor=a.vendor, distributor=a.d1, reference="C-7")
        audit_record(vendor=a.vendor, actor=a.member(VENDOR_ADMIN),
                     action="training.attendance.add", obj=a.d1)  # fmt: skip
        audit_record(
            vendor=a.vendor, actor=a.member(VENDOR_ADMIN), action="contract.update", obj=contract,
            changes={"exit_rights": ["", "90 days"], "status": ["draft", "active"]},
        )  # fmt: skip
    body = client.get(f"/{a.slug}/audit/").content.decode()
    table = body[body.index("<table") :]
    assert "研修の参加者を追加" in table and "契約を変更" in table
    assert "解約権" in table and "exit_rights" not in table
    assert "training.attendance.add" not in table and "<code>" not in table
    assert ">training.attendance.add<" not in body  # nor in the filter's options
    with translation.override("ja"):
        assert audit_action_label("plan.open") == "改善計画を開始"
    with translation.override("en"):
        assert audit_action_label("plan.open") == "Corrective plan opened"
        assert audit_action_label("something.old") == "something.old"


def test_phrases_are_joined_with_the_japanese_separator(client, world):
    with translation.override("en"):
        assert phrases_join(["a", "b"]) == "a, b"
    with translation.override("ja"):
        assert phrases_join(["売上", "QBR"]) == "売上、QBR"
    a = world.a
    _japanese(client, a, VENDOR_ADMIN)
    with in_scope(a):
        for name, name_ja in (("Kanto", "関東"), ("Kansai", "関西")):
            territory = TerritoryFactory(vendor=a.vendor, name=name, name_ja=name_ja, country="JP")
            DistributorTerritory.objects.create(
                vendor=a.vendor, distributor=a.d1, territory=territory
            )
    body = client.get(f"/{a.slug}/distributors/{a.d1.pk}/").content.decode()
    assert "関西、関東" in body or "関東、関西" in body
    assert "Kanto" not in body


def test_catalogue_names_in_the_readers_language_editable_in_the_api(client, world):
    """A territory and a product line keep an optional Japanese name, set through the API and
    the catalogue form, shown to Japanese readers (English readers and a blank Japanese name
    show the English one)."""
    a = world.a
    client.force_login(a.user(VENDOR_ADMIN))
    response = client.post(
        f"/api/v1/{a.slug}/territories/",
        {"name": "Kyushu", "name_ja": "九州", "country": "JP"},
        "application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["name_ja"] == "九州"
    with in_scope(a):
        kyushu = Territory.objects.get(name="Kyushu")
        page = client.get(f"/{a.slug}/catalogue/territories/{kyushu.pk}/edit/").content.decode()
        assert 'name="name_ja"' in page
        response = client.post(
            f"/{a.slug}/catalogue/territories/{kyushu.pk}/edit/",
            {"name": "Kyushu", "name_ja": "九州・沖縄", "country": "JP", "description": ""},
        )
        assert response.status_code == 302
        kyushu.refresh_from_db()
        assert kyushu.name_ja == "九州・沖縄"
        robots = ProductLineFactory(vendor=a.vendor, name="Robots", name_ja="ロボット")
        plain = ProductLineFactory(vendor=a.vendor, name="Sensors")
        contract = ContractFactory(vendor=a.vendor, distributor=a.d1, reference="C-9")
        ScopeLineFactory(vendor=a.vendor, contract=contract, territory=kyushu, product_line=robots)
    with translation.override("en"):
        assert str(robots) == "Robots" and str(plain) == "Sensors"
    with translation.override("ja"):
        assert str(robots) == "ロボット" and str(plain) == "Sensors"
        assert str(kyushu) == "九州・沖縄"
    _japanese(client, a, VENDOR_ADMIN)
    body = client.get(f"/{a.slug}/contracts/{contract.pk}/").content.decode()
    assert "九州・沖縄" in body and "ロボット" in body


def test_kpi_names_in_the_readers_language(client, world):
    """A standard KPI's name comes from the translation catalogue; a vendor's own KPI from its
    Japanese name when it has one: never an English name in a Japanese heading."""
    a = world.a
    with in_scope(a):
        kpis = {k.code: k for k in kpi_catalogue_seed(vendor=a.vendor)}
        revenue = kpis["revenue"]
        revenue.name, revenue.name_ja = "Net sales", "純売上"
        revenue.save(update_fields=["name", "name_ja"])
    _japanese(client, a, VENDOR_ADMIN)
    body = client.get(f"/{a.slug}/scorecards/kpis/{revenue.pk}/edit/").content.decode()
    heading = body[body.index("<h1>") : body.index("</h1>")]
    assert "純売上" in heading and "Net sales" not in heading
    growth = client.get(
        f"/{a.slug}/scorecards/kpis/{kpis['revenue-growth'].pk}/edit/"
    ).content.decode()
    heading = growth[growth.index("<h1>") : growth.index("</h1>")]
    assert "Revenue growth" not in heading and "売上成長率" in heading


def test_gaps_and_points_in_japanese():
    from decimal import Decimal as D

    from scorecards.models import KpiActual
    from scorecards.selectors import dashboards as sel

    actual = KpiActual(value=D("2"), base=D("5"), stretch=D("8"), exceed=D("10"))
    with translation.override("ja"):
        assert sel.gap_words(actual, "新規取引先", unit="count", lower_is_better=False) == (
            "ベース 到達まで 新規取引先 があと 3 必要です"
        )
        assert sel.attainment_label(value=D("-7.6"), base=D("5"), attainment=None,
                                    unit="percent") == "ベース 5% に対して -12.6 ポイント"  # fmt: skip
