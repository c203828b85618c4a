"""Writing crisis-plan versions (encrypted), and re-wrapping their data keys under the newest
key."""

import sqlalchemy as sa
from werkzeug.datastructures import ETags

from wardtrack.audit.operations import record
from wardtrack.core.errors import DomainError, Invalid
from wardtrack.core.signals import send_patient_changed
from wardtrack.core.time import utcnow
from wardtrack.crisisplans import envelope, queries
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db
from wardtrack.organisation.models import Professional, Ward


class PreconditionRequired(DomainError):
    status = 428


class PreconditionFailed(DomainError):
    status = 412


def check_if_match(current: CrisisPlanVersion | None, if_match: ETags | None) -> None:
    """Optimistic locking: once a version exists, If-Match must name it (428 without, 412 when
    stale).

    `if_match` is the request's parsed If-Match header, None when none was sent."""
    if current is None:
        if if_match is not None:  # the client edits a version that does not exist
            raise PreconditionFailed(
                "There is no crisis plan yet; send the first version without If-Match."
            )
        return
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag of the latest crisis plan version.")
    if not (if_match.star_tag or if_match.contains(queries.etag(current))):
        raise PreconditionFailed(
            "Someone saved a newer version of this crisis plan; reload it and edit again."
        )


def _author(user) -> tuple[str, str]:
    professional = None
    if user.professional_id is not None:
        professional = db.session.scalar(
            sa.select(Professional.name).where(Professional.id == user.professional_id))
    return professional or user.username, user.role


def _check_ward(content: dict) -> None:
    ward_id = (content.get("patient_controlled_admission") or {}).get("ward_id")
    if ward_id is not None and db.session.get(Ward, ward_id) is None:
        raise Invalid("patient_controlled_admission.ward_id", f"No such ward: {ward_id}.")


def write_version(actor, patient_id: int, body: dict, content_json: dict,
                  if_match: ETags | None) -> CrisisPlanVersion:
    """Store a new version of the patient's plan, encrypted; flushes, the view commits.

    `content_json` is the plan content as plain JSON (dates as strings); `if_match` the ETags the
    writer last saw (None: they saw no plan; see check_if_match). Two writers racing past the
    If-Match check collide on the unique (patient, version) and the later one gets 412.
    """
    current = queries.latest(patient_id)
    check_if_match(current, if_match)
    _check_ward(body)
    ring = envelope.keyring()
    number = 1 if current is None else current.version + 1
    name, role = _author(actor)
    row = CrisisPlanVersion(patient_id=patient_id, version=number, created_at=utcnow(),
                            created_by=actor.id, author_name=name, author_role=role,
                            reviewed_with_patient=body["reviewed_with_patient"],
                            **envelope.seal(ring, patient_id, number, content_json))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except sa.exc.IntegrityError:
        raise PreconditionFailed(
            "Someone saved a newer version of this crisis plan; reload it and edit again."
        ) from None
    record("crisis_plan.write", patient_id=patient_id, object_type="crisis_plan", object_id=row.id)
    send_patient_changed(patient_id)
    return row
