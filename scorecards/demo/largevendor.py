"""The large vendor: one workspace with thousands of distributors and years of history, for demos
and benchmarks (``manage.py large_vendor``).

Everything is generated in Python from one random seed and loaded with PostgreSQL ``COPY``
inside the vendor's tenant scope (COPY cannot write a table under row-level security, so each
table is copied into a temporary table and inserted from it: the policy still checks every
row's vendor). Ids of rows that others point at (distributors, reports, outlets) are reserved
from the tables' sequences first, so the content rows can be written with their report or
outlet id without a join.

What it makes, for ``months`` months up to today:

* distributors across the seed markets (Japanese names in Japan), mostly active with
  activation dates spread over the period (the newer ones are on their market's ramp curve),
  some onboarding, suspended, terminated or prospects; owners spread over the channel managers;
* one login per role (``logins`` of the result) and about twenty channel managers;
* a weekly update for every week and a monthly summary for every month each distributor was
  reporting, due as the vendor's calendar says in the distributor's country and time zone, most
  on time, some late, a few missed; worse in some markets and in Golden Week, the year end and
  Ramadan/Lebaran;
* outlets (customers opened over time) and sales lines with growth and seasonality (Japan's
  fiscal year end and Golden Week, Chinese New Year, Tet, Ramadan, the year end);
* the starting KPI catalogue with a Japan template, month and quarter targets for every
  distributor on its template around its own figures (volume targets ramped for new
  distributors), monthly values of the entered KPIs and monthly exchange rates.

Reports carry ``version_count`` 1 when handed in but no ``ReportVersion`` rows (their content
is in the weekly update or monthly summary row), as ``bench/review_inbox.py`` does.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from partners.markets import MARKETS_BY_COUNTRY
from partners.models import (
    ClauseKind,
    Contract,
    ContractStatus,
    Distributor,
    Membership,
    PerformanceClause,
    ProductLine,
    Role,
    ScopeLine,
    Territory,
    User,
    Vendor,
)
from partners.periods import add_months, quarter_start, quarters_between, week_start
from partners.platform.scope import tenant_scope
from reporting.calendar import DueCalendar, calendar_for, monthly_due, weekly_due
from scorecards.models import QbrMeeting

PASSWORD = "large-vendor-demo"
CHANNEL_MANAGERS = 20

# Country, share of distributors, lateness factor (1: average), Ramadan observed.
MARKET_MIX = (
    ("JP", 18, 0.6), ("SG", 8, 0.7), ("TH", 12, 1.2), ("ID", 12, 1.8), ("MY", 9, 1.2),
    ("VN", 9, 1.5), ("PH", 8, 1.6), ("KR", 8, 0.8), ("CN", 8, 1.0), ("US", 5, 0.9),
    ("DE", 3, 0.7),
)  # fmt: skip
RAMADAN_COUNTRIES = {"ID", "MY"}
# Months mostly in Ramadan, and the months of Lebaran (Eid al-Fitr), 2022-2028.
RAMADAN_MONTHS = {(2022, 4), (2023, 3), (2023, 4), (2024, 3), (2025, 3), (2026, 2), (2026, 3),
                  (2027, 2), (2028, 2)}  # fmt: skip
LEBARAN = {2022: dt.date(2022, 5, 2), 2023: dt.date(2023, 4, 22), 2024: dt.date(2024, 4, 10),
           2025: dt.date(2025, 3, 31), 2026: dt.date(2026, 3, 20), 2027: dt.date(2027, 3, 10),
           2028: dt.date(2028, 2, 27)}  # fmt: skip

# Units of US dollars one unit of the currency was worth (rates wander around these per month).
USD_RATES = {"JPY": 0.0068, "SGD": 0.74, "THB": 0.028, "IDR": 0.000063, "MYR": 0.215,
             "VND": 0.000040, "PHP": 0.0178, "KRW": 0.00074, "CNY": 0.139, "USD": 1.0,
             "EUR": 1.08}  # fmt: skip
WHOLE_UNITS = {"JPY", "IDR", "VND", "KRW"}  # amounts without cents

PRODUCTS = [(f"RB-{100 + n}", f"Robot arm {100 + n}", 150 + (n * 397) % 3900) for n in range(30)]
# The vendor's product lines: a sales line belongs to the line whose code starts its product code.
PRODUCT_LINES = [("RB-10", "Compact arms"), ("RB-11", "Heavy-duty arms"), ("RB-12", "Cobots")]

_JP_CITIES = ["東京", "大阪", "名古屋", "横浜", "札幌", "福岡", "神戸", "京都", "仙台", "広島",
              "千葉", "埼玉", "静岡", "岡山", "熊本", "新潟", "金沢", "長野"]  # fmt: skip
_JP_WORDS = ["精機", "商事", "産業", "テクノ", "電機", "オートメーション", "ロボティクス",
             "システム", "機工", "エンジニアリング"]  # fmt: skip
_JP_FORMS = ["株式会社{}", "{}株式会社", "{}工業"]
_EN_PREFIX = {
    "SG": ["Lion City", "Marina", "Jurong", "Raffles", "Orchard"],
    "TH": ["Siam", "Chao Phraya", "Bangkok", "Lanna", "Andaman"],
    "ID": ["Nusantara", "Jakarta", "Surabaya", "Garuda", "Bandung"],
    "MY": ["Klang", "Penang", "Johor", "Petronas Way", "Selangor"],
    "VN": ["Saigon", "Hanoi", "Mekong", "Red River", "Da Nang"],
    "PH": ["Manila", "Luzon", "Cebu", "Visayas", "Davao"],
    "KR": ["Han River", "Seoul", "Busan", "Incheon", "Daegu"],
    "CN": ["Pearl River", "Shenzhen", "Yangtze", "Suzhou", "Guangzhou"],
    "US": ["Great Lakes", "Pacific", "Lone Star", "Hudson", "Rocky Mountain"],
    "DE": ["Rhein", "Bavaria", "Hanse", "Ruhr", "Schwaben"],
}
_EN_WORDS = ["Industrial", "Automation", "Robotics", "Engineering", "Technologies", "Machinery",
             "Systems", "Solutions", "Supply", "Trading"]  # fmt: skip
_EN_FORMS = {"DE": "GmbH", "US": "Inc.", "JP": ""}
_OUTLET_JP = ["製作所", "工場", "物流センター", "食品", "部品", "化成"]
_OUTLET_EN = ["Plant", "Works", "Logistics", "Foods", "Components", "Packaging"]


@dataclass
class LargeVendorSpec:
    """What to generate. ``months`` of history end with the current (partial) month."""

    distributors: int = 2000
    months: int = 36
    sales_lines: int = 2_000_000
    outlets: int = 200_000
    seed: int = 7
    slug: str = "big"
    name: str = "Big Robotics"
    today: dt.date | None = None
    channel_managers: int = CHANNEL_MANAGERS


@dataclass
class LargeVendorResult:
    """The vendor made, its logins (e-mail, role, distributor), row counts and timings."""

    vendor: Vendor
    months: list[dt.date] = field(default_factory=list)  # first days of the months generated
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Dist:
    """A distributor being generated, with what its targets are drawn from."""

    index: int
    id: int
    country: str
    currency: str
    zone: ZoneInfo
    language: str
    status: str
    name: str
    start: dt.date | None  # first day it reports and sells (None: never)
    end: dt.date  # the day it stops (today for active ones)
    size: float
    growth: float
    lateness: float
    plan: float  # how ambitious its targets are (1: at its own trend)
    lead_quote: float
    quote_order: float
    quality: float
    owner_id: int | None = None
    outlets: list[tuple[int, int]] = field(default_factory=list)  # (open month index, id)
    # Per month index: figures the targets are set around.
    stats: dict[int, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))


# --- helpers --------------------------------------------------------------------------------


def _tsv(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


def _line(*values) -> str:
    return "\t".join(_tsv(v) for v in values) + "\n"


def copy_insert(
    cursor, table: str, columns: Iterable[str], rows: Iterable[str], timings: dict | None = None
) -> int:
    """COPY tab-separated ``rows`` into ``table`` through a temporary table (COPY refuses
    tables under row-level security; the INSERT from the copy passes the policy). Returns the
    number of rows; ``timings`` gets the seconds the INSERT took under ``"insert <table>"``."""
    cols = ", ".join(columns)
    temp = f"lv_{table}"
    cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    cursor.execute(f"CREATE TEMP TABLE {temp} AS SELECT {cols} FROM {table} LIMIT 0")  # noqa: S608
    count = 0
    chunk: list[str] = []
    with cursor.copy(f"COPY {temp} ({cols}) FROM STDIN") as copy:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= 20000:
                copy.write("".join(chunk))
                count += len(chunk)
                chunk.clear()
        if chunk:
            copy.write("".join(chunk))
            count += len(chunk)
    started = time.perf_counter()
    cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {temp}")  # noqa: S608
    if timings is not None:
        timings[f"insert {table}"] = time.perf_counter() - started
    cursor.execute(f"DROP TABLE {temp}")
    return count


def _reserve_ids(cursor, table: str, count: int) -> list[int]:
    if count <= 0:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


# Foreign keys whose referencing column leads no index (the sales line table keeps only the
# indexes its queries use): deleting a vendor's outlets or distributors would check each one
# with a scan of the whole referencing table. The drop builds these for its own run only.
_DROP_HELPER_INDEXES = {
    "lv_drop_salesline_outlet": ("reporting_salesline", "outlet_id"),
    "lv_drop_kpientry_distributor": ("scorecards_kpientry", "distributor_id"),
}


def vendor_drop(*, slug: str, helper_indexes: bool = True) -> bool:
    """Delete the vendor with ``slug`` and every row it owns, committed on its own (raw
    deletes table by table: Django's cascade would load millions of rows; the foreign keys are
    deferred, so the order does not matter). While it runs, the owner role adds indexes for the
    foreign-key checks of the deletes (``_DROP_HELPER_INDEXES``) and drops them after. Returns
    whether there was such a vendor. Logins are kept. Inside a caller's transaction pass
    ``helper_indexes=False``: building an index would wait for that transaction's locks."""
    vendor = Vendor.objects.filter(slug=slug).first()
    if vendor is None:
        return False
    owner = _owner_connection() if helper_indexes else None
    try:
        for name, (table, column) in _DROP_HELPER_INDEXES.items() if owner else ():
            assert owner is not None
            owner.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")
        with tenant_scope(vendor.id), connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.table_name FROM information_schema.columns c"
                " JOIN information_schema.tables t USING (table_schema, table_name)"
                " WHERE c.table_schema = current_schema() AND c.column_name = 'vendor_id'"
                " AND t.table_type = 'BASE TABLE' ORDER BY c.table_name"
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f'DELETE FROM "{table}" WHERE vendor_id = %s', [vendor.id])  # noqa: S608
            cursor.execute(f"DELETE FROM {Vendor._meta.db_table} WHERE id = %s", [vendor.id])  # noqa: S608
    finally:
        if owner is not None:
            for name in _DROP_HELPER_INDEXES:
                owner.execute(f"DROP INDEX IF EXISTS {name}")
            owner.close()
    return True


def _owner_connection():
    """A separate autocommit connection as the role that owns the tables (Django's own
    connection switches to the application role, which may not build indexes or analyse)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def _month_index(first: dt.date, day: dt.date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def _season(country: str, month: dt.date) -> float:
    """How much a market sells in a month compared with an ordinary one."""
    factor = 1.0
    m = month.month
    if m == 12:
        factor *= 1.12
    if country == "JP":
        factor *= {3: 1.3, 5: 0.75, 8: 0.85, 1: 0.9}.get(m, 1.0)
    elif country == "CN":
        factor *= {1: 0.85, 2: 0.6}.get(m, 1.0)
    elif country == "VN":
        factor *= {1: 0.75, 2: 0.7}.get(m, 1.0)
    elif country in RAMADAN_COUNTRIES and (month.year, m) in RAMADAN_MONTHS:
        factor *= 0.8
    elif country in ("US", "DE") and m == 8:
        factor *= 0.88
    return factor


def _reporting_strain(country: str, week_start: dt.date) -> float:
    """How much likelier a late or missed report is in a week (holidays, closing the year)."""
    end = week_start + dt.timedelta(days=6)
    strain = 1.0
    if (week_start.month, week_start.day) >= (12, 20) or (end.month == 1 and end.day <= 7):
        strain *= 2.5
    if (
        country == "JP"
        and dt.date(end.year, 4, 29) <= end
        and week_start <= dt.date(end.year, 5, 6)
    ):
        strain *= 3.0  # Golden Week
    if country in RAMADAN_COUNTRIES:
        if (week_start.year, week_start.month) in RAMADAN_MONTHS:
            strain *= 1.8
        lebaran = LEBARAN.get(week_start.year)
        if lebaran and abs((lebaran - week_start).days) <= 7:
            strain *= 3.0
    if country == "CN" and week_start.month == 2 and week_start.day <= 21:
        strain *= 2.0
    return strain


# --- the generator --------------------------------------------------------------------------


class _Generator:
    def __init__(self, spec: LargeVendorSpec, log: Callable[[str], None]):
        self.spec = spec
        self.log = log
        self.rng = random.Random(spec.seed)
        self.today = spec.today or timezone.localdate()
        self.now = timezone.now()
        if spec.today is not None:
            self.now = dt.datetime.combine(spec.today, dt.time(9), tzinfo=dt.UTC)
        self.first_month = add_months(self.today.replace(day=1), -(spec.months - 1))
        self.months = [add_months(self.first_month, n) for n in range(spec.months)]
        self.stamp = self.now.isoformat()
        self.result: LargeVendorResult  # set at the start of run()
        self.dists: list[_Dist] = []
        self.rates: dict[tuple[str, int], float] = {}
        self.timings: dict[str, float] = {}

    # -- people and distributors --

    def people(self, vendor: Vendor) -> dict[str, Membership]:
        slug = self.spec.slug
        specs = [(f"admin@{slug}.example", "Vendor Admin", Role.VENDOR_ADMIN, "en"),
                 (f"exec@{slug}.example", "Executive", Role.EXECUTIVE, "en")]  # fmt: skip
        specs += [
            (f"cm{n:02d}@{slug}.example", f"Channel Manager {n:02d}", Role.CHANNEL_MANAGER, "en")
            for n in range(1, self.spec.channel_managers + 1)
        ]
        password = make_password(PASSWORD)
        users = {}
        for email, name, _role, language in specs:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={"full_name": name, "language": language, "password": password},
            )
            users[email] = user
        memberships = Membership.objects.bulk_create(
            Membership(vendor=vendor, user=users[email], role=role) for email, _n, role, _l in specs
        )
        self.password_hash = password
        return {m.user.email: m for m in memberships}

    def distributor_people(self, vendor: Vendor) -> None:
        """A distributor admin at a Japanese distributor and a user at a Thai one."""
        slug = self.spec.slug
        picks = []
        for country, role, email, name, language in (
            ("JP", Role.DISTRIBUTOR_ADMIN, f"da@{slug}.example", "山田 花子", "ja"),
            ("TH", Role.DISTRIBUTOR_USER, f"du@{slug}.example", "Somchai Rattana", "en"),
        ):
            dist = next(
                (d for d in self.dists if d.country == country and d.status == "active"),
                next((d for d in self.dists if d.status == "active"), self.dists[0]),
            )
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={"full_name": name, "language": language, "password": self.password_hash},
            )
            Membership.objects.create(vendor=vendor, user=user, role=role, distributor_id=dist.id)
            picks.append((email, role.label, dist.name))
        self.result.logins += [(e, str(r), d) for e, r, d in picks]

    def _name(self, country: str, used: set[str]) -> str:
        rng = self.rng
        if country == "JP":
            base = rng.choice(_JP_FORMS).format(rng.choice(_JP_CITIES) + rng.choice(_JP_WORDS))
        else:
            suffix = _EN_FORMS.get(country, rng.choice(["Co., Ltd.", "Pte Ltd", "Corp."]))
            base = f"{rng.choice(_EN_PREFIX[country])} {rng.choice(_EN_WORDS)} {suffix}".strip()
        name, n = base, 2
        while name in used:
            name = f"{base} {n}"
            n += 1
        used.add(name)
        return name

    def make_distributors(self, cursor, vendor: Vendor, owners: list[int]) -> None:
        rng = self.rng
        spec = self.spec
        # Markets interleaved by their shares, so a small vendor still spans many of them.
        slots = [((j + 0.5) / share, c) for c, share, _f in MARKET_MIX for j in range(share)]
        countries = [c for _position, c in sorted(slots)]
        lateness = {c: f for c, _s, f in MARKET_MIX}
        ids = _reserve_ids(cursor, Distributor._meta.db_table, spec.distributors)
        span = (self.today - self.first_month).days
        used: set[str] = set()
        for n in range(spec.distributors):
            country = countries[n % len(countries)] if n < len(countries) else rng.choice(countries)
            market = MARKETS_BY_COUNTRY[country]
            roll = rng.random()
            status = ("prospect" if roll < 0.03 else "onboarding" if roll < 0.07 else
                      "suspended" if roll < 0.10 else "terminated" if roll < 0.12 else "active")  # fmt: skip
            if status in ("prospect", "onboarding"):
                start = None
            elif rng.random() < 0.6:
                start = self.first_month - dt.timedelta(days=rng.randint(30, 1500))
            else:
                start = self.first_month + dt.timedelta(days=rng.randint(0, max(1, span - 45)))
            end = self.today
            if status in ("suspended", "terminated") and start is not None:
                earliest = max(start, self.first_month) + dt.timedelta(days=60)
                if earliest < self.today:
                    end = earliest + dt.timedelta(days=rng.randint(0, (self.today - earliest).days))
            self.dists.append(
                _Dist(
                    index=n,
                    id=ids[n],
                    country=country,
                    currency=market.currency,
                    zone=ZoneInfo(market.time_zone),
                    language=market.language,
                    status=status,
                    name=self._name(country, used),
                    start=start,
                    end=end,
                    size=math.exp(rng.gauss(0, 0.8)),
                    growth=rng.gauss(0.12, 0.15),
                    lateness=lateness[country] * math.exp(rng.gauss(0, 0.6)),
                    plan=rng.choice([0.85, 0.95, 1.0, 1.0, 1.05, 1.1, 1.2, 1.35]),
                    lead_quote=rng.uniform(0.25, 0.6),
                    quote_order=rng.uniform(0.15, 0.5),
                    quality=rng.uniform(84, 99.5),
                    owner_id=owners[n % len(owners)] if owners and rng.random() < 0.95 else None,
                )
            )

        def rows():
            for d in self.dists:
                since = self.today
                if d.status == "onboarding":
                    since = self.today - dt.timedelta(days=self.rng.randint(1, 60))
                elif d.start is not None:
                    since = d.end if d.status in ("suspended", "terminated") else d.start
                yield _line(d.id, vendor.id, d.name, "", d.country, d.currency, d.zone.key,
                            d.language, d.status, since, d.owner_id, self.stamp, self.stamp)  # fmt: skip

        columns = ("id", "vendor_id", "name", "legal_name", "country", "currency", "time_zone",
                   "language", "status", "status_changed_on", "owner_id", "created_at",
                   "updated_at")  # fmt: skip
        self.result.counts["distributors"] = copy_insert(
            cursor, Distributor._meta.db_table, columns, rows(), self.timings
        )

    # -- reports --

    def make_reports(self, cursor, vendor: Vendor) -> None:
        """Weekly updates and monthly summaries with their content, by the calendar."""
        from reporting.models import MonthlySummary, Report, WeeklyUpdate

        rng = self.rng
        calendar = DueCalendar(settings=calendar_for(vendor))
        due_cache: dict[tuple, dt.datetime] = {}

        def due(kind: str, d: _Dist, start: dt.date) -> dt.datetime:
            key = (kind, d.country, start)
            if key not in due_cache:
                proxy = SimpleNamespace(country=d.country, zone=d.zone)
                fn = weekly_due if kind == "weekly" else monthly_due
                due_cache[key] = fn(calendar, proxy, start)
            return due_cache[key]

        first_week = week_start(self.first_month)
        first_week += dt.timedelta(days=7) if first_week < self.first_month else dt.timedelta(0)
        headers, weekly, monthly = [], [], []
        recent = self.now - dt.timedelta(days=12)
        for d in self.dists:
            if d.start is None:
                continue
            base_leads = 2 + 5 * math.sqrt(d.size)
            week = max(first_week, week_start(d.start))
            leads_in_month: dict[int, int] = defaultdict(int)
            while week + dt.timedelta(days=6) < min(d.end, self.today):
                due_at = due("weekly", d, week)
                strain = _reporting_strain(d.country, week) * d.lateness
                headers.append(("weekly", d, week, week + dt.timedelta(days=6), due_at, strain))
                leads = max(0, round(rng.gauss(base_leads, base_leads * 0.35)))
                leads_in_month[_month_index(self.first_month, week)] += leads
                weekly.append((leads, base_leads))
                week += dt.timedelta(days=7)
            for m_index, month in enumerate(self.months):
                m_end = add_months(month, 1) - dt.timedelta(days=1)
                if month < d.start.replace(day=1) or m_end >= min(d.end, self.today):
                    continue
                due_at = due("monthly", d, month)
                strain = (1.4 if month.month == 12 else 1.0) * d.lateness
                headers.append(("monthly", d, month, m_end, due_at, strain))
                monthly.append((d, m_index, leads_in_month.get(m_index, 0)))
        ids = _reserve_ids(cursor, Report._meta.db_table, len(headers))

        report_rows, weekly_rows, monthly_rows = [], [], []
        handed_in: dict[tuple[int, str], list[bool]] = defaultdict(list)
        w_iter, m_iter = iter(weekly), iter(monthly)
        for rid, (kind, d, start, end, due_at, strain) in zip(ids, headers, strict=True):
            content: Any = next(w_iter) if kind == "weekly" else next(m_iter)
            roll = rng.random()
            p_missed = min(0.5, 0.025 * strain)
            p_late = min(0.6, 0.09 * strain)
            status, submitted, missed, reviewed = "acknowledged", None, None, None
            if due_at > self.now:
                status = "pending"
            elif roll < p_missed:
                status = "pending"
                missed = (
                    due_at + dt.timedelta(days=3)
                    if due_at + dt.timedelta(days=3) < self.now
                    else None
                )
            elif roll < p_missed + p_late:
                submitted = due_at + dt.timedelta(hours=rng.uniform(1, 110))
            else:
                submitted = due_at - dt.timedelta(hours=rng.uniform(0.5, 72))
            if submitted is not None and submitted > self.now:
                submitted = self.now - dt.timedelta(minutes=5)
            if submitted is not None:
                if submitted > recent and rng.random() < 0.6:
                    status = "submitted"
                else:
                    reviewed = submitted + dt.timedelta(hours=rng.uniform(2, 60))
                    reviewed = min(reviewed, self.now)
            on_time = submitted is not None and submitted <= due_at
            handed_in[(d.id, kind)].append(on_time)
            report_rows.append(
                _line(rid, vendor.id, d.id, kind, start, end, due_at, status, submitted,
                      submitted, 1 if submitted else 0, missed, reviewed, self.stamp, self.stamp)
            )  # fmt: skip
            if submitted is None:
                continue
            if kind == "weekly":
                leads, base = content
                meetings = max(0, round(rng.gauss(base * 0.7, base * 0.25)))
                blockers = "[]"
                if rng.random() < 0.3:
                    tag = rng.choice(["pricing", "stock", "competitor", "compliance"])
                    text = "競合の値下げ" if d.language == "ja" else "Competitor price cut"
                    blockers = json.dumps([{"tag": tag, "text": text}], ensure_ascii=False)
                weekly_rows.append(
                    _line(vendor.id, rid, leads, meetings, rng.randint(0, 8), rng.randint(0, 5),
                          rng.randint(0, 3), blockers, "[]", self.stamp)
                )  # fmt: skip
                stats = d.stats[_month_index(self.first_month, start)]
                stats["meetings"] = stats.get("meetings", 0) + meetings
            else:
                dist, m_index, leads = content
                stats = dist.stats[m_index]
                revenue = stats.get("revenue", 0.0)
                quotes = round(leads * d.lead_quote * rng.uniform(0.85, 1.15))
                orders = round(quotes * d.quote_order * rng.uniform(0.85, 1.15))
                forecast = max(0.0, revenue) * rng.uniform(1.8, 3.4)
                stats["forecast"] = forecast
                monthly_rows.append(
                    _line(vendor.id, rid, d.currency, int(stats.get("units", 0)),
                          f"{revenue:.2f}", leads, quotes, orders, rng.randint(5, 400),
                          rng.randint(0, 3), "", max(0, int(stats.get("units", 0) * 2.5)),
                          f"{forecast:.2f}", "", "Trade show; webinar", "", self.stamp)
                )  # fmt: skip

        rcols = ("id", "vendor_id", "distributor_id", "kind", "period_start", "period_end",
                 "due_at", "status", "submitted_at", "last_submitted_at", "version_count",
                 "missed_at", "reviewed_at", "created_at", "updated_at")  # fmt: skip
        counts = self.result.counts
        counts["reports"] = copy_insert(
            cursor, Report._meta.db_table, rcols, report_rows, self.timings
        )
        wcols = ("vendor_id", "report_id", "new_leads", "meetings_held", "opportunities_discovery",
                 "opportunities_proposal", "opportunities_negotiation", "blockers", "priorities",
                 "updated_at")  # fmt: skip
        counts["weekly_updates"] = copy_insert(
            cursor, WeeklyUpdate._meta.db_table, wcols, weekly_rows, self.timings
        )
        mcols = ("vendor_id", "report_id", "currency", "units_sold", "revenue", "leads", "quotes",
                 "orders", "inventory_units", "stockouts", "stockout_notes", "forecast_units",
                 "forecast_revenue", "forecast_notes", "marketing_actions", "escalations",
                 "updated_at")  # fmt: skip
        counts["monthly_summaries"] = copy_insert(
            cursor, MonthlySummary._meta.db_table, mcols, monthly_rows, self.timings
        )

    # -- sell-out --

    def _selling_months(self, d: _Dist) -> list[int]:
        if d.start is None or d.status in ("prospect", "onboarding"):
            return []
        return [
            i
            for i, month in enumerate(self.months)
            if add_months(month, 1) > d.start and month < d.end
        ]

    def _selling_days(self, d: _Dist, i: int) -> tuple[dt.date, dt.date]:
        """The first and last day of month ``i`` the distributor sells on (up to yesterday)."""
        month = self.months[i]
        last = min(
            add_months(month, 1) - dt.timedelta(days=1), d.end, self.today - dt.timedelta(days=1)
        )
        assert d.start is not None  # only distributors that sell
        return max(month, d.start), last

    def exchange_rates(self) -> None:
        for currency, usd in USD_RATES.items():
            level = usd
            for i, _month in enumerate(self.months):
                if currency != "USD":
                    level *= math.exp(self.rng.gauss(0, 0.015))
                self.rates[(currency, i)] = level

    def make_sales(self, cursor, vendor: Vendor) -> None:
        """Outlets opened over time and sales lines with growth and seasonality."""
        from reporting.models import Outlet, SalesLine

        rng = self.rng
        weights: dict[tuple[int, int], float] = {}
        for d in self.dists:
            months = self._selling_months(d)
            for i in months:
                month = self.months[i]
                ramp_months = 12 if d.country == "JP" else 6
                assert d.start is not None  # only distributors that sell
                age = max(0, _month_index(d.start.replace(day=1), month))
                ramp = min(1.0, (age + 1) / ramp_months)
                years = i / 12
                first_day, last_day = self._selling_days(d, i)
                month_days = (add_months(month, 1) - month).days
                share = max(0, (last_day - first_day).days + 1) / month_days  # partial months
                weights[(d.index, i)] = (
                    d.size * _season(d.country, month) * (1 + d.growth) ** years * ramp * share
                )
        total_weight = sum(weights.values()) or 1.0
        sellers = [d for d in self.dists if self._selling_months(d)]
        size_total = sum(d.size for d in sellers) or 1.0

        # Outlets: a base of customers at the start, more opened month by month.
        outlet_meta = []
        for d in sellers:
            months = self._selling_months(d)
            count = max(3, round(self.spec.outlets * d.size / size_total))
            for k in range(count):
                opened = months[0] if rng.random() < 0.5 else rng.choice(months)
                outlet_meta.append((d, opened, k))
        outlet_ids = _reserve_ids(cursor, Outlet._meta.db_table, len(outlet_meta))
        for oid, (d, opened, _k) in zip(outlet_ids, outlet_meta, strict=True):
            d.outlets.append((opened, oid))
        # Each outlet's first and last invoice date, known while the lines are made: the outlets
        # are written after the lines (the foreign keys are checked at commit) with their billed
        # dates, as the import keeps them.
        billed: dict[int, list[dt.date]] = {}

        def lines():
            target = self.spec.sales_lines
            for d in sellers:
                d.outlets.sort()
                opened = [o for o, _i in d.outlets]
                invoice_no = 0
                for i in self._selling_months(d):
                    expected = target * weights[(d.index, i)] / total_weight
                    count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
                    if not count:
                        continue
                    month = self.months[i]
                    rate = self.rates[(d.currency, i)]
                    first_day, last_day = self._selling_days(d, i)
                    if last_day < first_day:
                        continue
                    days = (last_day - first_day).days
                    available = bisect.bisect_right(opened, i) or 1
                    stats = d.stats[i]
                    revenue = units = 0.0
                    written = 0
                    while written < count:
                        invoice_no += 1
                        day = first_day + dt.timedelta(days=rng.randint(0, days))
                        _o, outlet_id = d.outlets[rng.randrange(available)]
                        seen = billed.get(outlet_id)
                        if seen is None:
                            billed[outlet_id] = [day, day]
                        elif day < seen[0]:
                            seen[0] = day
                        elif day > seen[1]:
                            seen[1] = day
                        invoice = f"INV-{month:%y%m}-{invoice_no:06d}"
                        credit = rng.random() < 0.01
                        for line_no in range(1, min(count - written, rng.randint(1, 5)) + 1):
                            code, pname, usd = PRODUCTS[rng.randrange(len(PRODUCTS))]
                            qty = rng.randint(1, 12) * (-1 if credit else 1)
                            unit = usd / rate
                            amount = round(qty * unit) if d.currency in WHOLE_UNITS else qty * unit
                            revenue += amount
                            units += qty
                            written += 1
                            yield (
                                f"{vendor.id}\t{d.id}\t{invoice}\t{line_no}\t{day}\t"
                                f"{day + dt.timedelta(days=rng.randint(0, 4))}\t{outlet_id}\t"
                                f"{code}\t{pname}\t{qty}\t{amount:.2f}\t{d.currency}\t"
                                f"{day + dt.timedelta(days=30)}\t{self.stamp}\t{self.stamp}\n"
                            )
                    stats["revenue"] = revenue
                    stats["units"] = units

        scols = ("vendor_id", "distributor_id", "invoice_number", "line_number", "invoice_date",
                 "ship_date", "outlet_id", "product_code", "product_name", "quantity", "amount",
                 "currency", "due_date", "created_at", "updated_at")  # fmt: skip
        self.result.counts["sales_lines"] = copy_insert(
            cursor, SalesLine._meta.db_table, scols, lines(), self.timings
        )
        outlet_rows = []
        for oid, (d, _opened, k) in zip(outlet_ids, outlet_meta, strict=True):
            if d.language == "ja":
                name = f"{rng.choice(_JP_CITIES)}{rng.choice(_OUTLET_JP)} {k + 1}"
            else:
                name = f"{rng.choice(_EN_PREFIX[d.country])} {rng.choice(_OUTLET_EN)} {k + 1}"
            first, last = billed.get(oid, (None, None))
            if first is not None:
                stats = d.stats[_month_index(self.first_month, first)]
                stats["new_accounts"] = stats.get("new_accounts", 0) + 1
            outlet_rows.append(
                _line(oid, vendor.id, d.id, f"C{k + 1:06d}", name, "", "", first, last,
                      self.stamp, self.stamp)
            )  # fmt: skip
        ocols = ("id", "vendor_id", "distributor_id", "code", "name", "address", "tax_id",
                 "first_billed_on", "last_billed_on", "created_at", "updated_at")  # fmt: skip
        self.result.counts["outlets"] = copy_insert(
            cursor, Outlet._meta.db_table, ocols, outlet_rows, self.timings
        )

    # -- targets, entries, rates --

    def make_targets(self, cursor, vendor: Vendor) -> None:
        """Month and quarter targets for each distributor's template KPIs, entered values of
        the entered KPIs, and the month's exchange rates."""
        from scorecards.demo.seed import scorecard_templates_seed
        from scorecards.models import (
            ExchangeRate,
            KpiEntry,
            RampCurve,
            ScorecardPolicy,
            Target,
        )
        from scorecards.services.catalogue import kpi_catalogue_seed

        rng = self.rng
        kpi_catalogue_seed(vendor=vendor)
        templates = scorecard_templates_seed(vendor=vendor)  # {country or "": [kpi, ...]}
        fiscal = vendor.fiscal_year_start_month
        ramps = {r.country: r.percents for r in RampCurve.objects.filter(vendor=vendor)}
        quarters = sorted({quarter_start(m, fiscal) for m in self.months})
        last_full = len(self.months) - 1  # the current month is not over: no entries for it

        def figure(d: _Dist, code: str, months: list[int]) -> float | None:
            """The distributor's own figure for a volume KPI over some months."""
            key = {"revenue": "revenue", "units": "units", "new-accounts": "new_accounts",
                   "meetings": "meetings", "pipeline-value": "forecast",
                   "decision-maker-demos": "demos"}.get(code)  # fmt: skip
            if key is None:
                return None
            values = [d.stats[i].get(key, 0.0) for i in months]
            if code == "pipeline-value":
                return values[-1] if values else 0.0
            return sum(values)

        # Vendor-wide targets for rates and entered percentages: (base, stretch, exceed).
        fixed = {
            "revenue-growth": (5, 10, 20), "lead-to-quote": (35, 45, 55),
            "quote-to-order": (25, 35, 45), "pipeline-coverage": (1, 1.3, 1.6),
            "weekly-on-time": (85, 95, 100), "monthly-review": (90, 100, 100),
            "on-time-delivery": (92, 96, 99), "quality-acceptance": (95, 98, 99.5),
            "plan-adjusted": (1, 1, 1), "events": (1, 2, 3), "market-intelligence": (1, 2, 3),
            "marketing-content": (1, 2, 4),
        }  # fmt: skip
        entered_codes = {"on-time-delivery", "quality-acceptance", "decision-maker-demos",
                         "plan-adjusted", "events", "market-intelligence", "marketing-content"}  # fmt: skip

        def fmt(value: float) -> str:
            return f"{value:.4f}"

        target_rows, entry_rows = [], []
        for d in self.dists:
            if d.start is None:
                continue
            kpis = templates.get(d.country) or templates[""]
            curve = ramps.get(d.country) or ramps.get("") or [100]
            selling = set(self._selling_months(d))
            # Entered values, month by month.
            for i in sorted(selling):
                if i >= last_full:
                    continue
                stats = d.stats[i]
                stats["demos"] = max(0, round(stats.get("meetings", 0) * rng.uniform(0.2, 0.4)))
                for kpi in kpis:
                    if kpi.code not in entered_codes:
                        continue
                    if kpi.code == "on-time-delivery":
                        value = min(100.0, max(60.0, rng.gauss(d.quality, 3)))
                    elif kpi.code == "quality-acceptance":
                        value = min(100.0, max(85.0, rng.gauss(d.quality + 4, 1.5)))
                    elif kpi.code == "decision-maker-demos":
                        value = stats["demos"]
                    else:
                        value = rng.randint(0, 3)
                    entry_rows.append(
                        _line(vendor.id, d.id, kpi.id, "month", self.months[i], fmt(value), "",
                              d.owner_id, self.stamp)
                    )  # fmt: skip
            periods = [("month", m, [i]) for i, m in enumerate(self.months) if i in selling]
            for q in quarters:
                months = [
                    i for i in range(len(self.months)) if quarter_start(self.months[i], fiscal) == q
                ]
                if any(i in selling for i in months):
                    periods.append(("quarter", q, [i for i in months if i in selling]))
            for kind, start, months in periods:
                q_index = quarters_between(d.start, start, fiscal)
                ramp = curve[min(max(q_index, 0), len(curve) - 1)]
                for kpi in kpis:
                    own = figure(d, kpi.code, months)
                    if own is not None:
                        if kind == "quarter" and len(months) < 3 and kpi.code != "pipeline-value":
                            own = own * 3 / max(1, len(months))
                        base = max(1.0, own * d.plan * rng.uniform(0.92, 1.1))
                        levels = (base, base * 1.15, base * 1.3)
                        percent = ramp
                    else:
                        levels = fixed.get(kpi.code, (1, 2, 3))
                        percent = 100
                    full = [v * 100 / percent for v in levels]
                    target_rows.append(
                        _line(vendor.id, d.id, kpi.id, kind, start, fmt(full[0]), fmt(full[1]),
                              fmt(full[2]), percent, fmt(levels[0]), fmt(levels[1]),
                              fmt(levels[2]), "imported", self.stamp)
                    )  # fmt: skip
        tcols = ("vendor_id", "distributor_id", "kpi_id", "period_kind", "period_start",
                 "full_base", "full_stretch", "full_exceed", "ramp_percent", "base", "stretch",
                 "exceed", "source", "updated_at")  # fmt: skip
        counts = self.result.counts
        counts["targets"] = copy_insert(
            cursor, Target._meta.db_table, tcols, target_rows, self.timings
        )
        ecols = ("vendor_id", "distributor_id", "kpi_id", "period_kind", "period_start", "value",
                 "note", "entered_by_id", "updated_at")  # fmt: skip
        counts["kpi_entries"] = copy_insert(
            cursor, KpiEntry._meta.db_table, ecols, entry_rows, self.timings
        )
        reporting = ScorecardPolicy.objects.get(vendor=vendor).reporting_currency
        rate_rows = []
        for (currency, i), usd in self.rates.items():
            in_reporting = usd / self.rates[(reporting, i)] if (reporting, i) in self.rates else usd
            rate_rows.append(
                _line(vendor.id, currency, self.months[i], f"{in_reporting:.8f}", self.stamp)
            )
        counts["exchange_rates"] = copy_insert(
            cursor,
            ExchangeRate._meta.db_table,
            ("vendor_id", "currency", "period_start", "rate", "updated_at"),
            rate_rows,
            self.timings,
        )

    # -- all of it --

    # -- contracts --

    def make_contracts(self, vendor: Vendor) -> None:
        """QBR meetings, and a contract per distributor that has traded (terminated with the distributor), in
        its own territory, for one to three product lines, most of them exclusive after the
        90-day launch, each exclusive line with a minimum quarterly revenue near the
        distributor's own level, and the on-time reporting and QBR clauses. A separate random
        stream: the other data stay as they were."""
        rng = random.Random(self.spec.seed + 1)
        lines = ProductLine.objects.bulk_create(
            ProductLine(vendor=vendor, code=code, name=name) for code, name in PRODUCT_LINES
        )
        traded = [d for d in self.dists if d.start is not None]
        per_country: dict[str, int] = defaultdict(int)
        territories = []
        for d in traded:
            per_country[d.country] += 1
            territories.append(
                Territory(
                    vendor=vendor, country=d.country,
                    name=f"{d.country} area {per_country[d.country]:04d}",
                )
            )  # fmt: skip
        territories = Territory.objects.bulk_create(territories, batch_size=2000)
        contracts, plans = [], []
        for d, territory in zip(traded, territories, strict=True):
            starts = d.start
            assert starts is not None  # traded distributors have started
            launch_ends = starts + dt.timedelta(days=89)
            ends = max(add_months(starts, 36), self.today + dt.timedelta(days=rng.randint(90, 900)))
            terminated = d.status == "terminated"
            if terminated:
                ends = max(d.end, launch_ends + dt.timedelta(days=1))
            scale = None
            if not terminated and rng.random() < 0.1:
                scale = min(add_months(starts, 24), ends)
                scale = scale if scale > launch_ends else None
            contracts.append(
                Contract(
                    vendor=vendor, distributor_id=d.id, reference=f"BIG-{d.index:05d}",
                    status=ContractStatus.TERMINATED if terminated else ContractStatus.ACTIVE,
                    starts_on=starts, ends_on=ends, auto_renews=not terminated,
                    renewal_term_months=None if terminated else 12,
                    notice_days=rng.choice([30, 60, 90, 90]), signed_on=starts,
                    launch_ends_on=launch_ends, scale_starts_on=scale,
                )
            )  # fmt: skip
            # The distributor's usual quarter, from its last year of sales.
            months = sorted(d.stats)[-12:]
            quarter = sum(d.stats[i].get("revenue", 0.0) for i in months) / max(1, len(months)) * 3
            plans.append((d, territory, rng.sample(lines, rng.randint(1, 3)), quarter))
        contracts = Contract.objects.bulk_create(contracts, batch_size=2000)
        scope: list[ScopeLine] = []
        clause_specs: list[tuple[Contract, Any, Any, Any]] = []  # (None, None, None): contract-wide
        for contract, (d, territory, chosen, quarter) in zip(contracts, plans, strict=True):
            for product_line in chosen:
                exclusive = rng.random() < 0.75
                scope.append(
                    ScopeLine(
                        vendor=vendor, contract=contract, distributor_id=d.id,
                        territory=territory, product_line=product_line,
                        starts_on=contract.starts_on, ends_on=contract.ends_on,
                        exclusive_from=contract.launch_ends_on + dt.timedelta(days=1)
                        if exclusive else None,
                    )
                )  # fmt: skip
                # Each line's share of the quarter, set a little above or below it.
                share = quarter / len(chosen) * d.plan * rng.uniform(0.75, 1.05)
                clause_specs.append((contract, exclusive, round(share, 0), d.currency))
            clause_specs.append((contract, None, None, None))
        scope = ScopeLine.objects.bulk_create(scope, batch_size=2000)
        clauses, lines_iter = [], iter(scope)
        for contract, exclusive, amount, currency in clause_specs:
            if exclusive is None:
                clauses.append(
                    PerformanceClause(
                        vendor=vendor, contract=contract, kind=ClauseKind.MIN_REPORTING,
                        rate=90,
                    )
                )  # fmt: skip
                clauses.append(
                    PerformanceClause(
                        vendor=vendor, contract=contract, kind=ClauseKind.QBR_ATTENDANCE
                    )
                )
                continue
            line = next(lines_iter)
            if exclusive and amount > 0:
                clauses.append(
                    PerformanceClause(
                        vendor=vendor, contract=contract, kind=ClauseKind.MIN_REVENUE,
                        scope_line=line, amount=amount, currency=currency,
                    )
                )  # fmt: skip
        PerformanceClause.objects.bulk_create(clauses, batch_size=5000)
        # QBRs: most traded distributors hold one in the middle of most quarters.
        meetings = []
        for d in traded:
            if d.status == "terminated":
                continue
            assert d.start is not None  # traded distributors have started
            day = quarter_start(max(d.start, self.first_month).replace(day=1)) + dt.timedelta(
                days=45
            )
            while day < self.today:
                if rng.random() < 0.85:
                    meetings.append(
                        QbrMeeting(vendor=vendor, distributor_id=d.id, held_on=day, notes="")
                    )
                day = add_months(day, 3)
        QbrMeeting.objects.bulk_create(meetings, batch_size=5000)
        counts = self.result.counts
        counts["qbr_meetings"] = len(meetings)
        counts["contracts"] = len(contracts)
        counts["scope_lines"] = len(scope)
        counts["exclusive_lines"] = sum(1 for line in scope if line.exclusive_from)

    def run(self) -> LargeVendorResult:
        spec = self.spec
        timings = self.timings
        started = time.perf_counter()
        vendor = Vendor.objects.create(name=spec.name, slug=spec.slug)
        self.result = LargeVendorResult(vendor=vendor, months=list(self.months))
        timings["create"] = time.perf_counter() - started
        with tenant_scope(vendor.id), connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # psycopg's own cursor: it has copy()
            step = time.perf_counter()
            memberships = self.people(vendor)
            cms = [m.id for m in memberships.values() if m.role == Role.CHANNEL_MANAGER]
            self.make_distributors(cursor, vendor, cms)
            self.distributor_people(vendor)
            self.result.logins[:0] = [
                (email, str(m.get_role_display()), "") for email, m in memberships.items()
            ]
            timings["people and distributors"] = time.perf_counter() - step
            self.exchange_rates()
            step = time.perf_counter()
            self.make_sales(cursor, vendor)
            timings["outlets and sales lines"] = time.perf_counter() - step
            step = time.perf_counter()
            self.make_reports(cursor, vendor)
            timings["reports"] = time.perf_counter() - step
            step = time.perf_counter()
            self.make_targets(cursor, vendor)
            timings["targets, entries, rates"] = time.perf_counter() - step
            step = time.perf_counter()
            self.make_contracts(vendor)
            timings["contracts"] = time.perf_counter() - step
        timings["total"] = time.perf_counter() - started
        self.result.timings = timings
        return self.result


def large_vendor_generate(
    *, spec: LargeVendorSpec, log: Callable[[str], None] = print
) -> LargeVendorResult:
    """Drop the vendor with ``spec.slug`` (if any; committed on its own unless the caller has
    a transaction open) and generate it again as ``spec`` says, in one transaction (see the
    module's docstring). Sales come before reports: the monthly summaries report them."""
    started = time.perf_counter()
    if not connection.in_atomic_block:
        vendor_drop(slug=spec.slug)  # committed first: the generation then only inserts
    dropped = time.perf_counter() - started
    with transaction.atomic():
        if Vendor.objects.filter(slug=spec.slug).exists():
            vendor_drop(slug=spec.slug, helper_indexes=False)  # in a caller's transaction
        result = _Generator(spec, log).run()
        before_commit = time.perf_counter()
    # The commit runs the deferred foreign-key checks of every row (millions for the lines).
    result.timings["commit"] = time.perf_counter() - before_commit
    result.timings["drop the old vendor"] = dropped
    result.timings["total with commit"] = (
        result.timings["total"] + result.timings["commit"] + dropped
    )
    return result


# What computing scorecards writes: analysed again once they are computed.
SCORECARD_TABLES = ("scorecards_kpiactual", "scorecards_scorecard")


def tables_analyze(tables: tuple[str, ...] = ()) -> None:
    """ANALYZE the database (or only ``tables``) as the owner role (the app role may not), as
    autovacuum would after a bulk load, so the first queries get sensible plans."""
    with _owner_connection() as owner:
        owner.execute("ANALYZE " + ", ".join(f'"{table}"' for table in tables))


def scorecards_compute_all(*, vendor: Vendor, months: list[dt.date], log=print) -> int | None:
    """Compute the vendor's scorecards for every month and fiscal quarter in ``months``, if the
    engine exists (None when it does not)."""
    try:
        from scorecards.services.compute import scorecards_compute
    except ImportError:
        log("scorecards.services.compute.scorecards_compute is not available: not computed.")
        return None

    with tenant_scope(vendor.id):
        fiscal = vendor.fiscal_year_start_month
    periods = [("month", m) for m in months]
    periods += [("quarter", q) for q in sorted({quarter_start(m, fiscal) for m in months})]
    written = 0
    for kind, start in periods:
        written += scorecards_compute(vendor_id=vendor.id, period_kind=kind, period_start=start)
    return written


__all__ = [
    "PASSWORD",
    "SCORECARD_TABLES",
    "LargeVendorResult",
    "LargeVendorSpec",
    "copy_insert",
    "large_vendor_generate",
    "scorecards_compute_all",
    "tables_analyze",
    "vendor_drop",
]
