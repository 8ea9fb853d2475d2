from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from partners.models import AuditEvent, Membership, User, Vendor


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` of ``obj`` in a JSON-friendly form (foreign keys as ids)."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        assert isinstance(field, models.Field), f"{name} is not a column of {obj._meta.label}"
        result[name] = _plain(getattr(obj, field.attname))
    return result


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value differs."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def audit_record(
    *,
    vendor: Vendor,
    actor: Membership | User | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``obj`` in ``vendor``'s workspace."""
    user = actor.user if isinstance(actor, Membership) else actor
    return AuditEvent.objects.create(
        vendor=vendor,
        actor=user,
        actor_label=(user.email if user else "system"),
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        object_repr=str(obj)[:254],
        changes=changes or {},
    )


def audit_record_many(
    *,
    vendor: Vendor,
    actor: Membership | User | None,
    action: str,
    objs: Sequence[models.Model],
    changes: Sequence[dict[str, Any]],
) -> list[AuditEvent]:
    """``audit_record`` for many objects in one insert (a job acting on a set): one event per
    object, ``changes[i]`` belonging to ``objs[i]``."""
    user = actor.user if isinstance(actor, Membership) else actor
    return AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                vendor=vendor,
                actor=user,
                actor_label=(user.email if user else "system"),
                action=action,
                object_type=obj._meta.model_name or "",
                object_id=str(obj.pk),
                object_repr=str(obj)[:254],
                changes=change or {},
            )
            for obj, change in zip(objs, changes, strict=True)
        ],
        batch_size=500,
    )
