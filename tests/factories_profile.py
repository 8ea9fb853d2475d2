"""factory_boy factories for profile rows (open the tenant scope around them)."""

from __future__ import annotations

import factory

from partners.models import (
    CarriedBrand,
    DistributorContact,
    DistributorProductLine,
    DistributorTerritory,
    ProductLine,
    Territory,
)


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine

    name = factory.Sequence(lambda n: f"Line {n}")


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Territory {n}")
    country = "JP"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributorContact

    vendor = factory.SelfAttribute("distributor.vendor")
    name = factory.Sequence(lambda n: f"Contact {n}")
    role = "sales_rep"


class CarriedBrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarriedBrand

    vendor = factory.SelfAttribute("distributor.vendor")
    brand = factory.Sequence(lambda n: f"Brand {n}")


def link_product_line(distributor, line):
    return DistributorProductLine.objects.create(
        vendor=distributor.vendor, distributor=distributor, product_line=line
    )


def link_territory(distributor, territory):
    return DistributorTerritory.objects.create(
        vendor=distributor.vendor, distributor=distributor, territory=territory
    )
