"""One reader, one time zone.

A partner's people read every time in their distributor's zone; vendor staff in the vendor's
zone (people carry no zone of their own). The middleware activates the reader's zone for every
page of a workspace, e-mails are rendered in the recipient's zone, and exports write times in the
reader's zone with the zone named in the column header. ``local_time`` formats a moment with
its zone named, wherever a time could be read two ways.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from partners.markets import MARKETS_BY_COUNTRY


def zone_named(name: str | None) -> dt.tzinfo:
    """The zone called ``name``, or the project's default when the name is empty or unknown."""
    try:
        return ZoneInfo(name) if name else timezone.get_default_timezone()
    except (KeyError, ValueError):
        return timezone.get_default_timezone()


def vendor_zone(vendor) -> dt.tzinfo:
    """The vendor's zone: where its staff read times."""
    return zone_named(getattr(vendor, "time_zone", None) or settings.TIME_ZONE)


def reader_zone(membership) -> dt.tzinfo:
    """The zone a person reads times in: their distributor's for a partner's people, the
    vendor's for staff."""
    if membership is None:
        return timezone.get_default_timezone()
    if membership.is_distributor_role and membership.distributor_id:
        return membership.distributor.zone
    return vendor_zone(membership.vendor)


def reader_zone_name(membership) -> str:
    """The name of the zone ``membership``'s person reads times in (for an e-mail to them)."""
    return zone_name(reader_zone(membership))


def zone_name(zone: dt.tzinfo | None = None) -> str:
    """The zone's IANA name (``Asia/Tokyo``); the active zone's without an argument."""
    zone = zone or timezone.get_current_timezone()
    return getattr(zone, "key", None) or str(zone)


def local_time(value: dt.datetime | None, fmt: str = "SHORT_DATETIME_FORMAT", zone=None) -> str:
    """``value`` in ``zone`` (the active zone by default), formatted for the reader's locale
    and followed by the zone's name: "12/07/2026 10:10 p.m. (Asia/Tokyo)". Empty for None."""
    if value is None or value == "":
        return ""
    zone = zone or timezone.get_current_timezone()
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = value.astimezone(zone)
    return f"{formats.date_format(value, fmt)} ({zone_name(zone)})"


def naive_local(value: dt.datetime | None, zone=None) -> dt.datetime | None:
    """``value`` in ``zone`` (the active zone by default) without its zone, for a spreadsheet
    cell (a cell cannot hold a zone: the column header names it)."""
    if value is None:
        return None
    zone = zone or timezone.get_current_timezone()
    return value.astimezone(zone).replace(tzinfo=None)


def zone_header(label: str, zone=None) -> str:
    """A column header naming the zone its times are in: "Submitted (Asia/Tokyo)"."""
    return _("%(label)s (%(zone)s)") % {"label": label, "zone": zone_name(zone)}


def country_zones(country: str | None) -> list[str]:
    """The zones of ``country``, its usual zone first (empty for an unknown country)."""
    market = MARKETS_BY_COUNTRY.get(country or "")
    if market is None:
        return []
    named = _COUNTRY_ZONES.get(market.country, ())
    rest = [z for z in named if z != market.time_zone and z in _all_zones()]
    return [market.time_zone, *rest]


def country_default_zone(country: str | None) -> str | None:
    """The usual zone of ``country`` (JP: Asia/Tokyo), or None for an unknown country."""
    market = MARKETS_BY_COUNTRY.get(country or "")
    return market.time_zone if market else None


def zone_choices(country: str | None = None, *, keep: str = "") -> list[tuple[str, str]]:
    """Every zone name as (value, label), the country's own first (its usual zone on top);
    ``keep`` (a stored value that is a valid but rarely used name) stays among them."""
    first = country_zones(country)
    others = sorted(z for z in _all_zones() | ({keep} if keep else set()) if z not in first)
    return [(z, z.replace("_", " ")) for z in (*first, *others)]


def zone_lookup(value: str | None) -> str | None:
    """The zone name meant by ``value``: a zone name in any case ("asia/tokyo"), or a zone's
    city when only one zone has it ("Tokyo", "ho chi minh"). None when nothing matches."""
    text = (value or "").strip()
    if not text:
        return None
    names = {z.casefold(): z for z in available_timezones()}
    exact = names.get(text.casefold())
    if exact:
        return exact
    city = text.replace(" ", "_").casefold()
    matches = [z for z in _all_zones() if z.rsplit("/", 1)[-1].casefold() == city]
    return matches[0] if len(matches) == 1 else None


@functools.cache
def _all_zones() -> frozenset[str]:
    """The zone names people choose from: Area/City names and UTC (not the legacy aliases such
    as "Japan" or "US/Eastern", nor the Etc/GMT offsets, whose signs read backwards)."""
    names = {z for z in available_timezones() if z.split("/", 1)[0] in _AREAS and "/" in z}
    return frozenset(names | {"UTC"})


_AREAS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
          "Indian", "Pacific"}  # fmt: skip


# Countries of the markets with more than one zone in use (the usual one is in ``MARKETS``).
_COUNTRY_ZONES = {
    "ID": ("Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"),
    "MY": ("Asia/Kuala_Lumpur", "Asia/Kuching"),
    "VN": ("Asia/Ho_Chi_Minh", "Asia/Bangkok"),
    "CN": ("Asia/Shanghai", "Asia/Urumqi"),
    "US": (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    ),
    "DE": ("Europe/Berlin",),
    "FR": ("Europe/Paris",),
    "NL": ("Europe/Amsterdam",),
    "IT": ("Europe/Rome",),
    "ES": ("Europe/Madrid", "Atlantic/Canary"),
}
