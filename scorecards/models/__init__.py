"""KPIs, targets and computed scorecards (exclusivity verdicts and corrective plans join them
with their issue). Each area keeps its models in a module beside this one."""

from .actuals import SCORED_STATUSES, KpiActual, Level, Rag, Scorecard, ScorecardRecompute
from .catalogue import (
    TEMPLATE_MAX_KPIS,
    TEMPLATE_MIN_KPIS,
    Kpi,
    KpiAggregation,
    KpiDirection,
    KpiFamily,
    KpiSource,
    KpiUnit,
    ScorecardAssignment,
    ScorecardPolicy,
    ScorecardTemplate,
    TemplateKpi,
)
from .exclusivity import (
    QUALIFYING_OUTCOMES,
    WARNED_OUTCOMES,
    ExclusivityRules,
    ExclusivityRun,
    ExclusivityVerdict,
    VerdictOutcome,
)
from .targets import ExchangeRate, KpiEntry, PeriodKind, RampCurve, Target, TargetSource

__all__ = [
    "QUALIFYING_OUTCOMES",
    "WARNED_OUTCOMES",
    "ExclusivityRules",
    "ExclusivityRun",
    "ExclusivityVerdict",
    "VerdictOutcome",
    "SCORED_STATUSES",
    "TEMPLATE_MAX_KPIS",
    "TEMPLATE_MIN_KPIS",
    "ExchangeRate",
    "Kpi",
    "KpiActual",
    "KpiAggregation",
    "KpiDirection",
    "KpiEntry",
    "KpiFamily",
    "KpiSource",
    "KpiUnit",
    "Level",
    "PeriodKind",
    "Rag",
    "RampCurve",
    "Scorecard",
    "ScorecardAssignment",
    "ScorecardPolicy",
    "ScorecardRecompute",
    "ScorecardTemplate",
    "Target",
    "TargetSource",
    "TemplateKpi",
]
