"""Demo workspaces: two vendors, about thirty distributors, one login for every role.

``demo_load()`` is what ``manage.py demo_data`` (and so ``make run`` on an empty database) calls.
It writes the way the portal does: distributors, invitations and API tokens go through their
services inside the vendor's tenant scope, so the audit log has real entries from the first
page view. Vendors and users are global rows; memberships are written directly (there is no
service that makes a membership without an invitation).

Running it again changes nothing: a vendor whose slug already exists is left alone, and each
vendor is created in one transaction, so a failure leaves no half-built workspace behind.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from partners.demo import contracts as demo_contracts
from partners.demo import enablement as demo_enablement
from partners.demo import imports as demo_imports
from partners.demo import launch as demo_launch
from partners.demo import profile as demo_profile
from partners.markets import MARKETS_BY_COUNTRY
from partners.models import Distributor, Membership, Role, User, Vendor
from partners.platform.scope import tenant_scope
from partners.services.distributors import distributor_create, distributor_update
from partners.services.members import invitation_create
from partners.services.tokens import api_token_create

DEMO_PASSWORD = "partnerdesk-demo"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str
    distributor: str = ""  # the distributor's name, for distributor roles
    language: str = "en"


@dataclass(frozen=True)
class DemoVendor:
    slug: str
    name: str
    # (country, name) in the order they are created
    distributors: list[tuple[str, str]]
    people: list[DemoPerson]
    # A distributor first entered with a typo, then corrected by the channel manager.
    renamed: tuple[str, str] | None = None
    invitations: list[DemoPerson] = field(default_factory=list)
    api_tokens: list[tuple[str, str]] = field(default_factory=list)  # (email, token name)
    time_zone: str = "UTC"  # where the vendor's staff read times


# A trading house in Singapore that carries both brands: one login, two workspaces.
SHARED_DISTRIBUTOR = "Meridian Trading Pte. Ltd."
SHARED_PERSON_EMAIL = "partner@meridian-trading.example"
SHARED_PERSON_NAME = "Rachel Tan"

KESTREL = DemoVendor(
    slug="kestrel",
    name="Kestrel Robotics",
    time_zone="Asia/Tokyo",
    distributors=[
        ("JP", "株式会社山田商事"),
        ("JP", "東洋ロボテック株式会社"),
        ("JP", "株式会社北斗エンジニアリング"),
        ("JP", "中部オートメーション株式会社"),
        ("JP", "株式会社さくら機工"),
        ("JP", "関西メカトロ販売株式会社"),
        ("JP", "九州テクノサービス株式会社"),
        ("JP", "株式会社みなと産業機器"),
        ("SG", SHARED_DISTRIBUTOR),
        ("SG", "Straits Automation Pte Ltd"),
        ("TH", "Siam Robotics Co., Ltd."),
        ("TH", "Chao Phraya Industrial Supply Co., Ltd."),
        ("ID", "PT Mitra Otomasi Indonesia"),
        ("ID", "PT Surya Teknik Mandiri"),
        ("VN", "Hanoi Automation JSC"),
        ("VN", "Mekong Industrial Technology Co., Ltd."),
    ],
    people=[
        DemoPerson("admin@kestrel.example", "Lena Hoffmann", Role.VENDOR_ADMIN),
        DemoPerson("channel@kestrel.example", "Kenji Watanabe", Role.CHANNEL_MANAGER),
        DemoPerson("exec@kestrel.example", "Pieter de Vries", Role.EXECUTIVE),
        DemoPerson(
            "distributor-admin@kestrel.example",
            "山田 健一",
            Role.DISTRIBUTOR_ADMIN,
            distributor="株式会社山田商事",
            language="ja",
        ),
        DemoPerson(
            "distributor-user@kestrel.example",
            "佐藤 美咲",
            Role.DISTRIBUTOR_USER,
            distributor="株式会社山田商事",
            language="ja",
        ),
        DemoPerson(
            SHARED_PERSON_EMAIL,
            SHARED_PERSON_NAME,
            Role.DISTRIBUTOR_ADMIN,
            distributor=SHARED_DISTRIBUTOR,
        ),
        # The admins of the distributors the exclusivity demo warns and revokes, so each can
        # see why (scorecards/demo/exclusivity.py).
        DemoPerson(
            "admin@minato-sangyo.example",
            "港 直樹",
            Role.DISTRIBUTOR_ADMIN,
            distributor="株式会社みなと産業機器",
            language="ja",
        ),
        DemoPerson(
            "admin@siam-robotics.example",
            "Somchai Charoenkul",
            Role.DISTRIBUTOR_ADMIN,
            distributor="Siam Robotics Co., Ltd.",
        ),
    ],
    renamed=("Straits Automation Pte Ltd", "Straits Automation Pte. Ltd."),
    invitations=[
        DemoPerson(
            "tanaka@toyo-robotech.example",
            "",
            Role.DISTRIBUTOR_USER,
            distributor="東洋ロボテック株式会社",
            language="ja",
        ),
    ],
)

NORTHWIND = DemoVendor(
    slug="northwind",
    name="Northwind Analytics",
    time_zone="Asia/Singapore",
    distributors=[
        ("SG", SHARED_DISTRIBUTOR),
        ("SG", "Lion City Analytics Pte. Ltd."),
        ("SG", "Marina Cloud Partners Pte. Ltd."),
        ("SG", "Orchard Data Systems Pte. Ltd."),
        ("TH", "Bangkok Insight Co., Ltd."),
        ("TH", "Siam Data Consulting Co., Ltd."),
        ("TH", "Lanna Software Co., Ltd."),
        ("ID", "PT Nusantara Digital Solusi"),
        ("ID", "PT Data Cerdas Indonesia"),
        ("ID", "PT Garuda Sistem Informasi"),
        ("ID", "PT Jakarta Analitika Teknologi"),
        ("VN", "Saigon Data Solutions JSC"),
        ("VN", "Hanoi Cloud Technology JSC"),
        ("VN", "Da Nang Software Co., Ltd."),
        ("JP", "株式会社データブリッジ"),
    ],
    people=[
        DemoPerson("admin@northwind.example", "Sarah Mitchell", Role.VENDOR_ADMIN),
        DemoPerson("channel@northwind.example", "Priya Raman", Role.CHANNEL_MANAGER),
        DemoPerson("exec@northwind.example", "David Chen", Role.EXECUTIVE),
        DemoPerson(
            "distributor-admin@northwind.example",
            "Nguyen Thi Lan",
            Role.DISTRIBUTOR_ADMIN,
            distributor="Saigon Data Solutions JSC",
        ),
        DemoPerson(
            "distributor-user@northwind.example",
            "Budi Santoso",
            Role.DISTRIBUTOR_USER,
            distributor="PT Nusantara Digital Solusi",
        ),
        DemoPerson(
            SHARED_PERSON_EMAIL,
            SHARED_PERSON_NAME,
            Role.DISTRIBUTOR_ADMIN,
            distributor=SHARED_DISTRIBUTOR,
        ),
    ],
    api_tokens=[("admin@northwind.example", "ERP sync")],
)

DEMO_VENDORS = [KESTREL, NORTHWIND]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    workspace: str
    distributor: str


def _user_get_or_create(person: DemoPerson) -> User:
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(
            person.email, DEMO_PASSWORD, full_name=person.full_name, language=person.language
        )
    return user


def _templates_exist(*names: str) -> bool:
    try:
        for name in names:
            get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _vendor_create(spec: DemoVendor, log) -> None:
    with transaction.atomic():
        vendor = Vendor.objects.create(name=spec.name, slug=spec.slug, time_zone=spec.time_zone)
        with tenant_scope(vendor.id):
            staff = [p for p in spec.people if p.role in Role.staff_roles()]
            memberships: dict[str, Membership] = {}
            for person in staff:
                memberships[person.email] = Membership.objects.create(
                    vendor=vendor, user=_user_get_or_create(person), role=person.role
                )
            admin = next(m for m in memberships.values() if m.role == Role.VENDOR_ADMIN)
            channel = next(
                (m for m in memberships.values() if m.role == Role.CHANNEL_MANAGER), admin
            )

            # The vendor admin sets the workspace up; the channel manager keeps it tidy.
            distributors: dict[str, Distributor] = {}
            for country, name in spec.distributors:
                market = MARKETS_BY_COUNTRY[country]
                distributors[name] = distributor_create(
                    vendor=vendor,
                    actor=admin,
                    name=name,
                    country=country,
                    currency=market.currency,
                    time_zone=market.time_zone,
                    language=market.language,
                )
            if spec.renamed:
                old, new = spec.renamed
                distributors[new] = distributor_update(
                    vendor=vendor, actor=channel, distributor=distributors.pop(old), name=new
                )

            for person in spec.people:
                if person.role in Role.staff_roles():
                    continue
                memberships[person.email] = Membership.objects.create(
                    vendor=vendor,
                    user=_user_get_or_create(person),
                    role=person.role,
                    distributor=distributors[person.distributor],
                )

            for email, token_name in spec.api_tokens:
                api_token_create(vendor=vendor, actor=memberships[email], name=token_name)

            if spec.invitations and _templates_exist(
                "emails/invitation.subject.txt", "emails/invitation.txt", "emails/invitation.html"
            ):
                for person in spec.invitations:
                    invitation_create(
                        vendor=vendor,
                        actor=channel,
                        email=person.email,
                        role=person.role,
                        distributor=distributors.get(person.distributor),
                        language=person.language,
                    )
            elif spec.invitations:
                log("  (invitation e-mail templates missing: no demo invitation sent)")

            # Profiles, selection and status first (going active makes the launch checklist),
            # then contracts, launch progress, training and the sales kit, and one import.
            for area in (
                demo_profile,
                demo_contracts,
                demo_launch,
                demo_enablement,
                demo_imports,
            ):
                area.seed(vendor=vendor, actor=admin, distributors=list(distributors.values()))
            distributor_count = Distributor.objects.count()  # the import adds a few
    log(
        f"Created workspace {spec.name} (/{spec.slug}/): {distributor_count} distributors, "
        f"{len(spec.people)} members."
    )


def demo_load(*, log=print) -> bool:
    """Create the demo workspaces that do not exist yet. Returns True if anything was created."""
    created = False
    for spec in DEMO_VENDORS:
        if Vendor.objects.filter(slug=spec.slug).exists():
            log(f"Workspace {spec.name} (/{spec.slug}/) already exists; left as it is.")
            continue
        _vendor_create(spec, log)
        created = True
    return created


def demo_logins() -> list[DemoLogin]:
    """The demo logins that exist in the database, workspace by workspace."""
    logins = []
    for spec in DEMO_VENDORS:
        vendor = Vendor.objects.filter(slug=spec.slug).first()
        if vendor is None:
            continue
        emails = [p.email for p in spec.people]
        with tenant_scope(vendor.id):
            memberships = {
                m.user.email: m
                for m in Membership.objects.filter(
                    user__email__in=emails, is_active=True
                ).select_related("user", "distributor")
            }
        for email in emails:
            membership = memberships.get(email)
            if membership is None:
                continue
            logins.append(
                DemoLogin(
                    email=email,
                    password=DEMO_PASSWORD,
                    role=str(Role(membership.role).label),
                    workspace=f"/{vendor.slug}/",
                    distributor=membership.distributor.name if membership.distributor else "",
                )
            )
    return logins


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table(logins: list[DemoLogin]) -> str:
    """The demo logins as a plain-text table."""
    if not logins:
        return "No demo logins in this database (run `make demo` to add them)."
    header = ("E-mail", "Password", "Role", "Workspace", "Distributor")
    rows = [header] + [(x.email, x.password, x.role, x.workspace, x.distributor) for x in logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
