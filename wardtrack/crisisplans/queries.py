"""Reading crisis-plan versions: metadata freely, content only through envelope.open_content."""

import sqlalchemy as sa

from wardtrack.core.crypto import Keyring
from wardtrack.core.errors import NotFound
from wardtrack.core.pagination import decode_cursor, page
from wardtrack.crisisplans import envelope
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.crisisplans.schemas import PlanContentSchema
from wardtrack.extensions import db


def etag(row: CrisisPlanVersion) -> str:
    """The strong entity tag of a version (unquoted): it changes with every new version."""
    return f"crisis-plan-{row.id}-v{row.version}"


def latest(patient_id: int) -> CrisisPlanVersion | None:
    """The patient's newest version, or None."""
    return db.session.scalar(
        sa.select(CrisisPlanVersion)
        .where(CrisisPlanVersion.patient_id == patient_id)
        .order_by(CrisisPlanVersion.version.desc())
        .limit(1)
    )


def versions(patient_id: int, limit: int, cursor: str | None) -> dict:
    """A page of the patient's plan versions, newest first, as metadata (nothing is decrypted)."""
    query = (sa.select(CrisisPlanVersion).where(CrisisPlanVersion.patient_id == patient_id)
             .order_by(CrisisPlanVersion.version.desc()).limit(limit + 1))
    if cursor:
        query = query.where(CrisisPlanVersion.version < decode_cursor(cursor, 1, (int,))[0])
    result = page(db.session.scalars(query).all(), limit, lambda row: [row.version])
    return {**result, "items": [version_view(row) for row in result["items"]]}


def version_view(row: CrisisPlanVersion) -> dict:
    """A version's metadata, ready for VersionSchema."""
    return {
        "version": row.version,
        "created_at": row.created_at,
        "reviewed_with_patient": row.reviewed_with_patient,
        "created_by": {"name": row.author_name, "role": row.author_role},
    }


def plan_view(ring: Keyring, row: CrisisPlanVersion) -> dict:
    """A version with its decrypted content, ready for PlanSchema; PlanUnreadable when it does not
    decrypt."""
    # Loading the stored JSON back through the schema restores types (dates) for dumping.
    return {**PlanContentSchema().load(envelope.open_content(ring, row)), **version_view(row)}


def latest_or_404(patient_id: int) -> CrisisPlanVersion:
    """The newest version, or 404 when the patient has no plan yet."""
    row = latest(patient_id)
    if row is None:
        raise NotFound("No crisis plan has been written for this patient yet.")
    return row


def key_ids_in_use() -> set[str]:
    """The key-encryption key ids stored plans need."""
    return set(db.session.scalars(sa.select(CrisisPlanVersion.key_id).distinct()))
