"""factory_boy factories for the reporting app (open the tenant scope around them, as for the
partners factories)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from reporting.models import MonthlySummary, Report, ReportKind, WeeklyUpdate


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class ReportFactory(factory.django.DjangoModelFactory):
    """A weekly report for last week, due this Monday noon UTC, not started."""

    class Meta:
        model = Report

    distributor = None  # pass one
    vendor = factory.LazyAttribute(lambda o: o.distributor.vendor)
    kind = ReportKind.WEEKLY
    period_start = factory.LazyFunction(
        lambda: _monday(timezone.localdate()) - dt.timedelta(days=7)
    )
    period_end = factory.LazyAttribute(
        lambda o: (
            o.period_start + dt.timedelta(days=6)
            if o.kind == ReportKind.WEEKLY
            else (o.period_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            - dt.timedelta(days=1)
        )
    )
    due_at = factory.LazyAttribute(
        lambda o: dt.datetime.combine(
            o.period_end + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC
        )
    )


class WeeklyUpdateFactory(factory.django.DjangoModelFactory):
    """A complete weekly update."""

    class Meta:
        model = WeeklyUpdate

    report = None  # pass one
    vendor = factory.LazyAttribute(lambda o: o.report.vendor)
    new_leads = 4
    meetings_held = 3
    opportunities_discovery = 5
    opportunities_proposal = 2
    opportunities_negotiation = 1
    blockers = factory.LazyFunction(lambda: [{"tag": "pricing", "text": "Price above rival"}])
    priorities = factory.LazyFunction(lambda: ["Close the Osaka deal", "Demo day", "Restock"])


class MonthlySummaryFactory(factory.django.DjangoModelFactory):
    """A complete monthly summary in the distributor's currency."""

    class Meta:
        model = MonthlySummary

    report = None  # pass one
    vendor = factory.LazyAttribute(lambda o: o.report.vendor)
    currency = factory.LazyAttribute(lambda o: o.report.distributor.currency)
    units_sold = 120
    revenue = 4_800_000
    leads = 40
    quotes = 12
    orders = 6
    inventory_units = 300
    stockouts = 0
    forecast_units = 200
    forecast_revenue = 8_000_000
    marketing_actions = "Trade show booth"
    escalations = ""
