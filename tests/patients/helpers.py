"""Small assertions shared by the patients and contacts tests."""

from datetime import UTC, datetime

import sqlalchemy as sa

from wardtrack.audit.models import AuditEvent
from wardtrack.extensions import db

PROBLEM = "application/problem+json"


def problem(response, status: int, field: str | None = None) -> dict:
    """Assert a problem+json response with this status (naming field, when given); return its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["title"]
    if field is not None:
        assert field in body.get("errors", {}), body
    return body


def iso(value: datetime) -> str:
    """A timestamp with an explicit offset, as clients send it."""
    return value.isoformat()


def parse_z(text: str) -> datetime:
    """A response timestamp: must be UTC with a `Z`."""
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text).astimezone(UTC)


def audit_count(action: str, patient_id: int | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    if patient_id is not None:
        query = query.where(AuditEvent.patient_id == patient_id)
    db.session.expire_all()
    return db.session.scalar(query)
