"""Reads for launch. Every selector takes ``vendor`` and ``actor``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import translation

from partners import roles
from partners.models import (
    DEFAULT_ITEMS,
    WEEK_NAMES,
    Distributor,
    DistributorContact,
    DistributorStatus,
    LaunchChecklist,
    LaunchChecklistItem,
    LaunchTemplate,
    LaunchTemplateItem,
    Membership,
    Role,
    Vendor,
)
from partners.models.launch import LAUNCH_WEEKS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def english(text) -> str:
    """A translatable text in English, as stored."""
    with translation.override("en"):
        return str(text)


def launch_template_rows(*, vendor: Vendor) -> list:
    """What a new checklist copies: the stored items, or the standard items if the vendor has
    never edited its template (as unsaved LaunchTemplateItem rows with their default key)."""
    template = LaunchTemplate.objects.filter(vendor=vendor).first()
    if template is not None:
        return list(template.items.order_by("week", "position", "id"))
    rows = []
    for week in LAUNCH_WEEKS:
        for position, default in enumerate(d for d in DEFAULT_ITEMS if d.week == week):
            rows.append(
                LaunchTemplateItem(
                    vendor=vendor,
                    week=week,
                    position=position,
                    title=english(default.title),
                    description=english(default.description),
                    side=default.side,
                    due_day=default.due_day,
                    default_key=default.key,
                )
            )
    return rows


def _check_template_reader(actor: Membership) -> None:
    if not roles.is_staff_reader(actor):
        raise PermissionDenied


def launch_template_is_customised(*, vendor: Vendor, actor: Membership) -> bool:
    """Whether the vendor has its own stored template (else the standard weeks apply)."""
    _check_template_reader(actor)
    return LaunchTemplate.objects.filter(vendor=vendor).exists()


def launch_template_item_list_for_actor(
    *, vendor: Vendor, actor: Membership
) -> QuerySet[LaunchTemplateItem]:
    """The stored items of the vendor's template, in order. The template is the same for every
    distributor of the vendor, so the lookup is by vendor alone; what a role may do with an
    item (distributor roles: nothing) is decided after it is found, by the page or viewset."""
    return LaunchTemplateItem.objects.filter(vendor=vendor).order_by("week", "position", "id")


def launch_template_item_get_for_actor_or_404(
    *, vendor: Vendor, actor: Membership, pk
) -> LaunchTemplateItem:
    return get_object_or_404(launch_template_item_list_for_actor(vendor=vendor, actor=actor), pk=pk)


@dataclass
class Week:
    number: int
    name: StrOrPromise
    items: list


def _weeks(items) -> list[Week]:
    weeks = {n: Week(n, WEEK_NAMES[n], []) for n in sorted(WEEK_NAMES)}
    for item in items:
        weeks.setdefault(item.week, Week(item.week, "", [])).items.append(item)
    return list(weeks.values())


def launch_template_weeks(*, vendor: Vendor, actor: Membership) -> list[Week]:
    """The template as it applies now, by week: the stored items, or the standard ones (unsaved,
    without a pk) while the vendor has not edited it. Vendor staff only."""
    _check_template_reader(actor)
    return _weeks(launch_template_rows(vendor=vendor))


def launch_checklist_list_for_actor(
    *, vendor: Vendor, actor: Membership
) -> QuerySet[LaunchChecklist]:
    """Checklists the person reaches (a distributor's people: their own only), with item
    counts."""
    qs = (
        LaunchChecklist.objects.filter(vendor=vendor)
        .select_related("distributor")
        .annotate(
            total_items=Count("items"),
            done_items=Count("items", filter=Q(items__done_at__isnull=False)),
        )
        .order_by("distributor__name", "id")
    )
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    return qs


def launch_checklist_get_for_actor_or_404(
    *, vendor: Vendor, actor: Membership, pk
) -> LaunchChecklist:
    return get_object_or_404(launch_checklist_list_for_actor(vendor=vendor, actor=actor), pk=pk)


def launch_item_list_for_actor(
    *, vendor: Vendor, actor: Membership
) -> QuerySet[LaunchChecklistItem]:
    """Checklist items the person reaches, with their owner and who ticked them."""
    qs = LaunchChecklistItem.objects.filter(vendor=vendor).select_related(
        "checklist__distributor", "owner_membership__user", "owner_contact", "done_by"
    )
    if actor.is_distributor_role:
        qs = qs.filter(checklist__distributor_id=actor.own_distributor_id)
    return qs


def launch_item_get_for_actor_or_404(
    *, vendor: Vendor, actor: Membership, pk
) -> LaunchChecklistItem:
    return get_object_or_404(launch_item_list_for_actor(vendor=vendor, actor=actor), pk=pk)


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def launch_progress(items, today) -> dict:
    """Done/total, percent and the overdue items (due before ``today``, not done)."""
    items = list(items)
    progress = Progress(sum(1 for i in items if i.is_done), len(items))
    overdue = [i for i in items if i.is_overdue(today)]
    return {"progress": progress, "overdue": overdue}


def launch_checklist_page(*, vendor: Vendor, actor: Membership, distributor: Distributor) -> dict:
    """Everything the checklist page shows for a distributor the person reaches: items by week,
    progress, overdue items in the distributor's own today, and what the person may do."""
    checklist = (
        LaunchChecklist.objects.filter(vendor=vendor, distributor=distributor)
        .select_related("created_by")
        .first()
    )
    today = distributor.local_today()
    items = []
    if checklist is not None:
        items = list(
            launch_item_list_for_actor(vendor=vendor, actor=actor).filter(checklist=checklist)
        )
    for item in items:
        item.overdue = item.is_overdue(today)  # type: ignore[attr-defined]  # for the template
    return {
        "checklist": checklist,
        "weeks": _weeks(items) if checklist else [],
        "today": today,
        "can_tick": roles.can_edit_distributor_records(actor, distributor.pk),
        "can_reassign": roles.is_editor(actor),
        "can_create": (
            checklist is None
            and roles.is_editor(actor)
            and distributor.status == DistributorStatus.ACTIVE
        ),
        **launch_progress(items, today),
    }


def launch_owner_choices(*, vendor: Vendor, actor: Membership, item: LaunchChecklistItem) -> dict:
    """Who an item may be given to: active vendor admins and channel managers, active people of
    the item's distributor, and that distributor's active contacts."""
    if not roles.is_editor(actor):
        raise PermissionDenied
    distributor_id = item.checklist.distributor_id
    memberships = (
        Membership.objects.filter(vendor=vendor, is_active=True)
        .filter(Q(role__in=Role.editor_roles()) | Q(distributor_id=distributor_id))
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    contacts = DistributorContact.objects.filter(
        vendor=vendor, distributor_id=distributor_id, is_active=True
    ).order_by("name", "id")
    return {"memberships": memberships, "contacts": contacts}


def distributor_launch_panel(*, vendor, actor, distributor) -> dict:
    """Context for the launch panel of the distributor page
    (templates/partners/distributor/_launch.html): progress, the overdue items and whether the
    person may start a missing checklist."""
    checklist = LaunchChecklist.objects.filter(vendor=vendor, distributor=distributor).first()
    today = distributor.local_today()
    items = []
    if checklist is not None:
        items = list(
            launch_item_list_for_actor(vendor=vendor, actor=actor).filter(checklist=checklist)
        )
    return {
        "launch": {
            "checklist": checklist,
            "today": today,
            "can_create": (
                checklist is None
                and roles.is_editor(actor)
                and distributor.status == DistributorStatus.ACTIVE
            ),
            **launch_progress(items, today),
        }
    }
