"""Which scorecard template each distributor is scored on, resolved in SQL for a whole vendor."""

from __future__ import annotations

from django.db import connection

# The template of each distributor of a vendor: its own assignment, else the template listing its
# country (the first by name, as the templates page shows), else the vendor's default. Used as a
# CTE by the computation and on its own by ``distributor_template_ids``. Parameter:
# ``%(vendor)s``; yields (distributor_id, template_id, currency, status); distributors without
# any template are left out.
DISTRIBUTOR_TEMPLATES_SQL = """
SELECT d.id AS distributor_id,
       COALESCE(a.template_id, ct.id, dt.id) AS template_id,
       d.currency, d.status
  FROM partners_distributor d
  LEFT JOIN scorecards_scorecardassignment a
         ON a.vendor_id = d.vendor_id AND a.distributor_id = d.id
  LEFT JOIN LATERAL (
        SELECT t.id FROM scorecards_scorecardtemplate t
         WHERE t.vendor_id = d.vendor_id AND d.country = ANY(t.countries)
         ORDER BY t.name, t.id LIMIT 1
       ) ct ON a.template_id IS NULL
  LEFT JOIN scorecards_scorecardtemplate dt
         ON dt.vendor_id = d.vendor_id AND dt.is_default
 WHERE d.vendor_id = %(vendor)s
   AND COALESCE(a.template_id, ct.id, dt.id) IS NOT NULL
"""


def distributor_template_ids(*, vendor_id: int) -> dict[int, int]:
    """``{distributor id: template id}`` for every distributor of the vendor (whatever its
    status) that has a template: its assignment, else the template listing its country, else
    the vendor's default. One SQL query; call it inside the vendor's tenant scope."""
    with connection.cursor() as cursor:
        cursor.execute(DISTRIBUTOR_TEMPLATES_SQL, {"vendor": int(vendor_id)})
        return {row[0]: row[1] for row in cursor.fetchall()}
