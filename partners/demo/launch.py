"""Demo launch checklists: the distributors that went active most recently get their 30-day
checklist, with the early items ticked off and one item left overdue, so the checklist page and
the distributor page's launch panel look lived-in. The launches of distributors active for
longer were finished: every item is done, on about the day it was due (an untouched checklist
overdue for months would contradict a distributor in its conditional exclusivity phase)."""

from __future__ import annotations

import datetime as dt

from partners.models import DistributorStatus, LaunchChecklistItem
from partners.services.launch import launch_checklist_ensure, launch_item_set_done

RECENT_DAYS = 45  # "recently active": went active within this many days
MAX_CHECKLISTS = 6


def seed(*, vendor, actor, distributors) -> list:
    """Make checklists for up to six recently active distributors (the most recent first). In
    each, every item due well before today is done except the last of them, which stays
    overdue; items due later stay open. Returns the checklists. Running it again changes
    nothing that is already there (ensure is idempotent; done items stay done)."""
    recent = []
    for distributor in distributors:
        if distributor.status != DistributorStatus.ACTIVE:
            continue
        today = distributor.local_today()
        went_active = distributor.status_changed_on or today - dt.timedelta(days=16)
        if (today - went_active).days <= RECENT_DAYS:
            recent.append((went_active, distributor))
    recent.sort(key=lambda pair: (pair[0], pair[1].pk), reverse=True)

    _finish_older_launches(
        vendor=vendor,
        actor=actor,
        distributors=distributors,
        recent={d.pk for _day, d in recent[:MAX_CHECKLISTS]},
    )
    checklists = []
    for index, (went_active, distributor) in enumerate(recent[:MAX_CHECKLISTS]):
        today = distributor.local_today()
        # Put most launches a couple of weeks in, so some items are done and some are due.
        start = min(went_active, today - dt.timedelta(days=10 + 3 * index))
        checklist = launch_checklist_ensure(
            vendor=vendor, actor=actor, distributor=distributor, start_date=start
        )
        checklists.append(checklist)
        past_due = list(
            LaunchChecklistItem.objects.filter(checklist=checklist, due_on__lt=today).order_by(
                "due_on", "week", "position", "id"
            )
        )
        for item in past_due[:-1]:
            if item.done_at is None:
                launch_item_set_done(vendor=vendor, actor=actor, item=item, done=True)
        # The last item that was due stays open: it is what the panel flags as overdue.
    return checklists


def _finish_older_launches(*, vendor, actor, distributors, recent: set[int]) -> None:
    """Tick every item already due in the checklists of distributors not among the ``recent``
    launches, as done on its due day (the launch happened long ago; the service records the tick, the
    demo's story dates it)."""
    for distributor in distributors:
        if distributor.pk in recent:
            continue
        items = LaunchChecklistItem.objects.filter(
            checklist__distributor=distributor,
            done_at__isnull=True,
            due_on__lt=distributor.local_today(),
        ).order_by("due_on", "id")
        for item in items:
            launch_item_set_done(vendor=vendor, actor=actor, item=item, done=True)
            LaunchChecklistItem.objects.filter(pk=item.pk).update(
                done_at=dt.datetime.combine(item.due_on, dt.time(9), tzinfo=dt.UTC)
            )
