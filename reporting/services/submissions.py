"""A distributor fills in its weekly update or monthly summary: drafts (saved as typed, nothing
required) and submissions (fully validated, each kept as a numbered ``ReportVersion``).

The content ``data`` has the shape of the content models: the weekly counts, ``blockers`` (a list
of ``{"tag", "text"}``) and ``priorities`` (a list of strings); the monthly fields by name.
Validation errors are keyed by field name; a problem with one blocker or priority is keyed by its
place on the form (``blocker_2_text``, ``priority_1``), so the page and the API can point at it.

The rules, kept simple on purpose (real data is messy):

* every count is a whole number from 0 to 1,000,000;
* a weekly update names one to three priorities and at most three blockers, each with a tag and
  a few words;
* a monthly summary needs units sold, revenue, leads, quotes and orders. Units sold may be
  negative (returns larger than sales in the month), and revenue may only be negative then.
  Leads, quotes and orders need not narrow down (orders may come from earlier quotes).
"""

from __future__ import annotations

import decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Membership, Vendor
from partners.services.audit import audit_record
from reporting import events
from reporting.models import (
    MonthlySummary,
    Report,
    ReportStatus,
    ReportVersion,
    WeeklyBlockerTag,
    WeeklyUpdate,
)
from reporting.models.reports import HANDED_IN_STATUSES, MAX_BLOCKERS, MAX_PRIORITIES

MAX_COUNT = 1_000_000
MAX_MONEY = decimal.Decimal("99999999999999.99")  # 16 digits, 2 decimals (the column's limit)
MAX_TEXT = 2_000
MAX_SHORT_TEXT = 300

WEEKLY_COUNT_FIELDS = (
    "new_leads",
    "meetings_held",
    "opportunities_discovery",
    "opportunities_proposal",
    "opportunities_negotiation",
)
WEEKLY_FIELDS = (*WEEKLY_COUNT_FIELDS, "blockers", "priorities")
MONTHLY_COUNT_FIELDS = (
    "leads",
    "quotes",
    "orders",
    "inventory_units",
    "stockouts",
    "forecast_units",
)
MONTHLY_MONEY_FIELDS = ("revenue", "forecast_revenue")
MONTHLY_TEXT_FIELDS = ("stockout_notes", "forecast_notes", "marketing_actions", "escalations")
MONTHLY_FIELDS = (
    "units_sold",
    "revenue",
    "leads",
    "quotes",
    "orders",
    "inventory_units",
    "stockouts",
    "stockout_notes",
    "forecast_units",
    "forecast_revenue",
    "forecast_notes",
    "marketing_actions",
    "escalations",
)
MONTHLY_REQUIRED = ("units_sold", "revenue", "leads", "quotes", "orders")
# What the next period's form starts from (see ``report_prefill``).
WEEKLY_CARRIED = ("opportunities_discovery", "opportunities_proposal", "opportunities_negotiation",
                  "priorities")  # fmt: skip
MONTHLY_CARRIED = ("inventory_units", "forecast_notes")


def content_fields(report: Report) -> tuple[str, ...]:
    """The names of the content fields of ``report``'s kind."""
    return WEEKLY_FIELDS if report.is_weekly else MONTHLY_FIELDS


# --- reading the content -----------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    return value


def report_content_data(report: Report) -> dict:
    """A JSON-safe snapshot of the report's content (Decimals as strings), as stored in a
    ``ReportVersion``. Empty fields are None (or empty lists and texts); a report without
    content yet gives every field empty. Monthly data also names its currency."""
    content = report.content
    data = {}
    for name in content_fields(report):
        value = getattr(content, name) if content is not None else None
        if value is None and name in ("blockers", "priorities"):
            value = []
        elif value is None and name in MONTHLY_TEXT_FIELDS:
            value = ""
        data[name] = _json_safe(value)
    if not report.is_weekly:
        data["currency"] = content.currency if content is not None else report.distributor.currency
    return data


def report_prefill(*, vendor: Vendor, report: Report) -> dict:
    """Initial values for a report nobody has started, from the same distributor's latest
    earlier report of the same kind that was handed in (its latest version): a weekly update
    carries the open opportunities per stage and the priorities, a monthly summary the
    inventory and the forecast notes. Empty when there is no such report."""
    previous = (
        Report.objects.filter(
            vendor=vendor,
            distributor_id=report.distributor_id,
            kind=report.kind,
            period_start__lt=report.period_start,
            status__in=HANDED_IN_STATUSES,
        )
        .order_by("-period_start")
        .first()
    )
    if previous is None:
        return {}
    version = (
        ReportVersion.objects.filter(vendor=vendor, report=previous).order_by("-number").first()
    )
    if version is None:
        return {}
    carried = WEEKLY_CARRIED if report.is_weekly else MONTHLY_CARRIED
    return {
        name: version.data[name] for name in carried if version.data.get(name) not in (None, "", [])
    }


# --- validation --------------------------------------------------------------------------------


def _count(value: Any, *, allow_negative: bool = False) -> int:
    """A whole number from ``data`` (an int, or a string of digits from a form or JSON)."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, str):
        value = value.strip()
        if not value.lstrip("-").isdigit():
            raise ValueError
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValueError
    low = -MAX_COUNT if allow_negative else 0
    if not low <= value <= MAX_COUNT:
        raise OverflowError
    return value


def _money(value: Any) -> decimal.Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError
    try:
        amount = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise ValueError from None
    if not amount.is_finite() or amount != amount.quantize(decimal.Decimal("0.01")):
        raise ValueError
    if abs(amount) > MAX_MONEY:
        raise OverflowError
    return amount.quantize(decimal.Decimal("0.01"))


def _text(value: Any, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError
    value = value.strip()
    if len(value) > limit:
        raise OverflowError
    return value


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_counts(data, names, cleaned, errors, *, negative=()) -> None:
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if _is_empty(value):
            cleaned[name] = None
            continue
        try:
            cleaned[name] = _count(value, allow_negative=name in negative)
        except ValueError:
            errors[name] = _("Enter a whole number.")
        except OverflowError:
            if name in negative:
                errors[name] = _("Enter a number between -1,000,000 and 1,000,000.")
            else:
                errors[name] = _("Enter a number from 0 to 1,000,000.")


def _clean_blockers(value, errors) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors["blockers"] = _("Blockers must be a list.")
        return []
    blockers = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            errors[f"blocker_{index}_text"] = _("Each blocker needs a tag and a text.")
            continue
        tag = item.get("tag") or ""
        try:
            text = _text(item.get("text"), MAX_SHORT_TEXT)
        except ValueError:
            errors[f"blocker_{index}_text"] = _("Describe the blocker in a few words.")
            continue
        except OverflowError:
            errors[f"blocker_{index}_text"] = _("Keep it under %(limit)s characters.") % {
                "limit": MAX_SHORT_TEXT
            }
            continue
        if tag and tag not in WeeklyBlockerTag.values:
            errors[f"blocker_{index}_tag"] = _("Choose pricing, stock, competitor or compliance.")
            continue
        if tag or text:
            blockers.append({"tag": tag, "text": text, "_place": index})
    if len(blockers) > MAX_BLOCKERS:
        errors["blockers"] = _("Name at most three blockers.")
    return blockers


def _clean_priorities(value, errors) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors["priorities"] = _("Priorities must be a list.")
        return []
    priorities = []
    for index, item in enumerate(value, start=1):
        try:
            text = _text(item, MAX_SHORT_TEXT)
        except ValueError:
            errors[f"priority_{index}"] = _("Write the priority as text.")
            continue
        except OverflowError:
            errors[f"priority_{index}"] = _("Keep it under %(limit)s characters.") % {
                "limit": MAX_SHORT_TEXT
            }
            continue
        if text:
            priorities.append(text)
    if len(priorities) > MAX_PRIORITIES:
        errors["priorities"] = _("Name at most three priorities.")
    return priorities


def _clean(report: Report, data: dict, *, complete: bool) -> dict:
    """Check the types and ranges of the fields present in ``data`` (drafts) and, when
    ``complete``, that everything a submission needs is there. Raises a ValidationError keyed by
    field name; returns the cleaned values of the fields present."""
    if not isinstance(data, dict):
        raise ValidationError(_("The report content must be a set of fields."))
    allowed = content_fields(report)
    unknown = sorted(set(data) - set(allowed) - {"currency"})
    errors: dict[str, str] = {}
    for name in unknown:
        errors[name] = _("This field does not belong to this report.")
    cleaned: dict[str, Any] = {}
    if report.is_weekly:
        _clean_counts(data, WEEKLY_COUNT_FIELDS, cleaned, errors)
        if "blockers" in data:
            cleaned["blockers"] = _clean_blockers(data["blockers"], errors)
        if "priorities" in data:
            cleaned["priorities"] = _clean_priorities(data["priorities"], errors)
    else:
        _clean_counts(data, ("units_sold",), cleaned, errors, negative=("units_sold",))
        _clean_counts(data, MONTHLY_COUNT_FIELDS, cleaned, errors)
        for name in MONTHLY_MONEY_FIELDS:
            if name not in data:
                continue
            if _is_empty(data[name]):
                cleaned[name] = None
                continue
            try:
                cleaned[name] = _money(data[name])
            except ValueError:
                errors[name] = _("Enter an amount, with at most two decimals.")
            except OverflowError:
                errors[name] = _("This amount is too large.")
        for name in MONTHLY_TEXT_FIELDS:
            if name not in data:
                continue
            try:
                cleaned[name] = _text(data[name], MAX_TEXT)
            except ValueError:
                errors[name] = _("Enter text.")
            except OverflowError:
                errors[name] = _("Keep it under %(limit)s characters.") % {"limit": MAX_TEXT}
        if cleaned.get("forecast_revenue") is not None and cleaned["forecast_revenue"] < 0:
            errors["forecast_revenue"] = _("The forecast cannot be negative.")
    if complete:
        # All at once: what is missing is said beside the fields already found wrong.
        _check_complete(report, cleaned, errors)
    if errors:
        raise ValidationError(errors)
    if "blockers" in cleaned:
        cleaned["blockers"] = [{"tag": b["tag"], "text": b["text"]} for b in cleaned["blockers"]]
    return cleaned


def _check_complete(report: Report, cleaned: dict, errors: dict) -> None:
    """Add what a submission lacks to ``errors``, keeping any error a field already has (a
    field that could not be read is not also called missing)."""
    required = _("This field is required.")
    if report.is_weekly:
        for name in WEEKLY_COUNT_FIELDS:
            if cleaned.get(name) is None:
                errors.setdefault(name, required)
        for blocker in cleaned.get("blockers", []):
            place = blocker["_place"]
            if not blocker["tag"]:
                errors.setdefault(f"blocker_{place}_tag", _("Tag the blocker."))
            if not blocker["text"]:
                errors.setdefault(
                    f"blocker_{place}_text", _("Describe the blocker in a few words.")
                )
        if not cleaned.get("priorities"):
            errors.setdefault("priority_1", _("Name at least one priority for next week."))
        return
    for name in MONTHLY_REQUIRED:
        if cleaned.get(name) is None:
            errors.setdefault(name, required)
    revenue, units = cleaned.get("revenue"), cleaned.get("units_sold")
    if revenue is not None and units is not None and revenue < 0 and units >= 0:
        errors.setdefault(
            "revenue",
            _("Revenue can only be negative when more units came back than were sold."),
        )


# --- writes ------------------------------------------------------------------------------------


def _check_writer(vendor: Vendor, actor: Membership | None, report: Report) -> None:
    """Only a distributor admin or user of the report's own distributor writes it."""
    if (
        actor is None
        or not actor.is_active
        or actor.vendor_id != vendor.id
        or report.vendor_id != vendor.id
        or not actor.is_distributor_role
        or actor.distributor_id != report.distributor_id
    ):
        raise PermissionDenied(_("Only the distributor's own people fill in its reports."))


def _not_editable() -> ValidationError:
    return ValidationError(
        _("This report has been handed in and can no longer be changed."), code="locked"
    )


def _content_for_update(report: Report) -> WeeklyUpdate | MonthlySummary:
    """The report's content row, locked, created empty if the report has none yet (a monthly
    summary is in the distributor's currency)."""
    if report.is_weekly:
        content: WeeklyUpdate | MonthlySummary
        content, _created = WeeklyUpdate.objects.select_for_update().get_or_create(
            vendor_id=report.vendor_id, report=report
        )
    else:
        content, _created = MonthlySummary.objects.select_for_update().get_or_create(
            vendor_id=report.vendor_id,
            report=report,
            defaults={"currency": report.distributor.currency},
        )
    return content


def _lock(vendor: Vendor, report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("distributor")
        .get(vendor=vendor, pk=report.pk)
    )


def _copy_state(target: Report, source: Report) -> None:
    for name in ("status", "submitted_at", "last_submitted_at", "submitted_by_id",
                 "draft_saved_at", "version_count", "updated_at"):  # fmt: skip
        setattr(target, name, getattr(source, name))
    for cache in ("weekly_update", "monthly_summary"):
        target._state.fields_cache.pop(cache, None)


def report_draft_save(*, vendor: Vendor, actor: Membership, report: Report, data: dict) -> Report:
    """Save what the person typed so far (any subset of the fields; types and ranges checked,
    nothing required). Creates the content row the first time, moves a report from "not
    started" to draft (a returned report stays returned) and stamps ``draft_saved_at``.

    Drafts are saved every few seconds while typing, so only starting one is audited."""
    _check_writer(vendor, actor, report)
    if not report.is_editable:
        raise _not_editable()
    cleaned = _clean(report, data, complete=False)
    with transaction.atomic():
        locked = _lock(vendor, report)
        if not locked.is_editable:
            raise _not_editable()
        content = _content_for_update(locked)
        for name, value in cleaned.items():
            setattr(content, name, value)
        content.save()
        started = locked.status == ReportStatus.PENDING
        if started:
            locked.status = ReportStatus.DRAFT
        locked.draft_saved_at = timezone.now()
        locked.save(update_fields=["status", "draft_saved_at", "updated_at"])
        if started:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="report.draft",
                obj=locked,
                changes={"status": [ReportStatus.PENDING, ReportStatus.DRAFT]},
            )
    _copy_state(report, locked)
    return report


def report_submit_check(*, vendor: Vendor, actor: Membership, report: Report, data: dict) -> None:
    """Raise the ValidationError ``report_submit`` would raise for ``data`` laid over the saved
    draft, writing nothing: a form whose own checks failed still shows, beside its fields,
    everything else the submission lacks (all errors at once)."""
    _check_writer(vendor, actor, report)
    if not report.is_editable:
        raise _not_editable()
    if not isinstance(data, dict):
        _clean(report, data, complete=False)  # says what shape the content must have
    merged = {**report_content_data(report), **data}
    merged.pop("currency", None)
    _clean(report, merged, complete=True)


def report_submit(*, vendor: Vendor, actor: Membership, report: Report, data: dict) -> Report:
    """Hand the report in. ``data`` is laid over the saved draft (so an API client may send only
    what changed since its last draft) and the whole is validated; then the content is saved, a
    new ``ReportVersion`` is kept (numbered after the last, late when handed in after the due
    moment) and the report becomes submitted, or resubmitted when it had been returned.
    ``submitted_at`` keeps the first submission (lateness is judged on it)."""
    # Every error at once (types and what is missing), before touching anything.
    report_submit_check(vendor=vendor, actor=actor, report=report, data=data)
    with transaction.atomic():
        locked = _lock(vendor, report)
        if not locked.is_editable:
            raise _not_editable()
        merged = {**report_content_data(locked), **data}
        merged.pop("currency", None)
        cleaned = _clean(locked, merged, complete=True)
        content = _content_for_update(locked)
        for name, value in cleaned.items():
            setattr(content, name, value)
        content.save()
        locked._state.fields_cache.pop("weekly_update", None)
        locked._state.fields_cache.pop("monthly_summary", None)
        now = timezone.now()
        before = locked.status
        locked.status = (
            ReportStatus.RESUBMITTED if before == ReportStatus.RETURNED else ReportStatus.SUBMITTED
        )
        if locked.submitted_at is None:
            locked.submitted_at = now
        locked.last_submitted_at = now
        locked.submitted_by = actor
        locked.version_count += 1
        locked.save(
            update_fields=[
                "status",
                "submitted_at",
                "last_submitted_at",
                "submitted_by",
                "version_count",
                "updated_at",
            ]  # fmt: skip
        )
        version = ReportVersion.objects.create(
            vendor=vendor,
            report=locked,
            number=locked.version_count,
            data=report_content_data(locked),
            submitted_by=actor,
            submitted_at=now,
            was_late=now > locked.due_at,
        )
        audit_record(
            vendor=vendor,
            actor=actor,
            action="report.resubmit" if before == ReportStatus.RETURNED else "report.submit",
            obj=locked,
            changes={"status": [before, locked.status], "version": [None, version.number]},
        )
        events.announce(
            events.REPORT_SUBMITTED,
            vendor_id=vendor.id,
            distributor_id=locked.distributor_id,
            kind=locked.kind,
            period_start=locked.period_start,
        )
    _copy_state(report, locked)
    return report
