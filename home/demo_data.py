"""The synthetic demo region (and the national benchmark set) that `seed_demo` builds.

Everything here is invented: council names, people's names and every date. Journeys are drawn
from distributions chosen to look like an English council's adoption work (gaps between
milestones, foster-carer and FfA adoptions, changes of plan, disruptions, sibling groups,
children still waiting), cut off at ``today`` so that no date is in the future.

The same ``seed`` and ``today`` always give the same data. Rows are written with bulk inserts,
one council at a time, so the national set (150 councils, about 300,000 children) fits in
memory and takes minutes, not hours.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from adopters.models import (
    AdopterLegalStatus,
    AdopterSex,
    ContactLevel,
    FastTrack,
    HoldPeriod,
    HoldReason,
    Household,
    HowHeard,
    LeftReason,
    NeedLevel,
    OutsideAgency,
)
from children.models import (
    Authority,
    CeasedReason,
    Child,
    DisruptionReason,
    Ethnicity,
    EventKind,
    JourneyEvent,
    LeftCareReason,
    LegalStatus,
    PeriodOfCare,
    PlacementProvider,
    Sex,
    SiblingGroup,
)
from children.services import refresh_journey_summaries, refresh_quality_flags
from forecast.services import fit_and_store
from raa.freshness import mark_council_pending
from raa.models import Council, Region, Role, User
from raa.services import council_add_or_rename, user_add_or_update
from scorecard import periods as P
from scorecard.reports import services as reports
from scorecard.services import recompute_all
from tracking.services import notify_crossings

#: What a household at enquiry has not discussed yet (the demo leaves these empty).
NOT_DISCUSSED_AT_ENQUIRY = (
    "health_needs",
    "disability_needs",
    "developmental_uncertainty",
    "contact",
)
DEMO_PASSWORD = "adoption-demo"
DEMO_REGION_NAME = "Heartwood Regional Adoption Agency"
DEMO_COUNCILS = [
    ("901", "Northbrook Borough Council"),
    ("902", "Eastmere City Council"),
    ("903", "Westhaven County Council"),
    ("904", "Southdale Metropolitan Borough Council"),
    ("905", "Kingsford Council"),
]
# (username, role, scope: council index or None for the whole region, first name, last name)
DEMO_LOGINS = [
    ("worker", Role.SOCIAL_WORKER, 0, "Sam", "Whitlock"),
    ("worker2", Role.SOCIAL_WORKER, 1, "Priya", "Langford"),
    ("adoption", Role.SOCIAL_WORKER, None, "Alex", "Marlowe"),
    ("manager", Role.TEAM_MANAGER, 0, "Jo", "Pemberton"),
    ("regional", Role.MANAGER, None, "Chris", "Hadley"),
    ("board", Role.BOARD_MEMBER, None, "Morgan", "Fairweather"),
    ("data", Role.DATA_OFFICER, None, "Robin", "Ashdown"),
    ("admin", Role.ADMINISTRATOR, None, "Casey", "Brightwater"),
]

#: Girls' names first (the first GIRLS_NAMES), then boys'.
FIRST_NAMES = [
    "Amelia",
    "Ava",
    "Isla",
    "Freya",
    "Lily",
    "Mia",
    "Evie",
    "Ivy",
    "Ella",
    "Grace",
    "Poppy",
    "Rosie",
    "Willow",
    "Daisy",
    "Phoebe",
    "Ruby",
    "Zara",
    "Aisha",
    "Maya",
    "Layla",
    "Nia",
    "Esme",
    "Hallie",
    "Orla",
    "Jack",
    "Oliver",
    "Noah",
    "Leo",
    "Arthur",
    "Oscar",
    "Harry",
    "Theo",
    "Finley",
    "Alfie",
    "Reggie",
    "Teddy",
    "Ezra",
    "Kai",
    "Ibrahim",
    "Yusuf",
    "Rowan",
    "Jayden",
    "Tyler",
    "Callum",
    "Mason",
    "Ronan",
    "Elijah",
    "Kofi",
    "Tariq",
    "Milo",
    "Rory",
    "Caleb",
    "Ellis",
    "Nathan",
    "Sonny",
    "Otis",
    "Jude",
    "Bodhi",
    "Arlo",
]
GIRLS_NAMES = FIRST_NAMES.index("Jack")  # Amelia to Orla
LAST_NAMES = [
    "Ashworth",
    "Blakemore",
    "Brindley",
    "Calloway",
    "Chadwick",
    "Corbett",
    "Dunmore",
    "Eddison",
    "Fenwick",
    "Garside",
    "Hallam",
    "Harwood",
    "Ingleby",
    "Jessop",
    "Kershaw",
    "Lomax",
    "Marsden",
    "Nettleton",
    "Oakridge",
    "Pickering",
    "Quarmby",
    "Radcliffe",
    "Sowerby",
    "Thackeray",
    "Underwood",
    "Varley",
    "Wainwright",
    "Yardley",
    "Ackroyd",
    "Birtwhistle",
    "Cresswell",
    "Dalby",
    "Elmsworth",
    "Fairclough",
    "Gledhill",
    "Haworth",
    "Illingworth",
    "Knowles",
    "Lightfoot",
    "Mellor",
    "Northcott",
    "Oldroyd",
    "Pendlebury",
    "Rushworth",
    "Stansfield",
    "Tattersall",
    "Uttley",
    "Whiteley",
    "Okonkwo",
    "Adeyemi",
    "Mensah",
    "Chaudhry",
    "Rahman",
    "Kowalczyk",
    "Novak",
    "Osei",
    "Begum",
    "Hussain",
    "Nwosu",
    "Balogun",
]
COUNCIL_NAME_PARTS = [
    "Ash",
    "Bell",
    "Birch",
    "Brook",
    "Cold",
    "Crane",
    "Elm",
    "Fern",
    "Glen",
    "Hart",
    "Holly",
    "Kes",
    "Lark",
    "Marsh",
    "Mill",
    "Oak",
    "Pen",
    "Rose",
    "Rush",
    "Sand",
    "Stone",
    "Thorn",
    "Wil",
    "Wold",
    "Wyn",
]
COUNCIL_NAME_ENDS = [
    "bury",
    "field",
    "ford",
    "ham",
    "ley",
    "mere",
    "minster",
    "stead",
    "thorpe",
    "ton",
    "wick",
    "worth",
]

# Ethnicity mix of children in care in England, roughly; the rest are spread across the others.
ETHNICITY_WEIGHTS = {
    Ethnicity.WBRI: 72,
    Ethnicity.WOTH: 4,
    Ethnicity.MWBC: 5,
    Ethnicity.MWAS: 3,
    Ethnicity.MOTH: 4,
    Ethnicity.BAFR: 3,
    Ethnicity.BCRB: 2,
    Ethnicity.APKN: 2,
    Ethnicity.AOTH: 1,
    Ethnicity.WROM: 1,
    Ethnicity.OOTH: 1,
    Ethnicity.NOBT: 1,
    Ethnicity.REFU: 1,
}

FIRST_YEAR = 2016  # financial year 2016-17 is the first of the ten years of adoptions


LEGAL_STATUS_ON_ENTRY = [LegalStatus.C1, LegalStatus.V2, LegalStatus.L2, LegalStatus.C2]
LEFT_CARE_OTHERWISE = [
    LeftCareReason.E45,
    LeftCareReason.E46,
    LeftCareReason.E41,
    LeftCareReason.E4A,
    LeftCareReason.E13,
]


@dataclass
class CouncilRows:
    """What one council's journeys produce before they are written."""

    children: list[Child] = field(default_factory=list)
    sibling_groups: list[SiblingGroup] = field(default_factory=list)
    periods: list[tuple[int, PeriodOfCare]] = field(default_factory=list)
    events: list[tuple[int, JourneyEvent, int | None]] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    #: (index in ``households``, hold period)
    holds: list[tuple[int, HoldPeriod]] = field(default_factory=list)
    #: index in ``children`` -> index in ``sibling_groups``
    sibling_group_of: dict[int, int] = field(default_factory=dict)


class Generator:
    def __init__(self, *, seed: int, today: date, region: Region, history: bool) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.region = region
        self.history = history
        self.household_count = Household.objects.count()
        # The region has kept adopter records in this system for the last three years or so.
        self.households_from = P.financial_year(today.year - 3).start

    # -- small helpers --------------------------------------------------------------------
    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def skewed_days(self, low: int, typical: int, high: int) -> timedelta:
        """A gap with a long right tail: most near ``typical``, a few near ``high``."""
        value = self.rng.triangular(low, high, typical)
        return timedelta(days=int(value))

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    @staticmethod
    def name_for_sex(first: str, sex: str) -> str:
        """A first name that agrees with the recorded sex: a girl's name for a girl, a boy's for
        a boy (the same place in the other list, so no extra random draw changes the seed)."""
        index = FIRST_NAMES.index(first)
        is_girls = index < GIRLS_NAMES
        if sex == Sex.FEMALE and not is_girls:
            return FIRST_NAMES[(index - GIRLS_NAMES) % GIRLS_NAMES]
        if sex == Sex.MALE and is_girls:
            return FIRST_NAMES[GIRLS_NAMES + index % (len(FIRST_NAMES) - GIRLS_NAMES)]
        return first

    def ethnicity(self) -> str:
        codes, weights = zip(*ETHNICITY_WEIGHTS.items(), strict=True)
        return self.rng.choices(codes, weights)[0]

    def next_household_reference(self) -> str:
        self.household_count += 1
        return f"H{self.household_count:05d}"

    # -- households --------------------------------------------------------------------------
    def household_for_match(
        self,
        match_date: date,
        council: Council,
        rows: CouncilRows,
        outside_region: bool,
        children: list[Child],
        *,
        link_date: date | None = None,
        ffa: bool = False,
    ) -> Household | None:
        """A household approved some months before it was matched (and by the link), with
        earlier stages and an offer that fits the children it was matched with.

        None for matches made before the region kept adopter records here (older journeys come
        from the councils' 903 history, which holds no adopter households)."""
        if match_date < self.households_from:
            return None
        approval = match_date - self.skewed_days(10, 90, 420)
        if link_date is not None:
            approval = min(approval, link_date)
        ages = [max(0, (match_date - c.date_of_birth).days // 365) for c in children]
        return self._household(
            rows,
            council,
            approval=approval,
            outside=outside_region,
            children=len(children),
            ages=(min(ages), max(ages)),
            ffa=ffa,
        )

    def _applicants(self) -> dict:
        """One or two applicants with their details, and the AD1 legal status that fits."""
        rng = self.rng
        first, last = self.name()
        couple = rng.random() < 0.72
        sex1 = rng.choice([AdopterSex.MALE, AdopterSex.FEMALE])
        born = self.today - self.days(32 * 365, 55 * 365)
        fields = {
            "first_applicant": f"{first} {last}",
            "first_applicant_date_of_birth": born,
            "first_applicant_sex": sex1,
            "first_applicant_ethnicity": self.ethnicity(),
            "first_applicant_disabled": rng.random() < 0.04,
            "legal_status": AdopterLegalStatus.L0,
        }
        if couple:
            same_sex = rng.random() < 0.12
            sex2 = sex1 if same_sex else ({"M": "F", "F": "M"}[sex1])
            other_first = rng.choice([n for n in FIRST_NAMES if n != first])
            fields.update(
                second_applicant=f"{other_first} {rng.choice([last, *self.name()[1:]])}",
                second_applicant_date_of_birth=born + self.days(-1800, 1800),
                second_applicant_sex=sex2,
                second_applicant_ethnicity=self.ethnicity(),
                second_applicant_disabled=rng.random() < 0.04,
                legal_status=rng.choice(
                    [AdopterLegalStatus.L12, AdopterLegalStatus.L2, AdopterLegalStatus.L4]
                    if same_sex
                    else [AdopterLegalStatus.L11, AdopterLegalStatus.L11, AdopterLegalStatus.L3]
                ),
            )
        return fields

    def _offer(self, children: int, ages: tuple[int, int] | None) -> dict:
        """What the household can offer; for a matched household, an offer that fits."""
        rng = self.rng
        if ages is None:
            youngest = rng.choice([0, 0, 0, 1, 2, 3])
            ages = (youngest, youngest + rng.randint(1, 5))
        wanted = children if children > 1 else rng.choice([1, 1, 1, 2, 2, 3])
        return {
            "children_wanted": wanted,
            "sibling_group": wanted > 1,
            "youngest_age": max(0, ages[0] - rng.randint(0, 1)),
            "oldest_age": ages[1] + rng.randint(0, 3),
            "sex_preference": rng.choices(["A", "M", "F"], [80, 10, 10])[0],
            "health_needs": rng.choices(list(NeedLevel.values), [10, 45, 35, 10])[0],
            "disability_needs": rng.choices(list(NeedLevel.values), [45, 30, 20, 5])[0],
            "developmental_uncertainty": rng.choices(list(NeedLevel.values), [15, 40, 35, 10])[0],
            "contact": rng.choices(list(ContactLevel.values), [5, 55, 30, 10])[0],
            "how_heard": rng.choice(list(HowHeard.values)),
        }

    def _household(
        self,
        rows: CouncilRows,
        council: Council | None,
        *,
        approval: date | None,
        outside: bool = False,
        children: int = 1,
        stop_at: str | None = None,
        registration: date | None = None,
        left: tuple[date, str] | None = None,
        ages: tuple[int, int] | None = None,
        ffa: bool = False,
        hold: bool = False,
    ) -> Household:
        rng = self.rng
        applicants = self._applicants()
        fast_track = ""
        if rng.random() < 0.08:
            fast_track = rng.choice([FastTrack.PREVIOUS_ADOPTER, FastTrack.FOSTER_CARER])
        if approval is not None:
            # Stage 2 about 3 to 4 months, a short gap, Stage 1 about 2 months: a quarter or so
            # of households approved within 6 months of registering, the rest later (the long
            # tails), as in the national returns
            stage2_start = approval - self.skewed_days(60, 100, 200)
            panel = approval - self.days(3, 10)
            if fast_track:
                registration = stage1_end = None
                enquiry = stage2_start - self.days(14, 60)
            else:
                stage1_end = stage2_start - self.skewed_days(0, 5, 60)
                registration = stage1_end - self.skewed_days(35, 50, 110)
                enquiry = registration - self.skewed_days(7, 30, 120)
        else:
            fast_track = ""
            registration = registration or self.today - self.days(0, 400)
            enquiry = registration - self.skewed_days(7, 30, 120)
            stage1_end = stage2_start = panel = None
            if stop_at in ("between", "stage2"):
                stage1_end = min(self.today, registration + self.skewed_days(40, 60, 150))
            if stop_at == "stage2":
                stage2_start = min(self.today, stage1_end + self.skewed_days(0, 30, 150))
            if stop_at in ("enquiry", "information_event"):
                registration = None
                enquiry = self.today - self.days(14, 120)
        information_event = None
        if stop_at == "information_event" or (stop_at != "enquiry" and rng.random() < 0.7):
            next_step = registration or stage2_start or self.today
            information_event = min(next_step, enquiry + self.days(7, 40))
        offer = self._offer(children, ages)
        if approval is None and stop_at in ("enquiry", "information_event"):
            # Before registering, what they can offer has not been discussed yet (drawn all the
            # same, so the rest of the demo stays as it was).
            offer.update(dict.fromkeys(NOT_DISCUSSED_AT_ENQUIRY, None), sex_preference="")
        household = Household(
            region=self.region,
            reference=self.next_household_reference(),
            **applicants,
            **offer,
            recruiting_council=None if outside else council,
            recruited_outside_region=outside,
            outside_agency=rng.choice(list(OutsideAgency.values)) if outside else "",
            fast_track=fast_track,
            dual_approval=ffa or rng.random() < 0.15,
            enquiry_date=enquiry,
            information_event_date=information_event,
            registration_date=registration,
            stage1_end_date=stage1_end,
            stage2_start_date=stage2_start,
            panel_date=panel,
            approval_date=approval,
        )
        if left:
            household.left_date, household.left_reason = left
        rows.households.append(household)
        if hold:
            started = max(
                d
                for d in (
                    enquiry,
                    information_event,
                    registration,
                    stage1_end,
                    stage2_start,
                    approval,
                )
                if d
            )
            started = min(self.today, started + self.days(5, 60))
            rows.holds.append(
                (
                    len(rows.households) - 1,
                    HoldPeriod(start_date=started, reason=rng.choice(list(HoldReason.values))),
                )
            )
        return household

    def pipeline_households(self, rows: CouncilRows, council: Council | None, count: int) -> None:
        """Households in recruitment now, at every stage (on hold too), and some who left,
        at any stage (after approval too)."""
        stages = [
            "enquiry",
            "information_event",
            "stage1",
            "between",
            "stage2",
            "approved",
            "on_hold",
            "left",
            "left_approved",
        ]
        weights = [14, 8, 18, 8, 18, 20, 6, 8, 3]
        for _ in range(count):
            stage = self.rng.choices(stages, weights)[0]
            if stage == "approved":
                self._household(rows, council, approval=self.today - self.days(1, 300))
            elif stage == "left_approved":
                approval = self.today - self.days(60, 500)
                left = (min(self.today, approval + self.days(20, 200)), LeftReason.WITHDREW)
                self._household(rows, council, approval=approval, left=left)
            elif stage == "on_hold":
                self._household(
                    rows,
                    council,
                    approval=None,
                    stop_at=self.rng.choice(["stage1", "between", "stage2"]),
                    registration=self.today - self.days(90, 300),
                    hold=True,
                )
            elif stage == "left":
                registration = self.today - self.days(60, 700)
                left_on = min(self.today, registration + self.days(10, 200))
                reason = self.rng.choice(list(LeftReason.values))
                self._household(
                    rows,
                    council,
                    approval=None,
                    stop_at="stage1",
                    registration=registration,
                    left=(left_on, reason),
                )
            else:
                self._household(
                    rows,
                    council,
                    approval=None,
                    stop_at=stage,
                    registration=self.today - self.days(0, 150 if stage == "stage1" else 300),
                )

    # -- children ------------------------------------------------------------------------------
    def journeys(self, council: Council, workers: list[User], count: int) -> CouncilRows:
        """``count`` children for one council: singles and sibling groups, each with a journey."""
        rows = CouncilRows()
        made = 0
        number = 0
        while made < count:
            size = 1
            if self.rng.random() < 0.12:
                size = self.rng.choice([2, 2, 2, 3])
            group = None
            if size > 1:
                group = SiblingGroup(
                    council=council,
                    reference=f"SG{council.la_code}-{len(rows.sibling_groups) + 1:04d}",
                )
                rows.sibling_groups.append(group)
            start_window = (P.financial_year(FIRST_YEAR - 2).start, self.today - timedelta(days=45))
            span = (start_window[1] - start_window[0]).days
            entered = start_window[0] + timedelta(days=self.rng.randint(0, span))
            youngest_age = self.rng.choices(
                [(0, 200), (200, 730), (730, 1460), (1460, 2200)], [40, 32, 18, 10]
            )[0]
            ages = sorted(
                (
                    self.rng.randint(*youngest_age) + i * self.rng.randint(300, 1100)
                    for i in range(size)
                ),
                reverse=True,
            )
            worker = self.rng.choice(workers)
            indexes = []
            for age in ages:
                number += 1
                first, last = self.name()
                if indexes:  # siblings share a surname
                    last = rows.children[indexes[0]].last_name
                sex = self.rng.choices([Sex.MALE, Sex.FEMALE, Sex.UNKNOWN], [50, 49, 1])[0]
                child = Child(
                    council=council,
                    child_id=f"{council.la_code}{number:06d}",
                    first_name=self.name_for_sex(first, sex),
                    last_name=last,
                    date_of_birth=entered - timedelta(days=age),
                    sex=sex,
                    ethnicity=self.ethnicity(),
                    disabled=self.rng.random() < 0.06,
                    allocated_social_worker=worker,
                )
                indexes.append(len(rows.children))
                rows.children.append(child)
                if group is not None:
                    rows.sibling_group_of[indexes[-1]] = len(rows.sibling_groups) - 1
            self.journey(rows, council, indexes, entered, worker, oldest_age=ages[0])
            made += size
        return rows

    def journey(
        self,
        rows: CouncilRows,
        council: Council,
        indexes: list[int],
        entered: date,
        worker: User,
        oldest_age: int,
    ) -> None:
        """One journey shared by a child or a sibling group, cut off at today."""
        rng = self.rng
        today = self.today
        events: list[tuple[str, date, dict]] = []

        def add(kind: str, when: date, **extra) -> bool:
            if when > today:
                return False
            events.append((kind, when, extra))
            return True

        left_care = None
        harder = oldest_age > 5 * 365 or len(indexes) > 1
        ffa = len(indexes) == 1 and oldest_age < 365 and rng.random() < 0.25
        foster_carer = not ffa and rng.random() < 0.10
        consent = len(indexes) == 1 and oldest_age < 120 and rng.random() < 0.35
        plan_changes = rng.random() < (0.16 if harder else 0.07)

        living_since = None
        if ffa:
            if not add(EventKind.FFA_DECISION, entered + self.days(7, 60)):
                return self._store(rows, indexes, entered, left_care, events, worker, council)
            living_since = events[-1][1] + self.days(3, 30)
            if not add(EventKind.FFA_PLACEMENT, living_since):
                return self._store(rows, indexes, entered, left_care, events, worker, council)
        elif foster_carer:
            living_since = entered + self.skewed_days(0, 20, 300)

        permanence = entered + self.days(95, 150)
        if not add(EventKind.PERMANENCE_DECISION, permanence):
            return self._store(rows, indexes, entered, left_care, events, worker, council)
        # The plan for adoption is made at the second review; the ADM decides after it.
        adm = max(entered + self.skewed_days(110, 200, 520), permanence + self.days(7, 40))
        if not add(EventKind.ADM_DECISION, adm):
            return self._store(rows, indexes, entered, left_care, events, worker, council)

        authority_date = adm + self.skewed_days(0 if consent else 20, 45 if consent else 90, 260)
        if plan_changes:
            ceased = adm + self.skewed_days(30, 200, 700)
            reason = rng.choices(list(CeasedReason.values), [30, 20, 35, 15])[0]
            if reason != CeasedReason.RD2 and authority_date < ceased:
                add(EventKind.PLACEMENT_ORDER, authority_date, authority=Authority.PLACEMENT_ORDER)
            if add(EventKind.PLAN_CEASED, ceased, ceased_reason=reason):
                left_care = ceased + self.days(30, 400)
                left_care = left_care if left_care <= today else None
            return self._store(rows, indexes, entered, left_care, events, worker, council)

        authority = Authority.CONSENT if consent else Authority.PLACEMENT_ORDER
        if not add(EventKind.PLACEMENT_ORDER, authority_date, authority=authority):
            return self._store(rows, indexes, entered, left_care, events, worker, council)

        outside = rng.random() < 0.15
        provider = (
            rng.choice(
                [
                    PlacementProvider.OTHER_COUNCIL,
                    PlacementProvider.OTHER_RAA,
                    PlacementProvider.VOLUNTARY,
                ]
            )
            if outside
            else PlacementProvider.OWN_COUNCIL
        )
        if ffa:
            # The carers are known: matching follows the order quickly, sometimes precedes it.
            match = max(
                adm + self.days(7, 30), authority_date + timedelta(days=rng.randint(-40, 90))
            )
            link = max(adm, match - self.days(10, 40))
        elif foster_carer:
            # The foster carers are known: the match follows the order quickly.
            match = authority_date + self.skewed_days(7, 30, 120)
            link = max(adm, match - self.days(10, 40))
        else:
            wait = self.skewed_days(10, 80 if not harder else 200, 500 if not harder else 900)
            link = authority_date + wait
            match = link + self.skewed_days(14, 35, 120)
        if link > today:
            return self._store(rows, indexes, entered, left_care, events, worker, council)
        group = [rows.children[i] for i in indexes]
        household = self.household_for_match(
            match,
            council,
            rows,
            outside and not (ffa or foster_carer),
            group,
            link_date=link,
            ffa=ffa,
        )
        if household is not None and household.recruited_outside_region:
            provider = household.outside_agency  # the agency that approved them
        if not add(EventKind.LINKED, link, household=household):
            return self._store(rows, indexes, entered, left_care, events, worker, council)
        if not add(
            EventKind.MATCHED,
            match,
            household=household,
            panel_date=max(match - self.days(1, 14), adm),  # the panel follows the decision
        ):
            return self._store(rows, indexes, entered, left_care, events, worker, council)
        placed = max(match, authority_date) + self.skewed_days(3, 14, 60)
        if not add(
            EventKind.PLACED,
            placed,
            household=household,
            placement_provider=provider,
            foster_carer_adoption=bool(living_since),
            living_with_carers_since=min(living_since, placed) if living_since else None,
        ):
            return self._store(rows, indexes, entered, left_care, events, worker, council)

        if not (ffa or foster_carer) and rng.random() < 0.04:
            disruption = placed + self.skewed_days(14, 90, 300)
            if not add(
                EventKind.DISRUPTION,
                disruption,
                household=household,
                disruption_reason=rng.choice(
                    [DisruptionReason.CLOSE, DisruptionReason.CARPL, DisruptionReason.CREQB]
                ),
            ):
                return self._store(rows, indexes, entered, left_care, events, worker, council)
            left_on = disruption + self.days(20, 120)
            if household is not None and left_on <= today:
                # Most families step back after a placement ends.
                household.left_date, household.left_reason = left_on, LeftReason.CIRCUMSTANCES
            link = disruption + self.skewed_days(40, 120, 400)
            match = link + self.days(14, 60)
            if link > today:
                return self._store(rows, indexes, entered, left_care, events, worker, council)
            household = self.household_for_match(match, council, rows, False, group, link_date=link)
            placed = match + self.days(5, 30)
            if not (
                add(EventKind.LINKED, link, household=household)
                and add(
                    EventKind.MATCHED,
                    match,
                    household=household,
                    panel_date=match - self.days(1, 14),
                )
                and add(
                    EventKind.PLACED,
                    placed,
                    household=household,
                    placement_provider=PlacementProvider.OWN_COUNCIL,
                )
            ):
                return self._store(rows, indexes, entered, left_care, events, worker, council)

        application = placed + timedelta(weeks=10) + self.skewed_days(0, 60, 300)
        # Now and then the application was never recorded: the data-quality list shows it.
        recorded = rng.random() >= 0.04
        if recorded and not add(EventKind.ADOPTION_APPLICATION, application, household=household):
            return self._store(rows, indexes, entered, left_care, events, worker, council)
        if not recorded and application > today:
            return self._store(rows, indexes, entered, left_care, events, worker, council)
        order = application + self.skewed_days(30, 90, 300)
        if add(EventKind.ADOPTION_ORDER, order, household=household):
            left_care = order
        return self._store(rows, indexes, entered, left_care, events, worker, council)

    def _store(
        self,
        rows: CouncilRows,
        indexes: list[int],
        entered: date,
        left_care: date | None,
        events: list[tuple[str, date, dict]],
        worker: User,
        council: Council,
    ) -> None:
        adopted = any(kind == EventKind.ADOPTION_ORDER for kind, _, _ in events)
        left_reason = ""
        if left_care and adopted:
            left_reason = LeftCareReason.E11 if self.rng.random() < 0.9 else LeftCareReason.E12
        elif left_care:
            left_reason = self.rng.choice(LEFT_CARE_OTHERWISE)
        legal_status = self.rng.choices(LEGAL_STATUS_ON_ENTRY, [50, 30, 10, 10])[0]
        placed = any(kind == EventKind.PLACED for kind, _, _ in events)
        for index in indexes:
            if placed and len(indexes) > 1:  # sibling groups are placed together
                rows.children[index].siblings_placed_together = len(indexes)
                rows.children[index].siblings_placed_apart = 0
            rows.periods.append(
                (
                    index,
                    PeriodOfCare(
                        entered_care=entered,
                        legal_status=legal_status,
                        left_care=left_care,
                        left_care_reason=left_reason,
                    ),
                )
            )
            for kind, when, extra in events:
                event = JourneyEvent(
                    kind=kind,
                    date=when,
                    recorded_by=worker,
                    **{k: v for k, v in extra.items() if k != "household"},
                )
                household = extra.get("household")
                rows.events.append((index, event, household))

    # -- writing ---------------------------------------------------------------------------------
    def write(self, rows: CouncilRows, council: Council, by: User) -> None:
        """Insert one council's rows: a handful of bulk inserts, in one transaction."""
        with transaction.atomic():
            create = self._create
            create(rows.sibling_groups, SiblingGroup, by)
            for index, group_index in rows.sibling_group_of.items():
                rows.children[index].sibling_group = rows.sibling_groups[group_index]
            create(rows.households, Household, by)
            holds = []
            for index, hold in rows.holds:
                hold.household = rows.households[index]
                holds.append(hold)
            create(holds, HoldPeriod, by)
            create(rows.children, Child, by)
            periods = []
            for index, period in rows.periods:
                period.child = rows.children[index]
                periods.append(period)
            create(periods, PeriodOfCare, by)
            events = []
            for index, event, household in rows.events:
                event.child = rows.children[index]
                event.household = household
                events.append(event)
            create(events, JourneyEvent, by)
            # Derived data, as the services would have left it after each step.
            refresh_journey_summaries(Child.objects.filter(council=council))
            refresh_quality_flags([c.pk for c in rows.children], today=self.today)
            # the build recomputes every figure once at the end (see build), not per council
            mark_council_pending(council.pk, queue=False)

    def _create(self, objects: list, model, by: User) -> None:
        if not objects:
            return
        if self.history:
            bulk_create_with_history(
                objects, model, batch_size=2000, default_user=by, default_change_reason="Demo data"
            )
            if objects[0].pk is None:  # older databases do not return keys: fetch them back
                raise RuntimeError("The database did not return primary keys from bulk insert.")
        else:
            model.objects.bulk_create(objects, batch_size=5000)


def ensure_demo_logins(region: Region, councils: list[Council]) -> list[User]:
    """The demo logins of INTERFACES.md, with the published demo password (demo mode only).
    The password is hashed once for all of them: hashing is slow on purpose."""
    users = []
    hashed = make_password(DEMO_PASSWORD)
    for username, role, scope, first, last in DEMO_LOGINS:
        user, outcome = user_add_or_update(
            username=username,
            role=role,
            councils=[councils[scope]] if scope is not None else None,
            region=region if scope is None else None,
            first_name=first,
            last_name=last,
        )
        if outcome == "added" or not user.has_usable_password():
            user.password = hashed
            user.save(update_fields=["password"])
        users.append(user)
    return users


def council_social_workers(council: Council, rng: random.Random, how_many: int) -> list[User]:
    workers = []
    for number in range(1, how_many + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user, _ = user_add_or_update(
            username=f"sw{council.la_code}-{number}",
            role=Role.SOCIAL_WORKER,
            councils=[council],
            first_name=first,
            last_name=last,
        )
        workers.append(user)
    return workers


def national_councils(rng: random.Random, count: int) -> list[tuple[str, str, int]]:
    """``count`` invented councils with three-digit codes, grouped five to a region."""
    names = set()
    result = []
    code = 100
    while len(result) < count:
        name = rng.choice(COUNCIL_NAME_PARTS) + rng.choice(COUNCIL_NAME_ENDS)
        if name in names:
            continue
        names.add(name)
        code += 1
        if code in {int(c) for c, _ in DEMO_COUNCILS}:
            continue
        result.append((f"{code:03d}", f"{name} Council", len(result) // 5))
    return result


#: The national benchmark set's councils beyond the demo region's five.
NATIONAL_EXTRA_COUNCILS = 145


def progress_steps(size: str) -> int:
    """How many times :func:`build` calls its ``progress``: once per council, once for the
    recompute, and (the demo region) once each for the notifications, the forecasts and the
    board report."""
    if size == "region":
        return len(DEMO_COUNCILS) + 4
    return len(DEMO_COUNCILS) + NATIONAL_EXTRA_COUNCILS + 1


def build(
    *, seed: int, size: str, today: date, progress: Callable[[str], None] = lambda message: None
) -> dict:
    """Build the demo region (``size="region"``) or the national set (``size="national"``).

    Returns counts of what was written. Refuses nothing: the caller checks for existing data.
    """
    rng = random.Random(seed)
    region = Region.objects.get_or_create(name=DEMO_REGION_NAME)[0]
    councils = [
        council_add_or_rename(la_code=c, name=n, region=region)[0] for c, n in DEMO_COUNCILS
    ]
    logins = ensure_demo_logins(region, councils)
    admin_user = logins[-1]
    worker_by_council = {0: logins[0], 1: logins[1]}

    plan: list[tuple[Council, int]] = []
    if size == "region":
        per_council = [380, 330, 300, 270, 220]  # about 1,500 children, unevenly sized councils
        plan = list(zip(councils, per_council, strict=True))
        history = True
    else:
        history = False
        plan = [(c, 2000) for c in councils]
        regions: dict[int, Region] = {}
        for code, name, region_number in national_councils(rng, NATIONAL_EXTRA_COUNCILS):
            if region_number not in regions:
                regions[region_number] = Region.objects.get_or_create(
                    name=f"Benchmark Adoption Region {region_number + 1}"
                )[0]
            council = council_add_or_rename(la_code=code, name=name, region=regions[region_number])[
                0
            ]
            plan.append((council, rng.randint(1500, 2500)))

    totals = {"councils": len(plan), "children": 0, "events": 0, "households": 0}
    for number, (council, count) in enumerate(plan, start=1):
        generator = Generator(
            seed=seed * 1000 + number, today=today, region=council.region, history=history
        )
        workers = council_social_workers(council, generator.rng, 4 if size == "region" else 1)
        if number - 1 in worker_by_council:
            workers.append(worker_by_council[number - 1])
        rows = generator.journeys(council, workers, count)
        if size == "region" and number == 1:
            generator.pipeline_households(rows, council, 20)
        elif size == "region":
            generator.pipeline_households(rows, council, 16)
        generator.write(rows, council, admin_user)
        totals["children"] += len(rows.children)
        totals["events"] += len(rows.events)
        totals["households"] += len(rows.households)
        progress(f"{number}/{len(plan)} {council.name}: {len(rows.children)} children")
    # Fresh statistics and visibility for the planner after a bulk load (autovacuum may be off
    # or not yet round), then one full recompute of the stored figures (it clears the
    # councils' markers), rather than one per council as each was written: the dashboards are
    # ready when the command ends.
    analyse_after_bulk_load()
    progress(recompute_all(today=today).line())
    if size == "region":
        # The morning job's notifications for thresholds passed this past week: the team
        # managers (and workers) signing in see an unread count in the navigation.
        progress(f"Tracking notifications: {notify_crossings(today=today)}")
        # The forecasts the nightly job would store, so the demo shows them from the start,
        # fitted before the board report so its published version carries the projection.
        fit_and_store(region, today)
        progress("Forecasts fitted")
        publish_demo_board_report(region, today)
        progress("Board report for the last complete quarter: publication requested")
    return totals


def analyse_after_bulk_load() -> None:
    """``VACUUM ANALYZE`` the case tables on PostgreSQL (outside a transaction only)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = [
        model._meta.db_table
        for model in (Child, PeriodOfCare, JourneyEvent, SiblingGroup, Household, HoldPeriod)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def last_complete_quarter(today: date) -> tuple[int, int]:
    """(financial year's first calendar year, quarter 1..4) of the last quarter ended before
    ``today``."""
    return P.previous_quarter(*P.quarter_of(today))


def publish_demo_board_report(region: Region, today: date) -> None:
    """The head of service drafts the region's report for the last complete quarter, writes
    its narrative (no child named) and asks for it to be published: board members signing in
    to the demo have a report to read. The render runs after commit (in-process without
    Redis; by the worker with it)."""
    head_of_service = User.objects.get(username="regional")
    year, quarter = last_complete_quarter(today)
    with transaction.atomic():
        version = reports.report_start(
            acting_user=head_of_service,
            region=region,
            council=None,
            year=year,
            quarter=quarter,
            today=today,
        )
        reports.version_save_narrative(
            version=version,
            acting_user=head_of_service,
            fields={
                "summary": "Steady quarter across the five partner councils: matches kept pace "
                "with new placement orders, and the adopter pipeline grew.",
                "going_well": "Early permanence: more children placed with dual-approved "
                "carers, which shortens the time from entering care to moving in.",
                "risks": "Fewer enquiries from prospective adopters than last year; older "
                "children and sibling groups wait longest.",
                "next_steps": "A recruitment campaign for sibling-group adopters and a review of "
                "every child waiting over 18 months at the next tracking meeting.",
            },
        )
        reports.version_request_publication(version=version, acting_user=head_of_service)
