"""factory_boy factories for every model, with traits for the common shapes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from stdnum import luhn

from sobrindustrie.accounts.enums import Role
from sobrindustrie.accounts.models import User
from sobrindustrie.organisations.enums import ExchangeKind, OrganisationKind, Skill
from sobrindustrie.organisations.models import (
    Commune,
    Need,
    Offer,
    Organisation,
    Person,
    ProductionMeans,
    Site,
)
from sobrindustrie.programmes.models import Programme


def valid_siret(n: int) -> str:
    """A SIRET with valid SIREN and SIRET Luhn keys, distinct for each n."""
    siren_base = f"{(123456780 + n * 10) // 10:08d}"[-8:]
    siren = siren_base + luhn.calc_check_digit(siren_base)
    nic_base = f"{n % 10000:04d}"
    return siren + nic_base + luhn.calc_check_digit(siren + nic_base)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Sobr'Industrie test {n}")
    region = "Provence-Alpes-Côte d'Azur"
    notified_on = dt.date(2025, 10, 20)
    starts_on = dt.date(2025, 10, 20)
    ends_on = dt.date(2027, 10, 15)
    diagnostic_days_cap = Decimal("5")
    funding_order_days_cap = Decimal("6")
    evaluation_days_cap = Decimal("3.5")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]

    insee_code = "13001"
    name = "Aix-en-Provence"
    postcodes = "13090;13100;13290;13540"
    department_code = "13"
    latitude = 43.5283
    longitude = 5.4497


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    programme = factory.SubFactory(ProgrammeFactory)
    kind = OrganisationKind.LAUREATE_SME
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    slug = factory.Sequence(lambda n: f"entreprise-{n}")
    siret = factory.Sequence(valid_siret)
    naf_code = "25.62A"
    workforce = 40
    commune = factory.SubFactory(CommuneFactory)
    latitude = factory.LazyAttribute(lambda o: o.commune.latitude)
    longitude = factory.LazyAttribute(lambda o: o.commune.longitude)

    class Params:
        outside = factory.Trait(kind=OrganisationKind.COMPANY, siret="", naf_code="")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = "Site principal"
    is_main = True
    commune = factory.SelfAttribute("organisation.commune")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    role = Role.CONSULTANT
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def programmes(self, create: bool, extracted: list[Programme] | None, **kwargs: object) -> None:
        if create and extracted:
            self.programmes.add(*extracted)
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    email = factory.Sequence(lambda n: f"person{n}@test.example")
    phone = "+33 4 00 00 00 00"
    consent_given_on = dt.date(2025, 11, 1)


class ProductionMeansFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductionMeans

    organisation = factory.SubFactory(OrganisationFactory)
    category = "cutting.laser"
    name = factory.Sequence(lambda n: f"Découpeuse laser {n}")
    year = 2015
    purchase_value_eur = Decimal("350000")
    rated_power_kw = 30.0
    annual_operating_hours = 600.0
    utilisation_rate = 30.0
    annual_consumption_kwh = 18000.0
    sharing_hours_per_week = 10.0


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ExchangeKind.CAPACITY
    category = "cutting.laser"
    hours_per_year = 200.0


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    organisation = factory.SubFactory(OrganisationFactory)
    kind = ExchangeKind.SKILL
    skill = Skill.MAINTENANCE
