"""One patient's contacts over two years, generated from their episodes as plain rows for a bulk
insert.

Each ward gives a patient a core team (a primary nurse first) whom they see most; others on shift
fill in. Patients whose story has turnover get whichever doctor is around, so that the continuity
flags have something to show.
"""

import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wardtrack.demo.catalogue import Profile
from wardtrack.demo.staff import Roster
from wardtrack.demo.timeline import OSLO, Clock, EpisodePlan

DECISIONS = ("decision", "coercive_measure")
DURATIONS = {
    "conversation": (15, 60),
    "group": (45, 90),
    "phone": (5, 20),
    "video": (20, 45),
    "medication": (5, 10),
    "decision": (10, 30),
    "coercive_measure": (10, 120),
    "maintenance": (30, 60),
    "admission": (30, 90),
    "discharge": (20, 45),
}


@dataclass(frozen=True)
class Team:
    """How an outpatient team follows a patient up."""

    interval: tuple[int, int]  # days between contacts
    core: str  # the profession of the patient's own contact(s)
    core_size: int
    others: tuple[str, ...]
    kinds: tuple[str, ...]
    weights: tuple[int, ...]
    review: tuple[int, int]  # days between the psychiatrist's reviews


TEAMS = {
    "clinic": Team((7, 21), "psychologist", 1, ("nurse", "social_worker", "psychologist"),
                   ("conversation", "video", "phone"), (7, 1, 2), (60, 120)),
    "act": Team((2, 6), "nurse", 2,
                ("social_worker", "peer_worker", "occupational_therapist", "psychologist"),
                ("conversation", "phone", "medication"), (6, 3, 1), (30, 45)),
}


def _weekday(day: date) -> date:
    """The day itself, or the Monday after a weekend."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


class PatientContacts:
    """Generates the contacts of one patient's episodes."""

    def __init__(
        self, rng: random.Random, clock: Clock, roster: Roster, patient_id: int, profile: Profile
    ):
        self.rng, self.clock, self.roster = rng, clock, roster
        self.patient_id, self.profile = patient_id, profile
        self.rows: list[dict] = []
        self.cores: dict[tuple[str, str], list[int]] = {}
        self.episodes: list[EpisodePlan] = []
        self.stays: list[EpisodePlan] = []
        self.first_primary: int | None = None  # the primary nurse of the first stay

    def generate(self, episodes: list[EpisodePlan]) -> list[dict]:
        """Every contact of the patient, sorted by time."""
        self.episodes = episodes
        self.stays = [e for e in episodes if e.kind == "inpatient"]
        for episode in episodes:
            if episode.ward in TEAMS:
                self._outpatient(episode)
            elif episode.ward == "crisis":
                self._crisis(episode)
        for stay in self.stays:
            self._stay(stay)
        if self.profile.maintenance:
            self._maintenance()
        self.rows.sort(key=lambda row: row["occurred_at"])
        if not self.profile.turnover:
            self._only_known_decide()
        current = next((s for s in self.stays if s.ended_at is None), None)
        if current is not None:
            self._showcase(current)
        self.rows.sort(key=lambda row: row["occurred_at"])
        return self.rows

    def most_seen(self, wards) -> list[int]:
        """Professionals seen on these wards, most contacts first."""
        ward_ids = {self.roster.ward_ids[w] for w in wards}
        counts = Counter(r["professional_id"] for r in self.rows if r["ward_id"] in ward_ids)
        return [pid for pid, _ in counts.most_common()]

    def first_met(self, professional_id: int) -> datetime | None:
        return next(
            (r["occurred_at"] for r in self.rows if r["professional_id"] == professional_id), None
        )

    # -- choosing professionals

    def _core(self, ward: str, profession: str, day: date, size: int) -> list[int]:
        regular = self.roster.on(ward, profession, day, regular=True)
        core = [pid for pid in self.cores.get((ward, profession), []) if pid in regular]
        spare = [pid for pid in regular if pid not in core]
        while len(core) < size and spare:
            core.append(spare.pop(self.rng.randrange(len(spare))))
        self.cores[(ward, profession)] = core
        return core

    def _pick(
        self, ward: str, profession: str, day: date, loyalty: float = 0.8, size: int = 1
    ) -> int | None:
        """Mostly the patient's own (the first of them most), otherwise whoever is on the ward."""
        staff = self.roster.on(ward, profession, day)
        if not staff:
            return None
        core = self._core(ward, profession, day, size)
        if core and self.rng.random() < loyalty:
            return core[0] if self.rng.random() < 0.6 else self.rng.choice(core)
        return self.rng.choice(staff)

    def _doctor(self, ward: str, day: date) -> int | None:
        if self.profile.turnover:
            pool = self.roster.doctors_on((ward,), day) + self.roster.on_call(day)
            return self.rng.choice(pool) if pool else None
        return self._pick(ward, "psychiatrist", day, 1.0) or self._pick(ward, "doctor", day, 1.0)

    # -- writing rows

    def _emit(self, ward: str, professional_id: int | None, kind: str, at: datetime) -> None:
        if professional_id is None or at > self.clock.cutoff:
            return
        rng = self.rng
        low, high = DURATIONS[kind]
        # Mostly sent at once; now and then a phone was offline in a corridor for a while.
        offline = rng.random() < 0.05
        delay = (
            timedelta(minutes=rng.randint(30, 180))
            if offline
            else timedelta(seconds=rng.randint(5, 600))
        )
        self.rows.append(
            {
                "client_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "patient_id": self.patient_id,
                "professional_id": professional_id,
                "ward_id": self.roster.ward_ids[ward],
                "kind": kind,
                "occurred_at": at,
                "duration_minutes": None if rng.random() < 0.3 else rng.randint(low, high),
                "received_at": min(at + delay, self.clock.now - timedelta(seconds=1)),
                "logged_by": self.roster.logger(professional_id, ward),
            }
        )

    def _at(
        self, episode: EpisodePlan, day: date, hour: float, kind: str, professional_id: int | None
    ) -> None:
        at = self.clock.at(day, hour)
        if episode.started_at < at < (episode.ended_at or self.clock.cutoff):
            self._emit(episode.ward, professional_id, kind, at)

    def _admitted(self, at: datetime) -> bool:
        return any(stay.covers(at) for stay in self.stays)

    def _home_at(self, at: datetime) -> EpisodePlan | None:
        return next((e for e in self.episodes if e.ward in TEAMS and e.covers(at)), None)

    # -- episodes

    def _outpatient(self, episode: EpisodePlan) -> None:
        team, rng, ward = TEAMS[episode.ward], self.rng, episode.ward
        interval = (14, 35) if self.profile.maintenance else team.interval
        end = min(episode.ended_at or self.clock.cutoff, self.clock.cutoff)
        moment = episode.started_at + timedelta(days=rng.randint(1, 4))
        review = moment + timedelta(days=rng.randint(10, 40))
        self._handover(episode)
        while moment < end:
            day = _weekday(self.clock.day_of(moment))
            if rng.random() < 0.8:
                member = self._pick(ward, team.core, day, 0.9, team.core_size)
            else:
                member = self._pick(ward, rng.choice(team.others), day, 0.7)
            self._outpatient_contact(episode, day, rng.choices(team.kinds, team.weights)[0], member)
            if moment >= review:
                kind = rng.choice(("conversation", "decision", "medication"))
                self._outpatient_contact(
                    episode, day, kind, self._pick(ward, "psychiatrist", day, 1.0)
                )
                review += timedelta(days=rng.randint(*team.review))
            moment += timedelta(days=rng.randint(*interval))

    def _handover(self, episode: EpisodePlan) -> None:
        """Half the patients moving from one outpatient team to another meet their old contact there
        once."""
        earlier = [e for e in self.episodes if e.ward in TEAMS and e.ended_at == episode.started_at]
        if not earlier or self.rng.random() < 0.5:
            return
        team, day = (TEAMS[earlier[-1].ward],
                     _weekday(self.clock.day_of(episode.started_at) + timedelta(days=3)))
        known = self.cores.get((earlier[-1].ward, team.core))
        self._outpatient_contact(episode, day, "conversation", known[0] if known else None)

    def _outpatient_contact(
        self, episode: EpisodePlan, day: date, kind: str, professional_id: int | None
    ) -> None:
        at = self.clock.at(day, self.rng.uniform(8.5, 15.5))
        if episode.covers(at) and not self._admitted(at):
            self._emit(episode.ward, professional_id, kind, at)

    def _crisis(self, episode: EpisodePlan) -> None:
        """Home visits and phone calls every day, by whoever of the crisis team is on duty."""
        rng, first = self.rng, self.clock.day_of(episode.started_at)
        psychiatrist = self._pick("crisis", "psychiatrist", first, 1.0)
        self._emit("crisis", psychiatrist, "conversation",
                   episode.started_at + timedelta(hours=rng.uniform(2, 5)))
        for index in range((self.clock.day_of(episode.ended_at) - first).days + 1):
            day = first + timedelta(days=index)
            for _ in range(rng.choice((1, 1, 2))):
                kind = rng.choice(("phone", "conversation"))
                self._at(episode, day, rng.uniform(9, 21.5), kind,
                         self._pick("crisis", "nurse", day, 0.3, 2))

    def _stay(self, stay: EpisodePlan) -> None:
        self._admission(stay)
        first = self.clock.day_of(stay.started_at)
        for index in range(
            (self.clock.day_of(stay.ended_at or self.clock.cutoff) - first).days + 1
        ):
            self._ward_day(stay, first + timedelta(days=index), index)
        if self.first_primary is None:
            self.first_primary = (self.cores.get((stay.ward, "nurse")) or [None])[0]
        if stay.ended_at is not None:
            discharge = stay.ended_at - timedelta(minutes=self.rng.randint(30, 120))
            self._emit(stay.ward, self._doctor(stay.ward, self.clock.day_of(discharge)),
                       "discharge", discharge)
        self._known_visit(stay, first)

    def _admission(self, stay: EpisodePlan) -> None:
        """The admitting doctor (on call, or the ward's own for a planned stay), a nurse, then the
        ward doctor."""
        rng, ward, day = self.rng, stay.ward, self.clock.day_of(stay.started_at)
        planned = ward == "dps"
        admitting = (
            self._pick(ward, "psychiatrist", day, 1.0)
            if planned
            else rng.choice(self.roster.on_call(day))
        )
        self._emit(
            ward, admitting, "admission", stay.started_at + timedelta(minutes=rng.randint(10, 45))
        )
        nurse = self._pick(ward, "nurse", day, 0.9, 3)
        self._emit(
            ward, nurse, "conversation", stay.started_at + timedelta(minutes=rng.randint(60, 150))
        )
        if not self.profile.turnover:
            self._emit(
                ward, self._doctor(ward, day), "conversation", self._next_morning(stay.started_at)
            )

    def _next_morning(self, start: datetime) -> datetime:
        """The ward doctor's first talk: the next morning round, within 24 hours of the
        admission."""
        local = start.astimezone(OSLO)
        if local.hour < 7:
            return self.clock.at(local.date(), self.rng.uniform(9, 11))
        if local.hour < 14:
            return start + timedelta(hours=self.rng.uniform(1, 3))
        return self.clock.at(local.date() + timedelta(days=1), self.rng.uniform(9, 11))

    def _ward_day(self, stay: EpisodePlan, day: date, index: int) -> None:
        """Medication rounds, talks with nurses (rarely at night), and on weekdays rounds and
        therapy."""
        rng, ward = self.rng, stay.ward
        self._at(
            stay, day, rng.gauss(8.3, 0.3), "medication", self._pick(ward, "nurse", day, 0.5, 3)
        )
        self._at(
            stay, day, rng.gauss(20.3, 0.3), "medication", self._pick(ward, "nurse", day, 0.5, 3)
        )
        for chance, hours, loyalty in ((0.8, (10, 15), 0.75), (0.4, (16, 21.5), 0.6),
                                       (0.1, (23, 30), 0.2)):
            if rng.random() < chance:
                self._at(stay, day, rng.uniform(*hours), "conversation",
                         self._pick(ward, "nurse", day, loyalty, 3))
        if day.weekday() < 5:
            self._weekday(stay, day, index)
        if stay.legal_status == "involuntary" and rng.random() < 0.02:
            self._at(stay, day, rng.uniform(0, 24), "coercive_measure", self._doctor(ward, day))

    def _weekday(self, stay: EpisodePlan, day: date, index: int) -> None:
        rng, ward = self.rng, stay.ward
        if day.weekday() in (0, 3) and index >= 1:  # ward rounds on Mondays and Thursdays
            self._at(stay, day, rng.uniform(9, 11.5), "decision", self._doctor(ward, day))
        if self.profile.turnover and rng.random() < 0.3:
            self._at(stay, day, rng.uniform(11, 15), "conversation", self._doctor(ward, day))
        if rng.random() < 0.2:
            self._at(stay, day, rng.uniform(9, 15), "conversation",
                     self._pick(ward, "psychologist", day, 0.9))
        if rng.random() < 0.3:
            leader = (
                self._pick(ward, "occupational_therapist", day)
                or self._pick(ward, "nurse", day, 0.3)
            )
            self._at(stay, day, rng.uniform(13, 14.5), "group", leader)
        if rng.random() < 0.08:
            self._at(stay, day, rng.uniform(9, 15), "conversation",
                     self._pick(ward, "social_worker", day))

    def _known_visit(self, stay: EpisodePlan, first: date) -> None:
        """Half of the stable patients get a visit on the ward from their own outpatient contact."""
        home = self._home_at(stay.started_at)
        if self.profile.turnover or home is None or self.rng.random() < 0.5:
            return
        day = first + timedelta(days=self.rng.randint(1, 4))
        team = TEAMS[home.ward]
        core = self._core(home.ward, team.core, day, team.core_size)
        self._at(stay, day, self.rng.uniform(12, 15), "conversation", core[0] if core else None)

    def _maintenance(self) -> None:
        """'1-2 times a year just so I don't lose her': sessions with the primary nurse of the first
        stay."""
        if self.first_primary is None or self.stays[0].ended_at is None:
            return
        moment = self.stays[0].ended_at + timedelta(days=self.rng.randint(30, 90))
        while moment < self.clock.cutoff:
            at = self.clock.at(_weekday(self.clock.day_of(moment)), self.rng.uniform(13, 15))
            home = self._home_at(at)
            if home is not None and not self._admitted(at):
                self._emit(home.ward, self.first_primary, "maintenance", at)
            moment += timedelta(days=self.rng.randint(150, 210))

    def _showcase(self, stay: EpisodePlan) -> None:
        """What some stories show on the board for sure, whatever the dice said: nobody known met
        since the arrival, a coercive measure by a stranger, four doctors or more in a month of many
        doctors."""
        if self.profile.unknown_on_arrival:
            met = {r["professional_id"] for r in self.rows if r["occurred_at"] < stay.started_at}
            self.rows = [
                r
                for r in self.rows
                if r["occurred_at"] < stay.started_at or r["professional_id"] not in met
            ]
        if self.profile.stranger_coercion:
            self._stranger_coercion(stay)
        if self.profile.turnover:
            self._enough_doctors(stay)

    def _stranger_coercion(self, stay: EpisodePlan) -> None:
        day = self.clock.today() - timedelta(days=2)
        at = self.clock.at(day, 14.5)
        met = {r["professional_id"] for r in self.rows if r["occurred_at"] < at}
        strangers = [pid for pid in self.roster.on_call(day) if pid not in met]
        if strangers and at - stay.started_at > timedelta(days=2):
            self._emit(stay.ward, strangers[0], "coercive_measure", at)

    def _enough_doctors(self, stay: EpisodePlan, wanted: int = 4) -> None:
        """At least `wanted` different doctors in the last 30 days of a stay with many doctors."""
        since = self.clock.now - timedelta(days=30)
        doctors = set(self.roster.doctors_on(("acute1", "acute2", "dps"), self.clock.today()))
        for back in range(1, 28):
            seen = {r["professional_id"] for r in self.rows if r["occurred_at"] >= since}
            if len(seen & doctors) >= wanted:
                return
            day = self.clock.today() - timedelta(days=back)
            pool = [
                pid
                for pid in self.roster.doctors_on((stay.ward,), day) + self.roster.on_call(day)
                if pid not in seen
            ]
            at = self.clock.at(day, 11.5)
            if pool and stay.covers(at) and at - stay.started_at > timedelta(days=1):
                self._emit(stay.ward, pool[0], "conversation", at)

    def _only_known_decide(self) -> None:
        """Stable teams meet a patient before deciding: a decision by someone not met before,
        outside the first day of an episode, becomes a conversation."""
        met: set[int] = set()
        for row in self.rows:
            if row["kind"] in DECISIONS and row["professional_id"] not in met:
                starts = [e.started_at for e in self.episodes if e.covers(row["occurred_at"])]
                if not starts or row["occurred_at"] - max(starts) > timedelta(hours=24):
                    row["kind"] = "conversation"
            met.add(row["professional_id"])
