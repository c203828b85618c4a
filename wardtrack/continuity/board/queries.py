"""Reading continuity: a patient's measures computed live, and the ward board built from maintained
tables.

The board reads ContinuitySnapshot and PatientProfessional, which recomputation keeps, after
draining the recompute queue for the ward's patients; of contact history only each maintenance
plan's last qualifying contact (one indexed MAX per plan).
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from wardtrack.contacts.models import Contact, is_counted
from wardtrack.continuity.facts import maintenance_plans, policies_for
from wardtrack.continuity.measures import ContactPoint, measure
from wardtrack.continuity.models import ContinuitySnapshot, Flag, PatientProfessional
from wardtrack.continuity.queries import seen_by
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional
from wardtrack.patients.models import Designation, Episode, Patient
from wardtrack.patients.queries import current_first

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}
UNRESOLVED = ("open", "acknowledged")
BOARD_ROLES = ("safety_person", "primary_contact")


def _history_statement(by_profession: bool):
    """Window contacts (with profession) plus, per professional, the first contact before the
    window.

    "Known before" is read from the contacts themselves, not from PatientProfessional: that table is
    only as fresh as the last recomputation, and a contact just recorded or entered late (an offline
    phone) would otherwise be missed. One statement, one round trip, both parts on the
    (patient_id, occurred_at) index.
    """
    # The profession as plain text: the union's second part has none, which the enum type would
    # refuse.
    window = (
        sa.select(Contact.occurred_at, Contact.id, Contact.professional_id,
                  sa.type_coerce(Professional.profession, sa.String))
        .join(Professional, Professional.id == Contact.professional_id)
        .where(Contact.patient_id == sa.bindparam("patient_id"), is_counted(),
               Contact.occurred_at >= sa.bindparam("start"),
               Contact.occurred_at <= sa.bindparam("end"))
    )
    if by_profession:
        window = window.where(Professional.profession == sa.bindparam("profession"))
    before = (
        sa.select(sa.func.min(Contact.occurred_at), sa.literal(0, sa.BigInteger),
                  Contact.professional_id, sa.literal("", sa.String))
        .where(Contact.patient_id == sa.bindparam("patient_id"), is_counted(),
               Contact.occurred_at < sa.bindparam("start"))
        .group_by(Contact.professional_id)
    )
    return sa.union_all(window, before)


# Built once, run with parameters.
_HISTORY = {False: _history_statement(False), True: _history_statement(True)}


def patient_measures(patient_id: int, days: int, profession: str | None = None,
                     now: datetime | None = None) -> dict:
    """The measures of PRODUCT.md over the last `days` days up to now, live from the contacts."""
    end = now or utcnow()
    start = end - timedelta(days=days)
    params = {"patient_id": patient_id, "start": start, "end": end, "profession": profession}
    rows = db.session.execute(_HISTORY[profession is not None], params)
    points = [
        ContactPoint(at, contact_id, professional_id, kind)
        for at, contact_id, professional_id, kind in rows
    ]
    return {"window_days": days, **measure(points, start, end, profession).as_dict()}


def board_patients(ward_id: int) -> list[dict]:
    """Every patient with an active episode on the ward, each once with that episode (an admission
    first).

    Starts from the ward's active episodes (index on ward_id, ended_at), so its cost follows the
    ward, not the number of patients in the database. Plain rows, not ORM objects: the view commits
    before dumping, which would expire them and make the dump load each one again.
    """
    rows = db.session.execute(
        sa.select(Patient.id, Patient.display_name, Patient.identifier,
                  Episode.id.label("episode_id"), Episode.kind, Episode.legal_status,
                  Episode.started_at)
        .join(Patient, Patient.id == Episode.patient_id)
        .where(Episode.ward_id == ward_id, Episode.ended_at.is_(None))
        .order_by(*current_first())
    )
    board: dict[int, dict] = {}
    # "inpatient" sorts before "outpatient": the first row per patient is the one shown
    for row in rows:
        board.setdefault(
            row.id,
            {
                "patient": {
                    "id": row.id,
                    "display_name": row.display_name,
                    "identifier": row.identifier,
                },
                "episode": {
                    "id": row.episode_id,
                    "kind": row.kind,
                    "legal_status": row.legal_status,
                    "started_at": row.started_at,
                },
            },
        )
    return list(board.values())


_FLAG_COLUMNS = (Flag.id, Flag.patient_id, Flag.code, Flag.subject, Flag.severity, Flag.status,
                 Flag.detail, Flag.reasons, Flag.opened_at)


def _flags(user, ids: list[int]) -> dict[int, list[dict]]:
    """Open and acknowledged flags per patient as the reader may see them (continuity.queries.
    seen_by), most severe first, then oldest."""
    found: dict[int, list[dict]] = {}
    rows = db.session.execute(
        sa.select(*_FLAG_COLUMNS).where(Flag.patient_id.in_(ids), Flag.status.in_(UNRESOLVED))
    )
    for flag in seen_by(user, [row._asdict() for row in rows]):
        found.setdefault(flag["patient_id"], []).append(flag)
    for flags in found.values():
        flags.sort(key=lambda f: (-SEVERITY_RANK[f["severity"]], f["opened_at"], f["id"]))
    return found


def _key_people(ids: list[int], now: datetime) -> dict[tuple[int, str], dict]:
    """Active safety person and primary contact per patient, with days since the patient last met
    them."""
    rows = db.session.execute(
        sa.select(Designation.patient_id, Designation.kind, Designation.started_at, Professional.id,
                  Professional.name, Professional.profession, PatientProfessional.last_contact_at)
        .join(Professional, Professional.id == Designation.professional_id)
        .outerjoin(
            PatientProfessional,
            sa.and_(PatientProfessional.patient_id == Designation.patient_id,
                    PatientProfessional.professional_id == Designation.professional_id),
        )
        .where(Designation.patient_id.in_(ids), Designation.kind.in_(BOARD_ROLES),
               Designation.ended_at.is_(None))
    )
    return {(patient_id, kind): {
        "professional_id": professional_id, "name": name, "profession": profession, "since": since,
        "last_contact_at": last, "days_since_last_contact": _days_since(last, now)}
        for patient_id, kind, since, professional_id, name, profession, last in rows}


def _last_contacts(ids: list[int]) -> dict[int, datetime]:
    """The last contact with anyone per patient, from PatientProfessional."""
    return dict(
        db.session.execute(
            sa.select(
                PatientProfessional.patient_id, sa.func.max(PatientProfessional.last_contact_at)
            )
            .where(PatientProfessional.patient_id.in_(ids))
            .group_by(PatientProfessional.patient_id)
        ).all()
    )


def _snapshots(ids: list[int]) -> dict[tuple[int, int], dict]:
    """The stored 30- and 90-day measures per (patient, window)."""
    rows = db.session.execute(
        sa.select(*ContinuitySnapshot.__table__.c).where(ContinuitySnapshot.patient_id.in_(ids))
    )
    return {(row.patient_id, row.window_days): row._asdict() for row in rows}


def _plans(ids: list[int], now: datetime) -> dict[int, list[dict]]:
    """Each patient's active maintenance plans with when the next qualifying contact is due, soonest
    first."""
    plans, policies = maintenance_plans(ids, now), policies_for(ids, now)
    found: dict[int, list[dict]] = {}
    for patient_id, facts in plans.items():
        policy = policies[patient_id]
        rows = [
            {
                "id": plan.plan_id,
                "professional_id": plan.professional_id,
                "professional_name": plan.professional_name,
                "interval_days": plan.interval_days,
                "counts": plan.counts,
                "last_contact_at": plan.last_contact_at,
                "due_at": plan.due_at(),
                "overdue_at": plan.overdue_at(policy),
                "overdue": plan.overdue_at(policy) < now,
            }
            for plan in facts
        ]
        found[patient_id] = sorted(rows, key=lambda row: (row["due_at"], row["id"]))
    return found


def _days_since(at: datetime | None, now: datetime) -> int | None:
    return None if at is None else max((now - at).days, 0)


def _sort_key(entry: dict):
    flags = entry["flags"]
    top = SEVERITY_RANK[flags[0]["severity"]] if flags else 0
    return -top, -len(flags), entry["patient"]["display_name"], entry["patient"]["id"]


def ward_board(user, board: list[dict]) -> list[dict]:
    """The ward's patients (board_patients) with flags as `user` may see them, key people, last
    contacts and measures, flagged first.

    Read after continuity.operations.refresh has brought the maintained tables up to date for them.
    The number of statements does not depend on the number of patients: one per table, batched over
    their ids.
    """
    ids = [entry["patient"]["id"] for entry in board]
    if not ids:
        return []
    now = utcnow()
    flags, people, last, snapshots = (_flags(user, ids), _key_people(ids, now),
                                      _last_contacts(ids), _snapshots(ids))
    plans = _plans(ids, now)
    for entry in board:
        patient_id = entry["patient"]["id"]
        entry.update(flags=flags.get(patient_id, []),
                     safety_person=people.get((patient_id, "safety_person")),
                     primary_contact=people.get((patient_id, "primary_contact")),
                     last_contact_at=last.get(patient_id),
                     days_since_last_contact=_days_since(last.get(patient_id), now),
                     measures_30d=snapshots.get((patient_id, 30)),
                     measures_90d=snapshots.get((patient_id, 90)),
                     maintenance_plans=plans.get(patient_id, []))
        entry["highest_severity"] = entry["flags"][0]["severity"] if entry["flags"] else None
    return sorted(board, key=_sort_key)
