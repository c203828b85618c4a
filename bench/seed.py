"""Seed the minimum for the benchmark through the app's own API: a ward, a professional, a patient admitted.

Run as `python -m bench.seed` with the WARDTRACK_* environment of the database to seed and BENCH_ADMIN_TOKEN
(a bearer token of an admin made with `flask users create` and `flask users token`). The requests go
through Flask's test client, so the app's validation, access rules and audit apply; nothing is served.
Prints {"ward_id", "professional_id", "patient_id"} as JSON.
"""

import json
import os
import sys
import uuid
from datetime import UTC, datetime, timedelta

from wardtrack import create_app


def _post(client, token: str, path: str, body: dict) -> dict:
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 201:
        sys.exit(f"seeding failed: POST {path} answered {response.status_code}: {response.get_data(as_text=True)}")
    return response.get_json()


def main() -> None:
    """Create the ward, the professional and the patient with an active inpatient episode on the ward."""
    token = os.environ["BENCH_ADMIN_TOKEN"]
    tag = uuid.uuid4().hex[:8]
    client = create_app().test_client()
    ward = _post(client, token, "/api/v1/wards", {"name": f"Bench ward {tag}", "setting": "acute_ward"})
    professional = _post(client, token, "/api/v1/professionals",
                         {"name": "Bench Nurse", "profession": "nurse", "ward_ids": [ward["id"]]})
    patient = _post(client, token, "/api/v1/patients",
                    {"display_name": "Bench Patient", "identifier": f"BENCH-{tag}"})
    admitted = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    _post(client, token, f"/api/v1/patients/{patient['id']}/episodes",
          {"ward_id": ward["id"], "kind": "inpatient", "started_at": admitted, "legal_status": "voluntary"})
    print(json.dumps({"ward_id": ward["id"], "professional_id": professional["id"], "patient_id": patient["id"]}))


if __name__ == "__main__":
    main()
