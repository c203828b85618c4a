"""Bulk data for the board and continuity benchmark: a 30-patient ward, a patient with 5,000 contacts,
other patients, and contacts generated in bulk (multi-row executemany on SQLite, COPY on PostgreSQL).

Rows go in below the ORM, for speed; their values are written exactly as the app's column types write
them (UTC, naive on SQLite; UUIDs as 32 hex digits on SQLite), which the benchmark checks by reading
the counts back through the app.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from wardtrack.auth.models import User, UserWard
from wardtrack.auth.operations import issue_token
from wardtrack.contacts.models import Contact
from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Professional, Ward
from wardtrack.patients.models import Designation, Episode, Patient

BOARD_PATIENTS = 30
STAFF = 40
OTHER_PATIENTS = 2_000
_COPY = "COPY contacts (client_id, patient_id, professional_id, ward_id, kind, occurred_at, received_at) FROM STDIN"
_INSERT = ("INSERT INTO contacts (client_id, patient_id, professional_id, ward_id, kind, occurred_at, received_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
_KINDS = ("conversation", "conversation", "conversation", "group", "phone", "medication", "decision")


@dataclass
class World:
    """Ids the benchmark needs, and a fixed clock so that every stage writes the same shape of history."""

    now: datetime
    ward_id: int
    other_ward_id: int
    token: str
    board_ids: list[int]
    heavy_id: int
    other_ids: list[int]
    staff_ids: list[int]
    rng: random.Random = field(default_factory=lambda: random.Random(20261122))


def _ids(model, rows: list[dict]) -> list[int]:
    """Insert rows and return their ids in order."""
    return list(db.session.scalars(sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _people(now: datetime, ward_id: int, other_ward_id: int) -> tuple[list[int], list[int], int, list[int]]:
    staff = _ids(Professional, [{"name": f"Staff {i:02}", "profession": ("nurse", "psychiatrist", "doctor",
                                 "psychologist")[i % 4], "created_at": now} for i in range(STAFF)])
    db.session.execute(sa.insert(Membership), [{"professional_id": p, "ward_id": ward_id,
                                                "started_on": (now - timedelta(days=4000)).date()} for p in staff])
    patients = _ids(Patient, [{"display_name": f"Bench patient {i:04}", "identifier": f"B-{i}", "created_at": now}
                              for i in range(BOARD_PATIENTS + 1 + OTHER_PATIENTS)])
    board, heavy, others = patients[:BOARD_PATIENTS], patients[BOARD_PATIENTS], patients[BOARD_PATIENTS + 1:]
    episodes = [{"patient_id": p, "ward_id": ward_id, "started_at": now - timedelta(days=20 + i)}
                for i, p in enumerate(board)] + [{"patient_id": heavy, "ward_id": other_ward_id,
                                                  "started_at": now - timedelta(days=60)}]
    db.session.execute(sa.insert(Episode), [{**e, "kind": "inpatient", "legal_status": "voluntary", "created_at": now}
                                            for e in episodes])
    roles = [{"patient_id": p, "professional_id": staff[(i + k) % STAFF], "kind": kind, "chosen_by_patient": True,
              "started_at": now - timedelta(days=15)}
             for i, p in enumerate(board) for k, kind in enumerate(("safety_person", "primary_contact")) if i % 4]
    db.session.execute(sa.insert(Designation), roles)
    return staff, board, heavy, others


def build_world() -> World:
    """Two wards, 40 staff, 30 board patients (most with a safety person and primary contact), a heavy
    patient on the second ward, 2,000 other patients, and a team leader of both wards with a bearer token."""
    now = datetime.now(UTC).replace(microsecond=0)
    ward_id, other_ward_id = _ids(Ward, [{"name": "Board ward", "setting": "acute_ward", "created_at": now},
                                         {"name": "Other ward", "setting": "outpatient_clinic", "created_at": now}])
    staff, board, heavy, others = _people(now, ward_id, other_ward_id)
    # No password: the leader only uses a bearer token.
    leader = User(username="bench-leader", role="team_leader", password_hash="!", created_at=now,  # noqa: S106
                  ward_links=[UserWard(ward_id=ward_id), UserWard(ward_id=other_ward_id)])
    db.session.add(leader)
    db.session.flush()
    token = issue_token(leader)
    db.session.commit()
    return World(now, ward_id, other_ward_id, token, board, heavy, others, staff)


def contacts_for(world: World, patient_ids: list[int], per_patient: int, newest_days: float, oldest_days: float):
    """Contact rows for each patient, spread at random between oldest_days and newest_days ago.

    Each patient sees a handful of regular staff and now and then someone else, as on a ward.
    """
    rng, span = world.rng, oldest_days - newest_days
    for patient_id in patient_ids:
        regulars = rng.sample(world.staff_ids, 4)
        for _ in range(per_patient):
            professional = rng.choice(regulars) if rng.random() < 0.8 else rng.choice(world.staff_ids)
            at = world.now - timedelta(days=newest_days + rng.random() * span)
            yield (uuid.uuid4(), patient_id, professional, world.ward_id, rng.choice(_KINDS), at, at)


def _sqlite_rows(rows):
    for client_id, patient_id, professional_id, ward_id, kind, at, _received in rows:
        stamp = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        yield client_id.hex, patient_id, professional_id, ward_id, kind, stamp, stamp


def bulk_insert(rows, chunk: int = 50_000) -> int:
    """Insert contact rows fast, in the current transaction; returns how many."""
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        count = 0
        with raw.cursor() as cursor, cursor.copy(_COPY) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    batch, count, cursor = [], 0, raw.cursor()
    for row in _sqlite_rows(rows):
        batch.append(row)
        if len(batch) == chunk:
            cursor.executemany(_INSERT, batch)
            count, batch = count + len(batch), []
    cursor.executemany(_INSERT, batch)
    return count + len(batch)


def analyze() -> None:
    """Refresh planner statistics after a bulk load, as autovacuum / a scheduled ANALYZE would."""
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def contact_count() -> int:
    """Contacts in the database, read through the ORM."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Contact))
