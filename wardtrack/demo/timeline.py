"""A patient's episodes over the last two years, planned from their story. Plain data, no
database."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from wardtrack.demo.catalogue import Profile

OSLO = ZoneInfo("Europe/Oslo")
WINDOW_DAYS = 728


@dataclass(frozen=True)
class Clock:
    """The demo's 'now', and local (ward) times turned into aware UTC datetimes."""

    now: datetime

    @property
    def cutoff(self) -> datetime:
        """Nothing happens after this: every contact has been sent from the phone by now."""
        return self.now - timedelta(minutes=20)

    def today(self) -> date:
        return self.now.astimezone(OSLO).date()

    def day_of(self, moment: datetime) -> date:
        """The local calendar day of a moment."""
        return moment.astimezone(OSLO).date()

    def at(self, day: date, hour: float) -> datetime:
        """Local clock time on a day (hours past 24 run into the next day), in UTC."""
        local = datetime(day.year, day.month, day.day, tzinfo=OSLO) + timedelta(
            minutes=round(hour * 60)
        )
        # Adding wall-clock hours across a DST change is off by an hour at worst, which is fine
        # here.
        return local.astimezone(UTC)

    def days_ago(self, days: int, hour: float) -> datetime:
        return self.at(self.today() - timedelta(days=days), hour)


@dataclass(frozen=True)
class EpisodePlan:
    ward: str
    kind: str
    legal_status: str
    started_at: datetime
    ended_at: datetime | None

    def covers(self, moment: datetime) -> bool:
        return self.started_at <= moment and (self.ended_at is None or moment < self.ended_at)


def plan_episodes(rng: random.Random, clock: Clock, profile: Profile) -> list[EpisodePlan]:
    """Outpatient enrolments, crisis team episodes and admissions, sorted by start.

    Admissions are laid out backwards from now with gaps, so that they never overlap.
    """
    home_start = clock.days_ago(rng.randint(560, 725), rng.uniform(9, 14))
    stays = _admissions(rng, clock, profile, floor=clock.days_ago(WINDOW_DAYS, 0))
    crisis = _crisis(rng, clock, profile, stays)
    homes = _homes(rng, clock, profile, home_start)
    return sorted(homes + crisis + stays, key=lambda e: (e.started_at, e.kind))


def _admit_hour(rng: random.Random, ward: str) -> float:
    if ward == "dps":  # planned admissions, office hours
        return rng.uniform(10, 14)
    return rng.choice((2, 9, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23)) + rng.random()


def _legal(rng: random.Random, profile: Profile, factor: float = 1.0) -> str:
    return "involuntary" if rng.random() < profile.involuntary * factor else "voluntary"


def _current(rng: random.Random, clock: Clock, profile: Profile) -> list[EpisodePlan]:
    start = clock.days_ago(rng.randint(*profile.current_days), _admit_hour(rng, profile.ward))
    factor = 0.5 if profile.ward == "dps" else 1.0
    stays = [EpisodePlan(profile.ward, "inpatient", _legal(rng, profile, factor), start, None)]
    if profile.transfer_from:
        before = clock.days_ago((clock.today() - clock.day_of(start)).days + rng.randint(4, 9),
                                _admit_hour(rng, profile.transfer_from))
        stays.insert(
            0, EpisodePlan(profile.transfer_from, "inpatient", _legal(rng, profile), before, start)
        )
    return stays


def _admissions(
    rng: random.Random, clock: Clock, profile: Profile, floor: datetime
) -> list[EpisodePlan]:
    stays = _current(rng, clock, profile) if profile.current_days else []
    cursor = stays[0].started_at if stays else clock.now
    gap, length = profile.recent_gap, profile.stay
    for _ in range(profile.previous):
        end_day = clock.day_of(cursor) - timedelta(days=rng.randint(*gap))
        start_day = end_day - timedelta(days=rng.randint(*length))
        ward = profile.ward
        if profile.cluster and rng.random() < 0.3:
            ward = "acute2" if ward == "acute1" else "acute1"
        start = clock.at(start_day, _admit_hour(rng, ward))
        if start < floor:
            break
        stays.insert(0, EpisodePlan(ward, "inpatient", _legal(rng, profile), start,
                                    clock.at(end_day, rng.uniform(10, 15))))
        cursor = start
        gap = (12, 45) if profile.cluster else (120, 300)
    return stays


def _clashes(start: datetime, end: datetime, others: list[EpisodePlan]) -> bool:
    return any(
        start < (o.ended_at or datetime.max.replace(tzinfo=UTC)) and o.started_at < end
        for o in others
    )


def _crisis(
    rng: random.Random, clock: Clock, profile: Profile, stays: list[EpisodePlan]
) -> list[EpisodePlan]:
    """Crisis team episodes: the first one ends in the latest admission, the rest stand alone."""
    plans: list[EpisodePlan] = []
    admitted = [s for s in stays if s.ward != profile.transfer_from]
    if profile.crisis and admitted:
        latest = admitted[-1]
        start = latest.started_at - timedelta(days=rng.randint(2, 6), hours=rng.uniform(0, 8))
        if not _clashes(start, latest.started_at, [s for s in stays if s is not latest]):
            plans.append(EpisodePlan("crisis", "outpatient", "voluntary", start, latest.started_at))
    for _ in range(200):
        if len(plans) >= profile.crisis:
            break
        start = clock.days_ago(rng.randint(30, 600), rng.uniform(9, 20))
        end = start + timedelta(days=rng.randint(3, 12), hours=rng.uniform(-3, 3))
        if not _clashes(start - timedelta(days=7), end + timedelta(days=7), stays + plans):
            plans.append(EpisodePlan("crisis", "outpatient", "voluntary", start, end))
    return plans


def _homes(
    rng: random.Random, clock: Clock, profile: Profile, start: datetime
) -> list[EpisodePlan]:
    """The outpatient enrolment (or two, when the patient moved from one team to another)."""
    if len(profile.home) == 1:
        return [EpisodePlan(profile.home[0], "outpatient", "voluntary", start, None)]
    split = clock.days_ago(rng.randint(120, 200), rng.uniform(9, 14))
    return [EpisodePlan(profile.home[0], "outpatient", "voluntary", start, split),
            EpisodePlan(profile.home[1], "outpatient", "voluntary", split, None)]
