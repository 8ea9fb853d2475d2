"""Template filters that show an audit event in words (see ``partners.audit_words``)."""

from django import template

from partners.audit_words import (
    audit_action_label,
    audit_field_label,
    audit_object_label,
    audit_value_label,
)

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """``training.attendance.add`` → "Training attendance added" in the reader's language."""
    return audit_action_label(code)


@register.filter
def audit_object(model_name: str) -> str:
    """An event's object type in words."""
    return audit_object_label(model_name)


@register.filter
def audit_changes(event) -> list[tuple[str, object, object]]:
    """An event's changes as ``(field label, old, new)``, choice codes by their labels."""
    rows = []
    for name, change in (event.changes or {}).items():
        old, new = (list(change) + [None, None])[:2] if isinstance(change, list) else (None, change)
        rows.append(
            (
                audit_field_label(event.object_type, name),
                audit_value_label(event.object_type, name, old),
                audit_value_label(event.object_type, name, new),
            )
        )
    return rows
