"""A year of the demo patients' check-ins: every fourth week while they have an episode, a life and
care check-in and one on each key person of the moment, with one strained relationship and one
request for help on the team leader's ward."""

import random
from datetime import datetime, timedelta

from wardtrack.checkins.models import (
    DIALOG_ITEMS,
    LIFE_ITEMS,
    RELATIONSHIP_ITEMS,
    CheckIn,
    CheckInItem,
)
from wardtrack.demo.timeline import Clock, EpisodePlan
from wardtrack.patients.models import Designation

#: Check-ins are made in every CYCLE-th ISO week, so that a ward's week has enough patients to show.
CYCLE = 4
WEEKS = 52
#: The life or care domain on which the showcase patient asks for more help.
HELP_WITH = "accommodation"
#: The showcase's safety person: good twice (mean 3.17), then strained (mean 0.83).
GOOD = dict(zip(RELATIONSHIP_ITEMS, (3, 3, 3, 4, 3, 3), strict=True))
STRAINED = dict(zip(RELATIONSHIP_ITEMS, (1, 1, 0, 1, 2, 0), strict=True))


def cycle_days(rng: random.Random, clock: Clock) -> list[datetime]:
    """One moment in each CYCLE-th week of the last WEEKS weeks (UTC Mondays), in the past."""
    monday = (clock.now - timedelta(days=clock.now.weekday())).replace(hour=0, minute=0)
    days = []
    for week in range(WEEKS - 1, -1, -CYCLE):
        at = monday - timedelta(weeks=week, days=-rng.randint(0, 6), hours=-rng.randint(9, 20),
                                minutes=-rng.randint(0, 59))
        if at < clock.now - timedelta(hours=1):
            days.append(at)
    return days


def _scores(rng: random.Random, items, centre: float, low: int, high: int) -> dict[str, int]:
    return {item: max(low, min(high, round(rng.gauss(centre, 0.7)))) for item in items}


def _check_in(kind, patient_id, ward_id, at, scores, share, professional_id=None, more_help=()):
    return CheckIn(patient_id=patient_id, kind=kind, professional_id=professional_id,
                   ward_id=ward_id, share=share, created_at=at,
                   items=[CheckInItem(item=item, score=score, more_help=item in more_help)
                          for item, score in scores.items()])


def check_ins(rng: random.Random, days: list[datetime], patient_id: int,
              episodes: list[EpisodePlan], ward_ids: dict[str, int],
              designations: list[Designation], strained_at: datetime | None) -> list[CheckIn]:
    """The patient's check-ins on `days` that fall in one of their episodes. With `strained_at`,
    the patient's safety person is rated GOOD on the last two of them, and at `strained_at` the
    patient checks in of their own accord: STRAINED on the safety person, and more help wanted with
    HELP_WITH, shared with the team leader."""
    made = []
    life, care = rng.uniform(3.5, 5.5), rng.uniform(4, 6)
    bond = {d.professional_id: rng.uniform(2.4, 3.6) for d in designations}
    covered = [(at, _current(episodes, at)) for at in days if _current(episodes, at)]
    for n, (at, plan) in enumerate(covered):
        scores = _life_and_care(rng, life, care)
        asks = [item for item in DIALOG_ITEMS if scores[item] <= 2 and rng.random() < 0.3]
        made.append(_check_in("dialog", patient_id, ward_ids[plan.ward], at, scores,
                              rng.choice(("team_leader", "team_leader", "ward")), more_help=asks))
        rated_now = set()  # one check-in a person, whatever their roles
        for d in sorted(designations, key=lambda d: d.kind != "safety_person"):
            if not _named(d, at) or d.professional_id in rated_now:
                continue
            rated_now.add(d.professional_id)
            if strained_at and d.kind == "safety_person" and n >= len(covered) - 2:
                rated, share = GOOD, "team_leader"
            elif rng.random() < 0.8:
                rated = _scores(rng, RELATIONSHIP_ITEMS, bond[d.professional_id], 0, 4)
                share = rng.choice(("team_leader", "team_leader", "ward", "team_leader_and_person"))
            else:
                continue
            made.append(_check_in("relationship", patient_id, ward_ids[plan.ward],
                                  at + timedelta(minutes=2), rated, share,
                                  professional_id=d.professional_id))
    if strained_at:
        ward_id = ward_ids[_current(episodes, strained_at).ward]
        made.append(_check_in("dialog", patient_id, ward_id, strained_at,
                              _life_and_care(rng, life, care), "team_leader",
                              more_help=[HELP_WITH]))
        safety = next(d for d in designations if d.kind == "safety_person" and _named(d, strained_at))
        made.append(_check_in("relationship", patient_id, ward_id, strained_at + timedelta(minutes=2),
                              STRAINED, "team_leader", professional_id=safety.professional_id))
    return made


def _current(episodes: list[EpisodePlan], at: datetime) -> EpisodePlan | None:
    """The episode current at `at`: an admission before an enrolment, the latest first."""
    covering = [plan for plan in episodes if plan.covers(at)]
    return min(covering, key=lambda plan: (plan.kind != "inpatient", -plan.started_at.timestamp()),
               default=None)


def _named(designation: Designation, at: datetime) -> bool:
    return designation.started_at <= at and (designation.ended_at is None
                                             or at < designation.ended_at)


def _life_and_care(rng: random.Random, life: float, care: float) -> dict[str, int]:
    return {**_scores(rng, LIFE_ITEMS, life, 1, 7),
            **_scores(rng, DIALOG_ITEMS[len(LIFE_ITEMS):], care, 1, 7)}
