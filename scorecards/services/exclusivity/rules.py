"""The vendor's exclusivity rules: update."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners import roles
from partners.models import Membership, Vendor
from partners.services.audit import audit_record
from scorecards.models import ExclusivityRules

RULE_FIELDS = [
    "launch_days",
    "require_revenue",
    "require_weekly_on_time",
    "weekly_on_time_percent",
    "require_monthly_summaries",
    "require_qbr",
    "warning_quarters",
    "scale_after_quarters",
    "evaluate_after_days",
]


def exclusivity_rules_update(*, vendor: Vendor, actor: Membership, **fields) -> ExclusivityRules:
    """Change the vendor's exclusivity rules (vendor admins only; validated; audited). They
    apply to the quarters evaluated from then on; verdicts already recorded keep theirs."""
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied(_("Only vendor admins change the exclusivity rules."))
    unknown = set(fields) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown rule fields: {sorted(unknown)}")
    errors = {}
    for name, low, high in (
        ("launch_days", 0, 730),
        ("weekly_on_time_percent", 0, 100),
        ("warning_quarters", 0, 8),
        ("scale_after_quarters", 1, 20),
        ("evaluate_after_days", 0, 60),
    ):
        if name in fields:
            value = fields[name]
            if value is None or not (low <= int(value) <= high):
                errors[name] = _("Enter a whole number from %(low)s to %(high)s.") % {
                    "low": low,
                    "high": high,
                }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rules, _created = ExclusivityRules.objects.select_for_update().get_or_create(vendor=vendor)
        before = {name: getattr(rules, name) for name in RULE_FIELDS}
        for name, value in fields.items():
            setattr(rules, name, value)
        rules.save()
        changes = {
            name: [before[name], getattr(rules, name)]
            for name in RULE_FIELDS
            if before[name] != getattr(rules, name)
        }
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="exclusivity.rules.update",
                obj=rules,
                changes=changes,
            )
    return rules
