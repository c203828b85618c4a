"""`flask fhir export`: one NDJSON file per resource type, every line a valid resource, and an audit event."""

import json
import uuid
from datetime import timedelta

import sqlalchemy as sa
from fhir.resources.R4B import get_fhir_model_class

from wardtrack.audit.models import AuditEvent
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.fhir.cli import EXPORTED


def test_export_writes_valid_ndjson_per_type_and_is_audited(ward_setup, make, login, runner, tmp_path):
    w = ward_setup
    make.designation(w.patient_a, w.doctor)
    body = {"client_id": str(uuid.uuid4()), "patient_id": w.patient_a.id, "professional_id": w.nurse_professional.id,
            "occurred_at": (utcnow() - timedelta(hours=1)).isoformat(), "kind": "conversation", "ward_id": w.ward_a.id}
    assert login(w.nurse).post("/api/v1/contacts", json=body).status_code == 201
    assert runner.invoke(args=["flags", "sweep"]).exit_code == 0
    out = tmp_path / "export"
    result = runner.invoke(args=["fhir", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.iterdir()) == sorted(f"{kind}.ndjson" for kind in EXPORTED)
    counts = {}
    for kind in EXPORTED:
        lines = (out / f"{kind}.ndjson").read_text().splitlines()
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == kind
            get_fhir_model_class(kind).model_validate(resource)
        counts[kind] = len(lines)
    assert counts["Patient"] == 2 and counts["Organization"] == counts["Location"] == 2
    assert counts["Encounter"] == 1 and counts["CareTeam"] == 1 and counts["Practitioner"] == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "fhir.export"))
    assert event is not None and event.actor_role == "system" and event.object_id == str(sum(counts.values()))

    since = (utcnow() + timedelta(days=1)).date().isoformat()
    later = tmp_path / "later"
    assert runner.invoke(args=["fhir", "export", "--since", since, str(later)]).exit_code == 0
    assert all((later / f"{kind}.ndjson").read_text() == "" for kind in EXPORTED)
    assert runner.invoke(args=["fhir", "export", "--since", "yesterday", str(later)]).exit_code != 0
