"""The demo's wards, staff (with their ward memberships over time) and accounts."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from wardtrack.auth.operations import create_user
from wardtrack.demo.catalogue import (
    INPATIENT_WARDS,
    LOCUMS,
    MOVES,
    STAFF,
    STAFF_LOGINS,
    WARDS,
    Login,
)
from wardtrack.demo.names import Names, work_phone
from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Professional, Ward

DOCTORS = ("psychiatrist", "doctor")

#: The demo team leader's ward (Akuttpost 1).
LEADER_WARD = "acute1"


@dataclass
class Roster:
    """Who works where on which day, for the generator; plain ids, no database."""

    ward_ids: dict[str, int]
    # (ward key, profession) -> [(professional id, started_on, ended_on or None, locum)]
    index: dict[tuple[str, str], list[tuple[int, date, date | None, bool]]] = field(
        default_factory=dict
    )
    user_of: dict[int, int] = field(default_factory=dict)  # professional id -> user id
    # ward key -> the nurse account logging there
    ward_logger: dict[str, int] = field(default_factory=dict)

    def add(self, professional_id: int, profession: str, ward: str, started: date,
            ended: date | None, locum: bool) -> None:
        self.index.setdefault((ward, profession), []).append(
            (professional_id, started, ended, locum)
        )

    def on(self, ward: str, profession: str, day: date, regular: bool = False) -> list[int]:
        """The professionals of a profession on a ward that day (regular: without locums)."""
        return [pid for pid, start, end, locum in self.index.get((ward, profession), ())
                if start <= day and (end is None or day <= end) and not (regular and locum)]

    def doctors_on(self, wards, day: date, professions=DOCTORS) -> list[int]:
        """Doctors and psychiatrists (locums included) on any of the wards that day."""
        return sorted(
            {
                pid
                for ward in wards
                for profession in professions
                for pid in self.on(ward, profession, day)
            }
        )

    def on_call(self, day: date) -> list[int]:
        """The hospital's on-call doctors that day: every doctor of an inpatient ward."""
        return self.doctors_on(INPATIENT_WARDS, day, ("doctor",))

    def logger(self, professional_id: int, ward: str) -> int | None:
        """The account that logged a contact: the professional's own, else the ward's nurse, if
        any."""
        return self.user_of.get(professional_id, self.ward_logger.get(ward))


def create_wards() -> dict[str, Ward]:
    """The demo wards, one of each common setting (two acute wards)."""
    wards = {key: Ward(name=name, setting=setting) for key, name, setting in WARDS}
    db.session.add_all(wards.values())
    db.session.flush()
    return wards


def _staff_specs(rng: random.Random, today: date) -> list[dict]:
    specs = []
    for ward, counts in STAFF.items():
        for profession, count in counts.items():
            for _ in range(count):
                started = today - timedelta(days=rng.randint(800, 4000))
                specs.append(
                    {"profession": profession, "periods": [[ward, started, None]], "locum": False}
                )
    for from_ward, profession, to_ward, days in MOVES:
        spec = [
            s for s in specs if s["profession"] == profession and s["periods"][0][0] == from_ward
        ][-1]
        spec["periods"][0][2] = today - timedelta(days=days)
        spec["periods"].append([to_ward, today - timedelta(days=days - 1), None])
    for number in range(LOCUMS):
        ward = ("acute1", "acute2")[number % 2]
        # The first two cover their wards now; the others came and went over the two years.
        started = today - timedelta(
            days=rng.randint(20, 50) if number < 2 else rng.randint(90, 700)
        )
        ended = None if number < 2 else started + timedelta(days=rng.randint(21, 70))
        specs.append({"profession": "doctor", "periods": [[ward, started, ended]], "locum": True})
    return specs


def create_staff(rng: random.Random, names: Names, wards: dict[str, Ward], today: date) -> Roster:
    """Regular staff of every profession, some who moved wards, and locum doctors without phones."""
    specs = _staff_specs(rng, today)
    people = []
    for number, spec in enumerate(specs):
        memberships = [
            Membership(ward_id=wards[w].id, started_on=s, ended_on=e) for w, s, e in spec["periods"]
        ]
        people.append(
            Professional(name=names.full_name(), profession=spec["profession"],
                         memberships=memberships,
                         work_phone=None if spec["locum"] else work_phone(100 + number))
        )
    db.session.add_all(people)
    db.session.flush()
    roster = Roster({key: ward.id for key, ward in wards.items()})
    for person, spec in zip(people, specs, strict=True):
        for ward, started, ended in spec["periods"]:
            roster.add(person.id, spec["profession"], ward, started, ended, spec["locum"])
    return roster


def _first(roster: Roster, ward: str, profession: str, skip: int = 0) -> int:
    return roster.index[(ward, profession)][skip][0]


def create_accounts(
    roster: Roster, wards: dict[str, Ward], patient_logins: list[tuple[Login, int]]
) -> dict[str, int]:
    """The demo logins; staff accounts are professionals of their ward. Returns user ids by
    username."""
    staff = {
        "admin": ([], None),
        "leader": ([LEADER_WARD], _first(roster, LEADER_WARD, "nurse")),
        "nurse": (["acute1"], _first(roster, "acute1", "nurse", 1)),
        "nurse2": (["acute2"], _first(roster, "acute2", "nurse")),
    }
    made = {}
    for login in STAFF_LOGINS:
        ward_keys, professional_id = staff[login.username]
        user = create_user(login.username, login.password, login.role,
                           [wards[k].id for k in ward_keys], professional_id=professional_id)
        made[login.username] = user.id
        if professional_id is not None:
            roster.user_of[professional_id] = user.id
    roster.ward_logger = {"acute1": made["nurse"], "acute2": made["nurse2"]}
    for login, patient_id in patient_logins:
        made[login.username] = create_user(
            login.username, login.password, login.role, patient_id=patient_id
        ).id
    return made
