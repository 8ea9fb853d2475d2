"""Conditional exclusivity: the quarterly evaluation, its notices, applying revokes, and the
overrides people make. What the rules mean is in ``scorecards.models.exclusivity``.

The evaluation of a vendor's quarter is a few statements whatever the number of distributors:
one SELECT gathers, for every exclusive scope line in force at the quarter's end, the facts the
rules need (``scorecards.selectors.exclusivity_facts.exclusivity_line_facts`` as of the
quarter's last day, the fact base the standing during the quarter reads too); the outcome of
each line is decided from those facts in Python (no query); one ``INSERT ... ON CONFLICT DO
NOTHING`` writes the verdicts, and one UPDATE tells the contract of the revokes (exclusive until
the day before they take effect). The unique key (vendor, scope line, quarter) makes a second or concurrent run
write nothing. Notices are claimed with a conditional UPDATE (``notified_at IS NULL``) and each
e-mail carries a dedupe key per verdict and recipient, so a re-run after a failure queues what
is missing and nothing twice.

The modules, by sub-domain: ``evaluate`` (facts to verdicts), ``notices``, ``revokes`` (applying
revokes and the daily job), ``overrides`` (overrides and holds) and ``rules`` (rule updates).
This package re-exports the public services.
"""

from __future__ import annotations

from scorecards.services.exclusivity.evaluate import (
    exclusivity_evaluate,
    line_evidence,
    verdict_effective_on,
    verdict_outcome,
)
from scorecards.services.exclusivity.notices import exclusivity_notices_queue
from scorecards.services.exclusivity.overrides import verdict_hold, verdict_override
from scorecards.services.exclusivity.revokes import exclusivity_daily, exclusivity_revokes_apply
from scorecards.services.exclusivity.rules import RULE_FIELDS, exclusivity_rules_update

__all__ = [
    "RULE_FIELDS",
    "exclusivity_daily",
    "exclusivity_evaluate",
    "exclusivity_notices_queue",
    "exclusivity_revokes_apply",
    "exclusivity_rules_update",
    "line_evidence",
    "verdict_effective_on",
    "verdict_hold",
    "verdict_outcome",
    "verdict_override",
]
