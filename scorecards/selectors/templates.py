"""Which scorecard template each distributor is scored on, resolved in SQL for a whole vendor."""

from __future__ import annotations

from django.db import connection

from scorecards.metrics import DISTRIBUTOR_TEMPLATES_SQL


def distributor_template_ids(*, vendor_id: int) -> dict[int, int]:
    """``{distributor id: template id}`` for every distributor of the vendor (whatever its
    status) that has a template: its assignment, else the template listing its country, else
    the vendor's default. One SQL query; call it inside the vendor's tenant scope."""
    with connection.cursor() as cursor:
        cursor.execute(DISTRIBUTOR_TEMPLATES_SQL, {"vendor": int(vendor_id)})
        return {row[0]: row[1] for row in cursor.fetchall()}
