"""Factories for contracts. Like tests/factories.py they write inside a tenant scope the test
opens; scope lines made here bypass the overlap rule (tests that need the rule use the service)."""

from __future__ import annotations

import datetime as dt

import factory

from partners.models import Contract, ContractStatus, ProductLine, ScopeLine, Territory

START = dt.date(2026, 1, 1)


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("vendor", "name")

    name = factory.Sequence(lambda n: f"Territory {n}")
    country = "JP"


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ("vendor", "name")

    name = factory.Sequence(lambda n: f"Product line {n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"C-{n:04d}")
    status = ContractStatus.ACTIVE
    starts_on = START
    ends_on = dt.date(2027, 12, 31)
    signed_on = dt.date(2025, 12, 15)
    notice_days = 90
    launch_ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=89))
    reminder_days = factory.LazyFunction(lambda: [90, 60, 30])


class ScopeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeLine

    vendor = factory.LazyAttribute(lambda o: o.contract.vendor)
    distributor = factory.LazyAttribute(lambda o: o.contract.distributor)
    starts_on = factory.LazyAttribute(lambda o: o.contract.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.contract.ends_on)
    exclusive_from = None


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
