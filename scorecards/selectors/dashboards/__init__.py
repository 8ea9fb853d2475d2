"""Reads of the dashboards: the period picker, the distributors' scorecard table, one
distributor's scorecard with gaps and trends, the executive portfolio, the "needs attention"
list of the staff home, and the panels on the homes and the distributor page.

Every selector takes ``vendor`` and ``actor``; a distributor's people reach only their own
distributor's scorecard (another distributor's is a 404) and never a rank or another
distributor's figures. Query counts do not grow with the number of distributors: each list is
one query with what its rows show joined or annotated in.

The modules, by sub-domain: ``periods`` (period choice and the table's filters), ``table`` (the
table and its export), ``scorecard`` (one distributor's page), ``portfolio``, ``attention`` (the
needs-attention SQL and its kinds) and ``panels`` (the home panels). The value labels live in
``scorecards.labels``. This package re-exports what callers use as
``from scorecards.selectors import dashboards as sel; sel.<name>``.
"""

from __future__ import annotations

from scorecards.labels import attainment_label, gap_words, money_label, value_label
from scorecards.selectors.dashboards.attention import (
    ATTENTION_KINDS,
    ATTENTION_LIMIT,
    ATTENTION_WINDOW_DAYS,
    NOTICE_AHEAD_DAYS,
    PANEL_ITEMS,
    URGENT_SEVERITY,
    AttentionItem,
    AttentionKind,
    needs_attention,
)
from scorecards.selectors.dashboards.panels import (
    distributor_scorecard_panel,
    my_standing_panel,
    staff_attention_panel,
)
from scorecards.selectors.dashboards.periods import (
    FAMILY_FIELDS,
    PERIOD_CHOICES_MAX,
    RAG_ORDER,
    TREND_PERIODS,
    Period,
    PeriodChoice,
    TableFilters,
    period_choose,
    period_label,
)
from scorecards.selectors.dashboards.portfolio import (
    MOVERS,
    NO_CONTRACT,
    PHASE_ORDER,
    RAG_COUNTS,
    Group,
    Portfolio,
    contract_phase_on,
    portfolio,
)
from scorecards.selectors.dashboards.scorecard import (
    FamilyBlock,
    KpiLine,
    ScorecardPage,
    distributor_for_scorecard_or_404,
    kpi_actuals_of,
    scorecard_page,
)
from scorecards.selectors.dashboards.table import (
    NO_TEMPLATE,
    NOT_COMPUTED,
    TableRows,
    missing_label,
    scorecard_cards,
    scorecard_export_table,
    scorecard_list_for_actor,
    scorecard_missing,
    scorecard_table,
)
from scorecards.selectors.policy import policy_get

__all__ = [
    "ATTENTION_KINDS",
    "ATTENTION_LIMIT",
    "ATTENTION_WINDOW_DAYS",
    "FAMILY_FIELDS",
    "MOVERS",
    "NOTICE_AHEAD_DAYS",
    "NOT_COMPUTED",
    "NO_CONTRACT",
    "NO_TEMPLATE",
    "PANEL_ITEMS",
    "PERIOD_CHOICES_MAX",
    "PHASE_ORDER",
    "RAG_COUNTS",
    "RAG_ORDER",
    "TREND_PERIODS",
    "URGENT_SEVERITY",
    "AttentionItem",
    "AttentionKind",
    "FamilyBlock",
    "Group",
    "KpiLine",
    "Period",
    "PeriodChoice",
    "Portfolio",
    "ScorecardPage",
    "TableFilters",
    "TableRows",
    "attainment_label",
    "contract_phase_on",
    "distributor_for_scorecard_or_404",
    "distributor_scorecard_panel",
    "gap_words",
    "kpi_actuals_of",
    "missing_label",
    "money_label",
    "my_standing_panel",
    "needs_attention",
    "period_choose",
    "period_label",
    "policy_get",
    "portfolio",
    "scorecard_cards",
    "scorecard_export_table",
    "scorecard_list_for_actor",
    "scorecard_missing",
    "scorecard_page",
    "scorecard_table",
    "staff_attention_panel",
    "value_label",
]
