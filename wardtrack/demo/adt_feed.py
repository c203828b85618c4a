"""`flask demo adt-feed`: HL7 v2 ADT messages for the demo's wards, to pipe into `flask adt import -`
or to send to `flask adt listen`. Maps the demo's points of care to its wards first."""

import random
from datetime import timedelta

import sqlalchemy as sa

from wardtrack.adt.locations import put_location
from wardtrack.core.time import utcnow
from wardtrack.demo.catalogue import WARDS
from wardtrack.extensions import db
from wardtrack.organisation.models import Ward

#: The hospital's point of care (PV1-3.1) for each demo ward that the feed admits to.
POINTS_OF_CARE = {"acute1": "AKU1", "acute2": "AKU2", "dps": "DPSV", "clinic": "DPSPOL"}
GIVEN = ("Kari", "Ola", "Ingrid", "Lars", "Sofie", "Emil", "Nora", "Jonas", "Maja", "Henrik")
FAMILY = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg", "Dahl")
DOCTORS = (("LEG101", "Lie", "Anne"), ("LEG102", "Moen", "Per"), ("LEG103", "Strand", "Eva"),
           ("LEG104", "Bakke", "Knut"))


def map_demo_locations() -> dict[str, str]:
    """Point each demo point of care at its ward (the demo must be seeded); {code: ward name}."""
    names = {key: name for key, name, _setting in WARDS}
    mapped = {}
    for key, code in POINTS_OF_CARE.items():
        ward_id = db.session.scalar(sa.select(Ward.id).where(Ward.name == names[key]))
        if ward_id is None:
            raise LookupError(f"no ward {names[key]!r}: run `flask demo seed` first")
        put_location(code, ward_id)
        mapped[code] = names[key]
    return mapped


def feed(patients: int, seed: int):
    """Messages (CR-separated segments) for `patients` made-up people: each is admitted (A01, or
    registered as an outpatient with A04), some are moved (A02), renamed (A08) and discharged
    (A03), in time order per person. Identifiers DEMO-…, so the feed never meets a seeded patient."""
    rng, now = random.Random(seed), utcnow()  # noqa: S311 (made-up demo data, not a secret)
    for number in range(1, patients + 1):
        person = {"id": f"DEMO-{seed}-{number:05d}", "visit": f"V{seed}-{number:05d}",
                  "name": f"{rng.choice(FAMILY)}^{rng.choice(GIVEN)}"}
        at = now - timedelta(days=rng.randint(3, 60), minutes=rng.randint(0, 1440))
        inpatient = rng.random() < 0.75
        ward = rng.choice(("AKU1", "AKU2", "DPSV")) if inpatient else "DPSPOL"
        bed = f"{rng.randint(1, 20)}^{rng.randint(1, 2)}" if inpatient else "^"
        doctor = rng.choice(DOCTORS)
        yield _message(number, 1, "A01" if inpatient else "A04", at, person, ward, bed,
                       "I" if inpatient else "O", doctor)
        if inpatient and rng.random() < 0.4:
            at += timedelta(hours=rng.randint(6, 72))
            ward = rng.choice([w for w in ("AKU1", "AKU2", "DPSV") if w != ward])
            doctor = rng.choice(DOCTORS)
            yield _message(number, 2, "A02", at, person, ward, bed, "I", doctor)
        if rng.random() < 0.2:
            at += timedelta(hours=rng.randint(1, 24))
            person["name"] = f"{rng.choice(FAMILY)}^{person['name'].split('^')[1]}"
            yield _message(number, 3, "A08", at, person, ward, bed, "I" if inpatient else "O", doctor)
        if rng.random() < 0.6:
            at += timedelta(days=rng.randint(1, 20))
            if at < now - timedelta(minutes=5):
                yield _message(number, 4, "A03", at, person, ward, bed, "I" if inpatient else "O",
                               doctor)


def _message(number, step, event, at, person, ward, bed, patient_class, doctor) -> str:
    stamp = at.strftime("%Y%m%d%H%M%S+0000")
    code, family, given = doctor
    return "\r".join([
        f"MSH|^~\\&|DIPS|HOSPITAL|WARDTRACK|PSYK|{stamp}||ADT^{event}^ADT_A01|"
        f"DEMO-{person['id'][5:]}-{step}|P|2.5",
        f"EVN|{event}|{stamp}",
        f"PID|1||{person['id']}^^^HOSPITAL^MR||{person['name']}||19{70 + number % 30}0101|U",
        f"PV1|1|{patient_class}|{ward}^{bed}^HOSPITAL||||{code}^{family}^{given}||||||||||||"
        f"{person['visit']}",
    ])
