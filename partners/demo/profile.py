"""Demo data for distributor profiles: the vendor's territories and product lines, each
distributor's legal name, owner, territories, product lines, contacts and other brands, a
status history, and one prospect in the middle of partner selection.

``seed()`` runs inside the vendor's tenant scope and writes only through the services, so the
audit log reads as if a channel manager had done the work."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from partners import periods
from partners.models import DistributorStatus, FinancialCheck, Membership, Role, SelectionDecision
from partners.services.distributors import distributor_update
from partners.services.profile import (
    carried_brand_add,
    contact_create,
    distributor_status_change,
    product_line_create,
    territory_create,
)
from partners.services.selection import selection_override, selection_update

TERRITORIES = [
    ("JP", "Kanto", "Tokyo, Kanagawa, Saitama, Chiba and the northern Kanto prefectures."),
    ("JP", "Kansai", "Osaka, Kyoto, Hyogo, Nara, Shiga and Wakayama."),
    ("JP", "Chubu", "Aichi, Shizuoka, Gifu, Mie and the Hokuriku coast."),
    ("JP", "Kyushu", "Fukuoka and the rest of Kyushu, with Okinawa."),
    ("SG", "Singapore", "The whole of Singapore."),
    ("TH", "Bangkok", "Bangkok and the Eastern Seaboard industrial estates."),
    ("TH", "Northern Thailand", "Chiang Mai, Lamphun and Lampang."),
    ("ID", "Greater Jakarta", "Jabodetabek and Karawang."),
    ("VN", "Northern Vietnam", "Hanoi, Bac Ninh, Hai Phong."),
    ("VN", "Southern Vietnam", "Ho Chi Minh City, Binh Duong, Dong Nai."),
]

PRODUCT_LINES = {
    "kestrel": [
        ("Collaborative robots", "COBOT", "Six-axis cobots, 3 to 16 kg payload."),
        ("Vision sensors", "VISION", "2D and 3D vision for picking and inspection."),
        ("Grippers", "GRIP", "Electric and vacuum end effectors."),
    ],
    "northwind": [
        ("Analytics platform", "PLAT", "The hosted analytics platform, per seat."),
        ("Data connectors", "CONN", "ERP and POS connectors."),
        ("Training services", "EDU", "Onboarding and analyst training."),
    ],
}
DEFAULT_PRODUCT_LINES = [("Core products", "CORE", ""), ("Services", "SVC", "")]

# Japanese names of the catalogue, shown to Japanese readers (territories of Japan and the
# product lines a Japanese distributor sells; the others have none, and show their name).
JA_NAMES = {
    "Kanto": "関東",
    "Kansai": "関西",
    "Chubu": "中部",
    "Kyushu": "九州",
    "Collaborative robots": "協働ロボット",
    "Vision sensors": "ビジョンセンサー",
    "Grippers": "グリッパー",
}

JP_CONTACTS = [
    ("山田 太郎", "owner", "代表取締役社長"),
    ("鈴木 一郎", "sales_lead", "営業部長"),
    ("高橋 美穂", "sales_rep", "営業担当"),
    ("伊藤 直樹", "sales_rep", "営業担当"),
    ("中村 由美", "operations", "業務課 課長"),
]
EN_CONTACTS = {
    "SG": [("Wei Ming Lim", "owner", "Managing Director"), ("Siti Rahman", "sales_lead",
           "Head of Sales"), ("Daniel Koh", "sales_rep", "Account Manager")],
    "TH": [("Somchai Srisuk", "owner", "Managing Director"), ("Ploy Chaiyaporn", "sales_lead",
           "Sales Manager"), ("Anan Wongsa", "sales_rep", "Sales Engineer")],
    "ID": [("Agus Wijaya", "owner", "Direktur Utama"), ("Dewi Lestari", "sales_lead",
           "Sales Manager"), ("Rizky Pratama", "sales_rep", "Sales Executive")],
    "VN": [("Tran Van Minh", "owner", "General Director"), ("Le Thi Hoa", "sales_lead",
           "Sales Manager"), ("Pham Quoc Bao", "sales_rep", "Sales Engineer")],
}  # fmt: skip

# (brand, category, competes)
BRANDS = [
    ("Fanuc", "Industrial robots", True),
    ("Universal Robots", "Collaborative robots", True),
    ("Keyence", "Sensors", True),
    ("Omron", "Automation", False),
    ("Mitsubishi Electric", "PLCs", False),
    ("SMC", "Pneumatics", False),
]

REGION_OF = {"JP": ["Kanto", "Kansai", "Chubu", "Kyushu"], "SG": ["Singapore"],
             "TH": ["Bangkok", "Northern Thailand"], "ID": ["Greater Jakarta"],
             "VN": ["Northern Vietnam", "Southern Vietnam"]}  # fmt: skip


def _approve(*, vendor, actor, distributor, note: str) -> None:
    selection_update(
        vendor=vendor,
        actor=actor,
        distributor=distributor,
        references_checked=True,
        references_note=note,
        competing_brands_reviewed=True,
        competing_brands_note="Carries other brands in adjacent categories; no direct conflict.",
        sales_people=8,
        sales_capacity_confirmed=True,
        willing_to_train=True,
        training_note="Agreed to send every sales rep and both sales leaders to training.",
        financial_check=FinancialCheck.PASSED,
        financial_note="Three years of audited accounts, profitable.",
        decision=SelectionDecision.APPROVED,
        decision_reason="References, capacity and finances all good; strong in its region.",
    )


def seed(*, vendor, actor, distributors) -> None:
    """Make the vendor's distributor profiles look lived-in (see the module docstring)."""
    today = timezone.localdate()
    owners = list(
        Membership.objects.filter(
            vendor=vendor, is_active=True, role__in=[Role.CHANNEL_MANAGER, Role.VENDOR_ADMIN]
        ).order_by("-role", "id")  # channel managers first
    )
    territories = {
        name: territory_create(
            vendor=vendor,
            actor=actor,
            country=country,
            name=name,
            name_ja=JA_NAMES.get(name, ""),
            description=description,
        )
        for country, name, description in TERRITORIES
    }
    lines = [
        product_line_create(
            vendor=vendor,
            actor=actor,
            name=name,
            name_ja=JA_NAMES.get(name, ""),
            code=code,
            description=text,
        )
        for name, code, text in PRODUCT_LINES.get(vendor.slug, DEFAULT_PRODUCT_LINES)
    ]
    distributors = sorted(distributors, key=lambda d: d.pk)
    for i, d in enumerate(distributors):
        regions = REGION_OF.get(d.country, [])
        picked = [territories[regions[i % len(regions)]]] if regions else []
        distributor_update(
            vendor=vendor,
            actor=actor,
            distributor=d,
            legal_name=d.name if d.country == "JP" else f"{d.name}".replace("Ltd", "Limited"),
            owner=owners[i % len(owners)] if owners else None,
            territories=picked,
            product_lines=lines[: 1 + i % len(lines)],
        )
        people = JP_CONTACTS[: 3 + i % 3] if d.country == "JP" else EN_CONTACTS.get(d.country, [])
        for n, (name, role, title) in enumerate(people):
            contact_create(
                vendor=vendor,
                actor=actor,
                distributor=d,
                name=name,
                role=role,
                title=title,
                email=f"contact{n + 1}.d{d.pk}@example.com",
                phone=f"+{81 if d.country == 'JP' else 65} 3 5555 {1000 + n}",
            )
        if i % 3 == 0:
            brand, category, competes = BRANDS[i % len(BRANDS)]
            carried_brand_add(
                vendor=vendor,
                actor=actor,
                distributor=d,
                brand=brand,
                category=category,
                competes=competes,
                note="Main line for years." if competes else "",
            )
            other = BRANDS[(i + 3) % len(BRANDS)]
            carried_brand_add(
                vendor=vendor, actor=actor, distributor=d, brand=other[0], category=other[1],
                competes=other[2],
            )  # fmt: skip

    # Statuses with history. The last distributor stays a fresh prospect, the one before it is
    # in the middle of selection, the third from last got through on a vendor admin's override,
    # and the rest went through selection and onboarding.
    for i, d in enumerate(distributors[:-3]):
        _approve(vendor=vendor, actor=actor, distributor=d, note="Two customers spoke well of it.")
        if d.name == LATE_SIGNER:
            _late_signer_history(vendor=vendor, actor=actor, distributor=d)
            continue
        start = today - dt.timedelta(days=400 - i * 20)
        distributor_status_change(
            vendor=vendor, actor=actor, distributor=d, to_status=DistributorStatus.ONBOARDING,
            effective_on=start, reason="Selection approved; distribution agreement signed.",
        )  # fmt: skip
        if i % 5 == 4:
            continue  # still onboarding
        distributor_status_change(
            vendor=vendor, actor=actor, distributor=d, to_status=DistributorStatus.ACTIVE,
            effective_on=start + dt.timedelta(days=45),
            reason="Sales team trained; first orders placed.",
        )  # fmt: skip
        if i % 7 == 6:
            distributor_status_change(
                vendor=vendor, actor=actor, distributor=d, to_status=DistributorStatus.SUSPENDED,
                effective_on=start + dt.timedelta(days=200),
                reason="No weekly reports for two months; suspended until a corrective plan.",
            )  # fmt: skip
    if len(distributors) >= 2:
        mid = distributors[-2]
        selection_update(
            vendor=vendor,
            actor=actor,
            distributor=mid,
            references_checked=True,
            references_note="Three references called; two positive, one lukewarm.",
            competing_brands_reviewed=False,
            sales_people=5,
            sales_capacity_confirmed=True,
            sales_capacity_note="Five reps, two of them in our territory.",
            financial_check=FinancialCheck.NOT_DONE,
        )
    if len(distributors) >= 3 and actor.is_vendor_admin:
        late = distributors[-3]
        selection_update(
            vendor=vendor,
            actor=actor,
            distributor=late,
            references_checked=True,
            competing_brands_reviewed=True,
            sales_capacity_confirmed=True,
            willing_to_train=True,
        )
        selection_override(
            vendor=vendor,
            actor=actor,
            distributor=late,
            reason="Strategic account in a new region; financial check follows within 30 days.",
        )
        distributor_status_change(
            vendor=vendor, actor=actor, distributor=late, to_status=DistributorStatus.ONBOARDING,
            effective_on=today - dt.timedelta(days=10),
            reason="Overridden selection; onboarding while the financial check completes.",
        )  # fmt: skip


# The distributor whose agreement the exclusivity demo (scorecards.demo.exclusivity) signs
# during the last closed fiscal quarter. Its history is written here, before the reporting and
# scorecard demos run, so the reports, sales and targets they make for active distributors
# include it, and a second run of the demo finds nothing to add.
LATE_SIGNER = "Straits Automation Pte. Ltd."


def late_signer_starts_on(vendor, today: dt.date | None = None) -> dt.date:
    """The day the late signer's contract starts: 20 days into the vendor's last closed fiscal
    quarter (it is signed two weeks before)."""
    today = today or timezone.localdate()
    current = periods.quarter_start(today, vendor.fiscal_year_start_month)
    return periods.period_shift(periods.QUARTER, current, -1) + dt.timedelta(days=20)


def _late_signer_history(*, vendor, actor, distributor) -> None:
    """Onboarding on the late signer's signature, active on its contract's start."""
    starts_on = late_signer_starts_on(vendor)
    distributor_status_change(
        vendor=vendor, actor=actor, distributor=distributor,
        to_status=DistributorStatus.ONBOARDING, effective_on=starts_on - dt.timedelta(days=14),
        reason="Selection approved; distribution agreement signed.",
    )  # fmt: skip
    distributor_status_change(
        vendor=vendor, actor=actor, distributor=distributor, to_status=DistributorStatus.ACTIVE,
        effective_on=starts_on, reason="Contract in force; first orders placed.",
    )  # fmt: skip


def status_history_fit_contract(*, distributor, signed_on: dt.date, starts_on: dt.date) -> None:
    """Set ``distributor``'s demo status history by its first contract (the earliest signed of
    its contracts, this one included): onboarding ("agreement signed") on the signature, active
    on the start, so it is never active long before it had an agreement nor onboarding long
    after its contract came into force. The launch checklist moves with the active date, and a
    later change (a suspension) moves with it where it would come first.

    The contract demos call this after writing a contract that the status seed above could not
    know about; it writes the demo's own rows directly, as the dates are the demo's story and
    not an action anybody took."""
    from django.db.models import Min

    from partners.models import (
        Contract,
        ContractStatus,
        Distributor,
        DistributorStatusChange,
        LaunchChecklist,
        LaunchChecklistItem,
    )

    first = (
        Contract.objects.filter(distributor=distributor)
        .exclude(status=ContractStatus.DRAFT)
        .aggregate(signed=Min("signed_on"), starts=Min("starts_on"))
    )
    signed_on = min(d for d in (signed_on, first["signed"]) if d)
    starts_on = min(d for d in (starts_on, first["starts"]) if d)
    history = list(
        DistributorStatusChange.objects.filter(distributor=distributor).order_by(
            "effective_on", "id"
        )
    )
    changes: dict[str, DistributorStatusChange] = {}
    for c in history:
        changes.setdefault(c.to_status, c)
    onboarding = changes.get(DistributorStatus.ONBOARDING)
    if onboarding is not None and onboarding.effective_on != signed_on:
        DistributorStatusChange.objects.filter(pk=onboarding.pk).update(effective_on=signed_on)
    active = changes.get(DistributorStatus.ACTIVE)
    if active is not None and active.effective_on != starts_on:
        delta = active.effective_on - starts_on
        DistributorStatusChange.objects.filter(pk=active.pk).update(effective_on=starts_on)
        for later in history[history.index(active) + 1 :]:
            if later.effective_on < starts_on:
                DistributorStatusChange.objects.filter(pk=later.pk).update(
                    effective_on=later.effective_on - delta
                )
        LaunchChecklist.objects.filter(distributor=distributor).update(
            start_date=F("start_date") - delta
        )
        items = LaunchChecklistItem.objects.filter(checklist__distributor=distributor)
        items.update(due_on=F("due_on") - delta)
        items.filter(done_at__isnull=False).update(done_at=F("done_at") - delta)
    last = (
        DistributorStatusChange.objects.filter(distributor=distributor)
        .order_by("-effective_on", "-id")
        .values_list("effective_on", flat=True)
        .first()
    )
    if last is not None:
        Distributor.objects.filter(pk=distributor.pk).update(status_changed_on=last)
        distributor.status_changed_on = last
