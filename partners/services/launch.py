"""The 30-day launch checklist of a distributor that goes active, and the vendor's template it
is copied from."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from partners import roles
from partners.models import (
    DEFAULT_ITEMS,
    ContactRole,
    Distributor,
    DistributorContact,
    DistributorStatus,
    LaunchChecklist,
    LaunchChecklistItem,
    LaunchSide,
    LaunchTemplate,
    LaunchTemplateItem,
    Membership,
    Role,
    Vendor,
)
from partners.models.launch import LAUNCH_WEEKS, MAX_DUE_DAY
from partners.selectors.launch import english, launch_template_rows

from .audit import audit_record, changes_between, snapshot

TEMPLATE_ITEM_FIELDS = ["week", "title", "description", "side", "due_day"]
AUDIT_ITEM_FIELDS = [*TEMPLATE_ITEM_FIELDS, "position", "default_key"]


# --- permissions -------------------------------------------------------------------------------


def _check_vendor_admin(actor: Membership | None) -> None:
    if not roles.is_vendor_admin(actor):
        raise PermissionDenied(_("Only vendor admins edit the launch template."))


def _check_same_vendor(vendor: Vendor, *objs) -> None:
    for obj in objs:
        if obj is not None and obj.vendor_id != vendor.id:
            raise PermissionDenied


# --- the template ------------------------------------------------------------------------------


def _seed_defaults(vendor: Vendor, template: LaunchTemplate) -> list[LaunchTemplateItem]:
    items = []
    for week in LAUNCH_WEEKS:
        for position, default in enumerate(d for d in DEFAULT_ITEMS if d.week == week):
            items.append(
                LaunchTemplateItem(
                    vendor=vendor,
                    template=template,
                    week=week,
                    position=position,
                    title=english(default.title),
                    description=english(default.description),
                    side=default.side,
                    due_day=default.due_day,
                    default_key=default.key,
                )
            )
    return LaunchTemplateItem.objects.bulk_create(items)


def launch_template_ensure(*, vendor: Vendor, actor: Membership) -> LaunchTemplate:
    """The vendor's stored template, creating it with the standard four weeks the first time it
    is edited. Safe under concurrent calls (one row per vendor, created under its unique key)."""
    _check_vendor_admin(actor)
    template = LaunchTemplate.objects.filter(vendor=vendor).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            template = LaunchTemplate.objects.create(vendor=vendor)
            _seed_defaults(vendor, template)
            audit_record(vendor=vendor, actor=actor, action="launch_template.create", obj=template)
    except IntegrityError:
        template = LaunchTemplate.objects.get(vendor=vendor)
    return template


def _clean_item_fields(fields: dict) -> dict:
    unknown = set(fields) - set(TEMPLATE_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown launch template fields: {sorted(unknown)}")
    errors = {}
    if "week" in fields and fields["week"] not in LAUNCH_WEEKS:
        errors["week"] = _("Choose a week from 1 to 4.")
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            errors["title"] = _("Give the item a title.")
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "side" in fields and fields["side"] not in LaunchSide.values:
        errors["side"] = _("Say whose job this is: the vendor side or the distributor side.")
    if "due_day" in fields:
        due_day = fields["due_day"]
        if not isinstance(due_day, int) or not 1 <= due_day <= MAX_DUE_DAY:
            errors["due_day"] = _("The due day must be between 1 and %(max)s.") % {
                "max": MAX_DUE_DAY
            }
    if errors:
        raise ValidationError(errors)
    return fields


def _next_position(template: LaunchTemplate, week: int) -> int:
    top = template.items.filter(week=week).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def launch_template_item_create(*, vendor: Vendor, actor: Membership, **fields):
    """Add an item at the end of its week of the vendor's launch template."""
    _check_vendor_admin(actor)
    missing = {"week", "title", "side", "due_day"} - set(fields)
    if missing:
        raise ValidationError({name: _("This field is required.") for name in sorted(missing)})
    fields = _clean_item_fields(dict(fields))
    with transaction.atomic():
        template = launch_template_ensure(vendor=vendor, actor=actor)
        template = LaunchTemplate.objects.select_for_update().get(pk=template.pk)
        item = LaunchTemplateItem.objects.create(
            vendor=vendor,
            template=template,
            position=_next_position(template, fields["week"]),
            **fields,
        )
        audit_record(
            vendor=vendor,
            actor=actor,
            action="launch_template_item.create",
            obj=item,
            changes=changes_between({}, snapshot(item, AUDIT_ITEM_FIELDS)),
        )
    return item


def launch_template_item_update(
    *, vendor: Vendor, actor: Membership, item: LaunchTemplateItem, **fields
) -> LaunchTemplateItem:
    """Change an item of the template. Changing the title or description of a standard item
    makes it the vendor's own text (its ``default_key`` goes, so it is no longer translated);
    moving it to another week puts it at the end of that week."""
    _check_vendor_admin(actor)
    _check_same_vendor(vendor, item)
    fields = _clean_item_fields(dict(fields))
    with transaction.atomic():
        template = LaunchTemplate.objects.select_for_update().get(pk=item.template_id)
        stored = LaunchTemplateItem.objects.select_for_update().get(pk=item.pk)
        before = snapshot(stored, AUDIT_ITEM_FIELDS)
        if stored.default_key:
            # Compare with what the reader was shown (the translated default), so saving the
            # edit form unchanged in Japanese does not turn the default into a custom text.
            shown = {"title": stored.display_title, "description": stored.display_description}
            english = {"title": stored.title, "description": stored.description}
            for name in ("title", "description"):
                if name in fields and fields[name] in (shown[name], english[name]):
                    fields[name] = english[name]
        for name, value in fields.items():
            setattr(stored, name, value)
        if stored.default_key and (
            stored.title != before["title"] or stored.description != before["description"]
        ):
            stored.default_key = ""
        if stored.week != before["week"]:
            stored.position = _next_position(template, stored.week)
        stored.save()
        changes = changes_between(before, snapshot(stored, AUDIT_ITEM_FIELDS))
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="launch_template_item.update",
                obj=stored,
                changes=changes,
            )
    return stored


def launch_template_item_move(
    *, vendor: Vendor, actor: Membership, item: LaunchTemplateItem, direction: str
) -> LaunchTemplateItem:
    """Swap an item with its neighbour above ("up") or below ("down") in the same week."""
    _check_vendor_admin(actor)
    _check_same_vendor(vendor, item)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move an item up or down.")})
    with transaction.atomic():
        template = LaunchTemplate.objects.select_for_update().get(pk=item.template_id)
        week_items = list(template.items.filter(week=item.week).order_by("position", "id"))
        index = next(i for i, row in enumerate(week_items) if row.pk == item.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(week_items):
            return week_items[index]  # already first (or last) in its week: nothing to do
        week_items[index], week_items[other] = week_items[other], week_items[index]
        for position, row in enumerate(week_items):
            row.position = position
        LaunchTemplateItem.objects.bulk_update(week_items, ["position"])
        moved = week_items[other]
        audit_record(
            vendor=vendor,
            actor=actor,
            action="launch_template_item.move",
            obj=moved,
            changes={"position": [index, other]},
        )
    return moved


def launch_template_item_delete(
    *, vendor: Vendor, actor: Membership, item: LaunchTemplateItem
) -> None:
    """Remove an item from the template (checklists already made keep their copy)."""
    _check_vendor_admin(actor)
    _check_same_vendor(vendor, item)
    with transaction.atomic():
        audit_record(
            vendor=vendor,
            actor=actor,
            action="launch_template_item.delete",
            obj=item,
            changes=changes_between(snapshot(item, AUDIT_ITEM_FIELDS), {}),
        )
        item.delete()


def launch_template_reset(*, vendor: Vendor, actor: Membership) -> LaunchTemplate:
    """Put the standard four weeks back, replacing every item of the vendor's template
    (checklists already made are not touched)."""
    _check_vendor_admin(actor)
    with transaction.atomic():
        template = launch_template_ensure(vendor=vendor, actor=actor)
        template = LaunchTemplate.objects.select_for_update().get(pk=template.pk)
        removed = template.items.count()
        template.items.all().delete()
        _seed_defaults(vendor, template)
        template.save(update_fields=["updated_at"])
        audit_record(
            vendor=vendor,
            actor=actor,
            action="launch_template.reset",
            obj=template,
            changes={"items": [removed, len(DEFAULT_ITEMS)]},
        )
    return template


# --- checklists --------------------------------------------------------------------------------


def _default_owners(distributor: Distributor) -> dict[str, dict]:
    """Who an item belongs to at first: the channel manager who owns the distributor for the
    vendor's side; for the distributor's side its first distributor admin with a login, or its
    "owner" contact when nobody there has a login."""
    vendor_side = {"owner_membership": distributor.owner} if distributor.owner_id else {}
    admin = (
        Membership.objects.filter(
            distributor=distributor, role=Role.DISTRIBUTOR_ADMIN, is_active=True
        )
        .order_by("created_at", "id")
        .first()
    )
    if admin is not None:
        distributor_side: dict[str, Membership | DistributorContact] = {"owner_membership": admin}
    else:
        contact = (
            DistributorContact.objects.filter(
                distributor=distributor, role=ContactRole.OWNER, is_active=True
            )
            .order_by("created_at", "id")
            .first()
        )
        distributor_side = {"owner_contact": contact} if contact else {}
    return {LaunchSide.VENDOR: vendor_side, LaunchSide.DISTRIBUTOR: distributor_side}


def launch_checklist_ensure(*, vendor, actor, distributor, start_date):
    """Create the distributor's launch checklist from the vendor's template, once: calling it
    again for the same distributor returns the existing checklist and changes nothing.

    Items are due ``start_date`` + their due day; each gets its first owner (see
    ``_default_owners``). ``actor`` is the person whose action made the distributor active (or
    None for the system); the distributor row is locked while the checklist is made, and the
    unique key per distributor settles any race that gets past the lock."""
    if actor is not None and not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers start a checklist."))
    _check_same_vendor(vendor, distributor, actor)
    if isinstance(start_date, dt.datetime):
        start_date = start_date.date()
    with transaction.atomic():
        Distributor.objects.select_for_update().filter(pk=distributor.pk).first()
        existing = LaunchChecklist.objects.filter(distributor=distributor).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                checklist = LaunchChecklist.objects.create(
                    vendor=vendor,
                    distributor=distributor,
                    start_date=start_date,
                    created_by=actor.user if actor else None,
                )
        except IntegrityError:
            return LaunchChecklist.objects.get(distributor=distributor)
        owners = _default_owners(distributor)
        LaunchChecklistItem.objects.bulk_create(
            [
                LaunchChecklistItem(
                    vendor=vendor,
                    checklist=checklist,
                    week=row.week,
                    position=position,
                    title=row.title,
                    description=row.description,
                    side=row.side,
                    default_key=row.default_key,
                    due_on=start_date + dt.timedelta(days=row.due_day),
                    **owners[row.side],
                )
                for position, row in enumerate(launch_template_rows(vendor=vendor))
            ]
        )
        audit_record(
            vendor=vendor,
            actor=actor,
            action="launch_checklist.create",
            obj=checklist,
            changes={"start_date": [None, start_date.isoformat()]},
        )
    return checklist


def launch_checklist_create(
    *, vendor: Vendor, actor: Membership, distributor: Distributor, start_date=None
) -> LaunchChecklist:
    """Staff action: make the checklist of an active distributor that has none (for a
    distributor that went active before checklists existed, or whose start was missed). The
    start is the date it went active, or today in its time zone."""
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers start a checklist."))
    _check_same_vendor(vendor, distributor)
    if distributor.status != DistributorStatus.ACTIVE:
        raise ValidationError(
            {"distributor": _("Only an active distributor gets a launch checklist.")}
        )
    if LaunchChecklist.objects.filter(distributor=distributor).exists():
        raise ValidationError({"distributor": _("This distributor already has a checklist.")})
    start = start_date or distributor.status_changed_on or distributor.local_today()
    return launch_checklist_ensure(
        vendor=vendor, actor=actor, distributor=distributor, start_date=start
    )


def launch_item_set_done(
    *, vendor: Vendor, actor: Membership, item: LaunchChecklistItem, done: bool
) -> LaunchChecklistItem:
    """Tick an item off (``done=True``) or open it again. Ticking a done item (or opening an
    open one) changes nothing."""
    _check_same_vendor(vendor, item)
    with transaction.atomic():
        stored = (
            LaunchChecklistItem.objects.select_for_update()
            .select_related("checklist")
            .get(pk=item.pk)
        )
        if not roles.can_edit_distributor_records(actor, stored.checklist.distributor_id):
            raise PermissionDenied(_("You may not tick items of this checklist."))
        if stored.is_done == bool(done):
            return stored
        before = snapshot(stored, ["done_at", "done_by"])
        stored.done_at = timezone.now() if done else None
        stored.done_by = actor.user if done else None
        stored.save(update_fields=["done_at", "done_by"])
        audit_record(
            vendor=vendor,
            actor=actor,
            action="launch_item.tick" if done else "launch_item.untick",
            obj=stored,
            changes=changes_between(before, snapshot(stored, ["done_at", "done_by"])),
        )
    return stored


def launch_item_reassign(
    *,
    vendor: Vendor,
    actor: Membership,
    item: LaunchChecklistItem,
    owner_membership: Membership | None = None,
    owner_contact: DistributorContact | None = None,
) -> LaunchChecklistItem:
    """Give an item to another person: a vendor staff member or someone of the same
    distributor (with a login), or a contact of the distributor; or to nobody."""
    if not roles.is_editor(actor):
        raise PermissionDenied(_("Only vendor admins and channel managers reassign items."))
    _check_same_vendor(vendor, item, owner_membership, owner_contact)
    if owner_membership is not None and owner_contact is not None:
        raise ValidationError({"owner": _("Choose one owner.")})
    with transaction.atomic():
        stored = (
            LaunchChecklistItem.objects.select_for_update()
            .select_related("checklist")
            .get(pk=item.pk)
        )
        distributor_id = stored.checklist.distributor_id
        if owner_membership is not None and not (
            owner_membership.is_active
            and (
                owner_membership.role in Role.editor_roles()
                or owner_membership.distributor_id == distributor_id
            )
        ):
            raise ValidationError(
                {"owner": _("The owner must be vendor staff or a person of this distributor.")}
            )
        if owner_contact is not None and owner_contact.distributor_id != distributor_id:
            raise ValidationError({"owner": _("The contact must belong to this distributor.")})
        before = snapshot(stored, ["owner_membership", "owner_contact"])
        stored.owner_membership = owner_membership
        stored.owner_contact = owner_contact
        stored.save(update_fields=["owner_membership", "owner_contact"])
        changes = changes_between(before, snapshot(stored, ["owner_membership", "owner_contact"]))
        if changes:
            audit_record(
                vendor=vendor,
                actor=actor,
                action="launch_item.reassign",
                obj=stored,
                changes=changes,
            )
    return stored
