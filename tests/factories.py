"""factory_boy factories that keep records consistent (same region, dates in order)."""

from datetime import date, timedelta

import factory

from adopters.models import Household
from children.models import Child, EventKind, JourneyEvent, PeriodOfCare
from raa.models import Council, Region, User


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = "Test Regional Adoption Agency"


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("la_code",)

    region = factory.SubFactory(RegionFactory)
    la_code = factory.Sequence(lambda n: f"{800 + n % 100:03d}")
    name = factory.LazyAttribute(lambda o: f"Council {o.la_code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("a-long-test-password-42")


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    council = factory.SubFactory(CouncilFactory)
    child_id = factory.Sequence(lambda n: f"C{n:06d}")
    first_name = "Testchild"
    last_name = factory.Sequence(lambda n: f"Surname{n}")
    date_of_birth = date(2020, 5, 1)


class PeriodOfCareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeriodOfCare

    child = factory.SubFactory(ChildFactory)
    entered_care = factory.LazyAttribute(lambda o: o.child.date_of_birth + timedelta(days=30))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    region = factory.SubFactory(RegionFactory)
    reference = factory.Sequence(lambda n: f"T{n:05d}")
    first_applicant = factory.Sequence(lambda n: f"Applicant {n}")
    enquiry_date = date(2023, 1, 10)
    registration_date = date(2023, 2, 1)
    # What they can offer, discussed (a new household's offer starts as "not yet discussed").
    children_wanted = 1
    youngest_age = 0
    oldest_age = 4
    sibling_group = False
    sex_preference = "A"
    health_needs = 1
    disability_needs = 0
    developmental_uncertainty = 1
    contact = 1


class JourneyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JourneyEvent

    child = factory.SubFactory(ChildFactory)
    kind = EventKind.ADM_DECISION
    date = date(2021, 3, 1)
    recorded_by = factory.SubFactory(UserFactory)
