"""/metrics: the figures the service counts, in the Prometheus text format, to loopback only and never through
the proxy; labels that name endpoints and codes, never a patient; and under gunicorn the workers added up."""

import http.client
import json
import logging
import os
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.backends import migrate_and_seed, sqlite_database
from bench.servers import Gunicorn
from tests.conftest import TEST_KEYS
from wardtrack import create_app
from wardtrack.auth.throttle import TooManyAttempts
from wardtrack.config import ConfigError
from wardtrack.continuity.models import Flag
from wardtrack.core import logs
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db


def samples(text: str) -> dict:
    """{(sample name, sorted labels): value} of a scrape."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    return samples(response.get_data(as_text=True))


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_requests_and_contacts_are_counted_by_endpoint_never_by_patient(app, ward_setup):
    client = app.test_client()
    before = scrape(client)
    nurse = ward_setup.login(ward_setup.nurse)
    body = {"client_id": str(uuid.uuid4()), "patient_id": ward_setup.patient_a.id,
            "professional_id": ward_setup.nurse_professional.id, "kind": "conversation",
            "occurred_at": iso_z(utcnow())}
    assert nurse.post("/api/v1/contacts", json=body).status_code == 201
    assert nurse.post("/api/v1/contacts", json=body).status_code == 200  # a resend stores nothing
    assert nurse.get(f"/api/v1/patients/{ward_setup.patient_a.id}").status_code == 200
    text = client.get("/metrics").get_data(as_text=True)
    after = samples(text)
    assert value(after, "wardtrack_contacts_recorded_total", via="single") - value(
        before, "wardtrack_contacts_recorded_total", via="single") == 1
    created = dict(endpoint="contacts.create_contact", method="POST", status="201")
    assert value(after, "wardtrack_http_requests_total", **created) - value(
        before, "wardtrack_http_requests_total", **created) == 1
    assert value(after, "wardtrack_http_request_duration_seconds_count", endpoint="contacts.create_contact",
                 method="POST") >= 2
    # the patient read is counted under its endpoint's name, not its path
    assert value(after, "wardtrack_http_requests_total", endpoint="patients.get_patient", method="GET",
                 status="200") >= 1
    for private in ("Patient A", "PA-1", f"/patients/{ward_setup.patient_a.id}", "Nina Nurse"):
        assert private not in text


def test_a_batch_counts_its_size_and_its_new_contacts(app, ward_setup):
    client = app.test_client()
    before = scrape(client)
    nurse = ward_setup.login(ward_setup.nurse)
    items = [{"client_id": str(uuid.uuid4()), "patient_id": ward_setup.patient_a.id,
              "professional_id": ward_setup.nurse_professional.id, "kind": "conversation",
              "occurred_at": iso_z(utcnow())} for _ in range(3)]
    items.append({"client_id": "not-a-uuid"})
    assert nurse.post("/api/v1/contacts/batch", json={"contacts": items}).status_code == 200
    after = scrape(client)
    assert value(after, "wardtrack_contacts_recorded_total", via="batch") - value(
        before, "wardtrack_contacts_recorded_total", via="batch") == 3
    assert value(after, "wardtrack_contact_batch_size_sum") - value(before, "wardtrack_contact_batch_size_sum") == 4


def test_open_flags_are_read_from_the_database_at_each_scrape(app, ward_setup):
    client = app.test_client()
    start = scrape(client)
    db.session.add(Flag(patient_id=ward_setup.patient_a.id, code="no_safety_person", severity="high",
                        subject="", detail="x", status="open", opened_at=utcnow(), reasons=[]))
    db.session.commit()
    after = scrape(client)
    assert value(after, "wardtrack_open_flags", code="no_safety_person", severity="high") == value(
        start, "wardtrack_open_flags", code="no_safety_person", severity="high") + 1


def test_a_throttled_login_is_counted():
    from prometheus_client import REGISTRY

    before = REGISTRY.get_sample_value("wardtrack_login_throttled_total") or 0
    TooManyAttempts(3)
    assert REGISTRY.get_sample_value("wardtrack_login_throttled_total") == before + 1


@pytest.mark.parametrize("environ, headers", [
    ({"REMOTE_ADDR": "10.20.30.40"}, {}),
    ({"REMOTE_ADDR": "192.168.1.9"}, {}),
    ({}, {"X-Forwarded-For": "203.0.113.7"}),  # through the proxy, even from loopback
])
def test_anyone_else_is_told_there_is_no_such_page(app, environ, headers):
    response = app.test_client().get("/metrics", environ_overrides=environ, headers=headers)
    assert response.status_code == 404
    assert b"wardtrack_" not in response.get_data()


def test_the_allowed_addresses_are_a_setting(app):
    app.config["METRICS_ALLOW"] = ("10.20.30.40",)
    client = app.test_client()
    assert client.get("/metrics", environ_overrides={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
    assert client.get("/metrics").status_code == 404


def _post(port, token, body) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/api/v1/contacts", json.dumps(body),
                           {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        return connection.getresponse().status
    finally:
        connection.close()


def _get(port, path) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        assert response.status == 200
        return response.read().decode()
    finally:
        connection.close()


def test_gunicorn_workers_are_added_up(tmp_path):
    seeded = migrate_and_seed(sqlite_database(tmp_path))
    folder = tmp_path / "metrics"
    server = Gunicorn("metrics", "app:app", {**seeded.app_env, "PROMETHEUS_MULTIPROC_DIR": str(folder)}, 2, tmp_path)
    server.start()
    try:
        occurred = iso_z(utcnow())
        for _ in range(20):
            body = {"client_id": str(uuid.uuid4()), "patient_id": seeded.patient_id,
                    "professional_id": seeded.professional_id, "ward_id": seeded.ward_id,
                    "kind": "conversation", "occurred_at": occurred}
            assert _post(server.port, seeded.token, body) == 201
        found = samples(_get(server.port, "/metrics"))
        assert value(found, "wardtrack_contacts_recorded_total", via="single") == 20
        assert value(found, "wardtrack_http_requests_total", endpoint="contacts.create_contact", method="POST",
                     status="201") == 20
        assert len(list(folder.glob("*.db"))) >= 2  # one file per worker at least: both counted
    finally:
        server.stop()
    assert os.path.isdir(folder)


def test_production_logs_are_json_lines_with_ids_and_no_names(app, ward_setup, capsys):
    app.config["LOG_FORMAT"] = "json"
    logs.configure(app)
    try:
        nurse = ward_setup.login(ward_setup.nurse)
        assert nurse.get(f"/api/v1/patients/{ward_setup.patient_a.id}").status_code == 200
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    finally:
        logger = logging.getLogger("wardtrack")
        logger.handlers = [h for h in logger.handlers if not isinstance(h, logs._Handler)]
        logger.propagate = True
        app.config["LOG_FORMAT"] = "text"
    (line,) = [entry for entry in lines if entry.get("route") == "patients.get_patient"]
    assert line["status"] == 200 and line["duration_ms"] >= 0 and line["logger"] == "wardtrack.request"
    assert line["user_id"] == ward_setup.nurse.id and len(line["request_id"]) >= 16
    assert "Patient A" not in str(lines) and "PA-1" not in str(lines)


def test_the_log_format_is_json_or_text():
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                    "CRYPTO_KEYS": TEST_KEYS, "CRYPTO_KEYS_FILE": None, "LOG_FORMAT": "xml"})
