"""The patient's suggested changes to their crisis plan: sent, read by staff in reach (audited), answered."""

import sqlalchemy as sa

from tests.crisisplans.conftest import put_plan
from wardtrack.audit.models import AuditEvent
from wardtrack.core.crypto import Keyring, generate_key_line
from wardtrack.crisisplans import suggestions
from wardtrack.crisisplans.models import CrisisPlanSuggestion
from wardtrack.extensions import db

MINE = "/api/v1/me/crisis-plan/suggestions"
WORDS = "Add my neighbour Turid-4471 as someone I can call"


def staff_url(patient, suffix="") -> str:
    return f"/api/v1/patients/{patient.id}/crisis-plan/suggestions{suffix}"


def events(action, patient_id):
    db.session.expire_all()
    return db.session.execute(sa.select(AuditEvent.action, AuditEvent.actor_role, AuditEvent.object_type).where(
        AuditEvent.action == action, AuditEvent.patient_id == patient_id).order_by(AuditEvent.id)).all()


def test_patient_sends_a_suggestion_and_sees_it(setup):
    response = setup.as_patient.post(MINE, json={"text": f"  {WORDS}\nplease ", "section": "support_contacts"})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert set(created) >= {"id", "created_at", "section", "text", "status"}
    assert created["text"] == f"{WORDS}\nplease" and created["section"] == "support_contacts"
    assert created["status"] == "open" and created["created_at"].endswith("Z")
    assert [a for a, *_ in events("crisis_plan.suggestion.write", setup.patient_a.id)] == [
        "crisis_plan.suggestion.write"]
    without_section = setup.as_patient.post(MINE, json={"text": "Shorter list, please"})
    assert without_section.status_code == 201 and without_section.get_json()["section"] is None
    mine = setup.as_patient.get(MINE).get_json()
    assert [item["text"] for item in mine["items"]] == ["Shorter list, please", f"{WORDS}\nplease"]
    assert mine["next_cursor"] is None
    assert setup.as_patient_b.get(MINE).get_json()["items"] == []  # another patient sees none of them


def test_bad_input_names_the_field(setup):
    patient = setup.as_patient
    for body, field in (({}, "text"), ({"text": "   "}, "text"), ({"text": "x" * 2001}, "text"),
                        ({"text": "ok", "section": "diary"}, "section"), ({"text": "ok", "extra": 1}, "extra")):
        response = patient.post(MINE, json=body)
        assert response.status_code == 422, body
        assert response.content_type == "application/problem+json" and field in response.get_json()["errors"]
    assert setup.as_nurse.post(MINE, json={"text": "staff may not"}).status_code == 403
    assert setup.as_patient.get(MINE + "?status=closed").status_code == 422


def test_staff_in_reach_read_them_audited_and_in_the_access_log(setup):
    patient = setup.patient_a
    setup.as_patient.post(MINE, json={"text": WORDS, "section": "support_contacts"})
    response = setup.as_leader.get(staff_url(patient))
    assert response.status_code == 200
    (item,) = response.get_json()["items"]
    assert item["text"] == WORDS and item["status"] == "open" and item["answered_version"] is None
    assert set(item) >= {"id", "created_at", "section", "text", "status", "answered_version"}
    assert events("crisis_plan.read", patient.id) == [("crisis_plan.read", "team_leader", "crisis_plan_suggestions")]
    log = setup.as_patient.get("/api/v1/me/access-log").get_json()["items"]
    assert [(entry["role"], entry["action"]) for entry in log] == [("team_leader", "crisis_plan.read")]


def test_staff_out_of_reach_get_404(setup):
    patient = setup.patient_a
    sent = setup.as_patient.post(MINE, json={"text": WORDS}).get_json()
    put_plan(setup.as_nurse, patient)
    assert setup.as_other.get(staff_url(patient)).status_code == 404
    answer = setup.as_other.post(staff_url(patient, f"/{sent['id']}/answer"), json={"version": 1})
    assert answer.status_code == 404
    assert setup.as_patient_b.get(staff_url(patient)).status_code == 403
    assert setup.as_nurse.get(staff_url(setup.patient_b)).status_code == 404
    assert events("crisis_plan.read", patient.id) == []


def answered_etag(api, patient):
    return api.get(f"/api/v1/patients/{patient.id}/crisis-plan").headers["ETag"]


def test_answer_with_a_version_written_since(setup):
    patient, nurse = setup.patient_a, setup.as_nurse
    old = put_plan(nurse, patient)  # version 1, before the suggestion
    sent = setup.as_patient.post(MINE, json={"text": WORDS, "section": "support_contacts"}).get_json()
    url = staff_url(patient, f"/{sent['id']}/answer")
    missing = nurse.post(url, json={"version": 7})
    assert missing.status_code == 422 and "version" in missing.get_json()["errors"]
    too_old = nurse.post(url, json={"version": 1})
    assert too_old.status_code == 422 and "version" in too_old.get_json()["errors"]
    assert nurse.post(url, json={"version": "2"}).status_code == 422
    put_plan(nurse, patient, {"support_contacts": [{"name": "Turid", "phone": "+47 400 00 002"}]}, old.headers["ETag"])
    answered = nurse.post(url, json={"version": 2})
    assert answered.status_code == 200, answered.get_json()
    body = answered.get_json()
    assert body["status"] == "answered" and body["answered_version"] == 2 and body["text"] == WORDS
    assert nurse.post(url, json={"version": 2}).status_code == 200  # the same answer again
    third = put_plan(nurse, patient, {"note": "later"}, answered_etag(nurse, patient))
    assert third.status_code == 201
    assert nurse.post(url, json={"version": 3}).status_code == 409  # answered already, by version 2
    assert [a for a, *_ in events("crisis_plan.suggestion.answer", patient.id)] == ["crisis_plan.suggestion.answer"]
    mine = setup.as_patient.get(MINE).get_json()["items"]
    assert mine[0]["status"] == "answered" and mine[0]["answered_version"] == 2
    assert setup.as_leader.get(staff_url(patient, "?status=open")).get_json()["items"] == []
    assert len(setup.as_leader.get(staff_url(patient, "?status=answered")).get_json()["items"]) == 1


def test_who_may_answer(setup):
    patient = setup.patient_a
    sent = setup.as_patient.post(MINE, json={"text": WORDS}).get_json()
    put_plan(setup.as_nurse, patient)
    url = staff_url(patient, f"/{sent['id']}/answer")
    assert setup.as_admin.post(url, json={"version": 1}).status_code == 403
    assert setup.as_patient.post(url, json={"version": 1}).status_code == 403
    assert setup.as_leader.post(staff_url(patient, "/999999/answer"), json={"version": 1}).status_code == 404
    other = setup.as_patient_b.post(MINE, json={"text": "B's own"}).get_json()
    wrong_patient = setup.as_leader.post(staff_url(patient, f"/{other['id']}/answer"), json={"version": 1})
    assert wrong_patient.status_code == 404
    assert setup.as_leader.post(url, json={"version": 1}).status_code == 200


def test_the_text_is_encrypted_at_rest(setup):
    setup.as_patient.post(MINE, json={"text": WORDS, "section": "support_contacts"})
    db.session.rollback()  # SQLite: the test's own transaction would hold the write lock
    with db.engine.connect() as connection:
        dumped = repr(connection.execute(sa.text("SELECT * FROM crisis_plan_suggestions")).all())
    assert "support_contacts" in dumped  # the row is there, its section in the clear
    assert "Turid-4471" not in dumped and b"Turid-4471".hex() not in dumped
    row = db.session.scalar(sa.select(CrisisPlanSuggestion))
    assert WORDS.encode() not in bytes(row.ciphertext) and b"Turid-4471" not in bytes(row.ciphertext)
    # The ciphertext is bound to its row: moved to another patient, it no longer opens.
    row.patient_id = setup.patient_b.id
    db.session.commit()
    items = setup.as_patient_b.get(MINE).get_json()["items"]
    assert [item["text"] for item in items] == [None]


def test_rewrap_puts_the_data_key_under_the_newest_key(setup, app):
    setup.as_patient.post(MINE, json={"text": WORDS})
    old_id = Keyring.parse(app.config["CRYPTO_KEYS"]).newest_id
    assert suggestions.key_ids_in_use() == {old_id}
    new_line = generate_key_line().replace("k", "n", 1)  # a distinct id even within the same second
    ring = Keyring.parse(new_line + "," + app.config["CRYPTO_KEYS"])
    row = db.session.scalar(sa.select(CrisisPlanSuggestion))
    ciphertext = bytes(row.ciphertext)
    assert suggestions.rewrap(ring, row) is True
    db.session.commit()
    assert suggestions.key_ids_in_use() == {ring.newest_id} and bytes(row.ciphertext) == ciphertext
    app.config["CRYPTO_KEYS"] = new_line  # the old key can go now
    assert setup.as_patient.get(MINE).get_json()["items"][0]["text"] == WORDS
    assert suggestions.rewrap(Keyring.parse(generate_key_line()), row) is False  # a ring without its key
