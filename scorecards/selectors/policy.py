"""The vendor's scorecard policy, read by every area of the app, and what computing its
scorecards needs to know (read in one query by the computation, the nightly requests and the
listeners on reporting's events)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from partners.models import Vendor
from scorecards.models import ScorecardPolicy


def policy_get(*, vendor: Vendor) -> ScorecardPolicy:
    """The vendor's scorecard policy (the defaults, unsaved, when it has none yet: a page view
    never writes one)."""
    return ScorecardPolicy.objects.filter(vendor=vendor).first() or ScorecardPolicy(vendor=vendor)


@dataclass(frozen=True)
class ScoringSettings:
    """A vendor's settings as the scorecard computation reads them."""

    fiscal_year_start_month: int
    amber_from_percent: int
    has_kpis: bool  # any KPI at all: a vendor without is not scored
    sources: tuple[str, ...]  # the sources of the active KPIs on a template


_SETTINGS_SQL = """
SELECT v.fiscal_year_start_month,
       (SELECT p.amber_from_percent FROM scorecards_scorecardpolicy p WHERE p.vendor_id = v.id),
       EXISTS (SELECT 1 FROM scorecards_kpi k WHERE k.vendor_id = v.id),
       ARRAY(SELECT DISTINCT k.source
               FROM scorecards_kpi k
               JOIN scorecards_templatekpi tk ON tk.kpi_id = k.id AND tk.vendor_id = k.vendor_id
              WHERE k.vendor_id = v.id AND k.is_active)
  FROM partners_vendor v
 WHERE v.id = %(vendor)s
"""


def scoring_settings(*, vendor_id: int) -> ScoringSettings:
    """The vendor's fiscal year start, amber threshold (the policy model's default when the
    vendor has no policy yet), whether it has KPIs and the sources in use. One query; call it
    inside the vendor's scope."""
    with connection.cursor() as cursor:
        cursor.execute(_SETTINGS_SQL, {"vendor": int(vendor_id)})
        fiscal_month, amber_from, has_kpis, sources = cursor.fetchone()
    if amber_from is None:
        amber_from = ScorecardPolicy._meta.get_field("amber_from_percent").get_default()
    return ScoringSettings(fiscal_month, amber_from, has_kpis, tuple(sources or ()))
