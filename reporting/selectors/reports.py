"""Reads of reports shared by every area: what a person reaches, and one report or a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from partners.models import Membership, Vendor
from reporting.models import Report


def report_list_for_actor(*, vendor: Vendor, actor: Membership) -> QuerySet[Report]:
    """Reports the person reaches: vendor staff see every distributor's, a distributor's
    people only their own distributor's."""
    qs = Report.objects.filter(vendor=vendor)
    if actor.is_distributor_role:
        qs = qs.filter(distributor_id=actor.own_distributor_id)
    return qs


def report_get_for_actor_or_404(*, vendor: Vendor, actor: Membership, pk) -> Report:
    """One report the person reaches, with its distributor; another distributor's or another
    vendor's report is the same 404 as a missing one."""
    return get_object_or_404(
        report_list_for_actor(vendor=vendor, actor=actor).select_related("distributor"), pk=pk
    )
