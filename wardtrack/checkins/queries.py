"""Reading check-ins: the patient's own, those a member of staff may see, what is due, and the
ward's anonymous figures by week."""

import logging
from collections import defaultdict
from datetime import datetime, timedelta
from statistics import fmean

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from wardtrack.checkins.models import (
    LIFE_ITEMS,
    RELATIONSHIP_ITEMS,
    TREATMENT_ITEMS,
    CheckIn,
    associated_data,
)
from wardtrack.contacts.models import Contact, is_counted
from wardtrack.core.envelope import Unopenable, keyring, open_sealed
from wardtrack.core.errors import Invalid, NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional, Ward
from wardtrack.patients.models import KEY_PEOPLE, Episode
from wardtrack.patients.queries import active_episode, key_people

log = logging.getLogger(__name__)
#: A week of the ward's figures with fewer distinct patients than this shows no means.
MIN_PATIENTS = 5
SUMMARY_WEEKS = 52
#: After a discharge, the patient is asked for check-ins for this many days until they make them.
DISCHARGE_OFFER_DAYS = 14


def mean_score(scores: dict, items) -> float:
    """The mean of these items' scores, to two decimals: a check-in's score as it is shown and as
    the flag rules read it."""
    return round(fmean(scores[item] for item in items), 2)


def means(check_in: CheckIn) -> dict:
    """The check-in's scores: `score` (relationship), `life_mean` and `treatment_mean` (dialog)."""
    scores = check_in.scores
    if check_in.kind == "relationship":
        return {"score": mean_score(scores, RELATIONSHIP_ITEMS), "life_mean": None,
                "treatment_mean": None}
    return {"score": None, "life_mean": mean_score(scores, LIFE_ITEMS),
            "treatment_mean": mean_score(scores, TREATMENT_ITEMS)}


def _text(ring, check_in: CheckIn) -> str | None:
    sealed = check_in.text
    if sealed is None:
        return None
    try:
        return open_sealed(ring, associated_data(check_in.patient_id, check_in.id),
                           sealed).decode()
    except Unopenable as error:
        # ids and the reason only: never the text, never key material
        log.error("integrity: check-in text cannot be decrypted patient_id=%s check_in_id=%s "
                  "key_id=%s reason=%s", check_in.patient_id, check_in.id, sealed.key_id,
                  error.reason)
        return None


def view(check_in: CheckIn, ring=None) -> dict:
    """A check-in ready for CheckInSchema, its free text decrypted (only ever for a reader whom
    the sharing rule lets see it)."""
    if ring is None and check_in.text is not None:
        ring = keyring()
    return {"id": check_in.id, "patient_id": check_in.patient_id, "kind": check_in.kind,
            "professional_id": check_in.professional_id,
            "professional_name": check_in.professional.name if check_in.professional else None,
            "ward_id": check_in.ward_id,
            "created_at": check_in.created_at, "share": check_in.share,
            "scores": check_in.scores, "more_help": check_in.more_help,
            "what_would_help": _text(ring, check_in), **means(check_in)}


def visible_to(user):
    """SQL on CheckIn: the check-ins of a reached patient this member of staff may see. Team
    leaders see those shared with the team leader (or also the person); the rated professional's
    own account sees those shared with them; nobody else, admins included."""
    if user.role == "admin":
        return sa.false()
    seen = []
    if user.role == "team_leader":
        seen.append(CheckIn.share.in_(("team_leader", "team_leader_and_person")))
    if user.professional_id is not None:
        seen.append(sa.and_(CheckIn.share == "team_leader_and_person",
                            CheckIn.professional_id == user.professional_id))
    return sa.or_(*seen) if seen else sa.false()


def _keyset(cursor: str) -> tuple[datetime, int]:
    at_text, last_id = decode_cursor(cursor, 2, (str, int))
    try:
        return datetime.fromisoformat(at_text.replace("Z", "+00:00")), last_id
    except ValueError:
        raise Invalid("cursor", "Not a cursor this service gave out.") from None


def check_ins(patient_id: int, limit: int, cursor: str | None, condition=None) -> dict:
    """A page of the patient's check-ins that meet `condition`, newest first (ties by id), as
    views."""
    query = (sa.select(CheckIn).options(selectinload(CheckIn.items), selectinload(CheckIn.text),
                                       selectinload(CheckIn.professional))
             .where(CheckIn.patient_id == patient_id, sa.true() if condition is None else condition)
             .order_by(CheckIn.created_at.desc(), CheckIn.id.desc()).limit(limit + 1))
    if cursor:
        at, last_id = _keyset(cursor)
        query = query.where(sa.or_(CheckIn.created_at < at,
                                   sa.and_(CheckIn.created_at == at, CheckIn.id < last_id)))
    result = page(db.session.scalars(query).all(), limit, lambda c: [iso_z(c.created_at), c.id])
    ring = keyring() if any(c.text is not None for c in result["items"]) else None
    return {**result, "items": [view(c, ring) for c in result["items"]]}


def get_own(user, check_in_id: int) -> CheckIn:
    """One of the calling patient's own check-ins; 404 for any other."""
    check_in = db.session.get(CheckIn, check_in_id)
    if check_in is None or check_in.patient_id != user.patient_id:
        raise NotFound(f"You have no check-in {check_in_id}.")
    return check_in


def people(patient_id: int) -> list[dict]:
    """Whom the patient may rate: their key people now (with their roles), then every other
    professional they have had a counted contact with, each by the latest contact, newest first."""
    roles = defaultdict(list)
    found = {}
    for designation in key_people(patient_id):
        roles[designation.professional_id].append(designation.kind)
        found[designation.professional_id] = designation.professional
    latest = sa.func.max(Contact.occurred_at)
    met = db.session.execute(
        sa.select(Professional, latest).join(Contact, Contact.professional_id == Professional.id)
        .where(Contact.patient_id == patient_id, is_counted(Contact))
        .group_by(Professional.id).order_by(latest.desc(), Professional.id)).all()
    for professional, _at in met:
        found.setdefault(professional.id, professional)
    return [{"professional_id": professional.id, "name": professional.name,
             "profession": professional.profession, "roles": roles[professional.id]}
            for professional in found.values()]


def _discharged(patient_id: int, after: datetime) -> Episode | None:
    """The patient's episode that ended most recently, if it ended after `after`."""
    return db.session.scalar(
        sa.select(Episode).where(Episode.patient_id == patient_id, Episode.ended_at > after)
        .order_by(Episode.ended_at.desc()).limit(1))


def due(patient_id: int) -> list[dict]:
    """What the patient is asked now, each with its `occasion`: after a discharge within
    DISCHARGE_OFFER_DAYS, each key person and the life and care check-in not rated since
    (`discharge`); while an episode is active, those not rated within the ward's
    check_in_interval_days (`interval`). Nothing otherwise."""
    now = utcnow()
    episode = active_episode(patient_id)
    left = _discharged(patient_id, now - timedelta(days=DISCHARGE_OFFER_DAYS))
    if episode is None and left is None:
        return []
    since = (now - timedelta(days=db.session.get(Ward, episode.ward_id).check_in_interval_days)
             if episode else None)
    discharged_at = left.ended_at if left else None
    made = defaultdict(list)
    for row in db.session.execute(
            sa.select(CheckIn.kind, CheckIn.professional_id, CheckIn.created_at)
            .where(CheckIn.patient_id == patient_id,
                   CheckIn.created_at > min(at for at in (since, discharged_at) if at))):
        made[row.professional_id if row.kind == "relationship" else "dialog"].append(row.created_at)

    def occasion(target) -> str | None:
        if discharged_at and not any(at > discharged_at for at in made[target]):
            return "discharge"
        if since and not any(at > since for at in made[target]):
            return "interval"
        return None

    items, seen = [], set()
    for designation in key_people(patient_id):
        professional = designation.professional
        if (designation.kind not in KEY_PEOPLE or professional.id in seen
                or not occasion(professional.id)):
            continue
        seen.add(professional.id)
        items.append({"kind": "relationship", "professional_id": professional.id,
                      "name": professional.name, "role": designation.kind,
                      "occasion": occasion(professional.id)})
    if occasion("dialog"):
        items.append({"kind": "dialog", "occasion": occasion("dialog")})
    return items
