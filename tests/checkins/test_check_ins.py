"""What is due, the patient's own history and sharing, who among staff sees which check-in, the
audit of every staff read, and the ward's anonymous figures."""

from datetime import timedelta

import sqlalchemy as sa

from tests.checkins.conftest import MINE, dialog, relationship, staff_url
from tests.conftest import new_client_id
from wardtrack.checkins.models import CheckIn
from wardtrack.checkins.queries import DISCHARGE_OFFER_DAYS, MIN_PATIENTS
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db
from wardtrack.patients.models import Episode

DUE = "/api/v1/me/check-ins/due"
PEOPLE = "/api/v1/me/check-ins/people"


def _seen(client, patient) -> list:
    response = client.get(staff_url(patient))
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_key_people_and_the_life_check_in_are_due_until_made(world, patient):
    due = patient.get(DUE).get_json()["items"]
    assert {(item["kind"], item.get("professional_id"), item.get("role"), item["occasion"])
            for item in due} == {
        ("relationship", world.peter.id, "therapist", "interval"),
        ("relationship", world.nurse_professional.id, "safety_person", "interval"),
        ("dialog", None, None, "interval")}
    assert next(i for i in due if i.get("professional_id") == world.peter.id)["name"] == \
        "Peter Psychologist"
    assert patient.post(MINE, json=relationship(world.peter.id)).status_code == 201
    assert patient.post(MINE, json=dialog()).status_code == 201
    assert [item.get("professional_id") for item in patient.get(DUE).get_json()["items"]] == [
        world.nurse_professional.id]


def test_a_check_in_older_than_the_wards_interval_is_due_again(world, patient):
    made = patient.post(MINE, json=relationship(world.peter.id)).get_json()
    db.session.get(CheckIn, made["id"]).created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert world.ward_a.check_in_interval_days == 30  # the default
    assert world.peter.id not in {item.get("professional_id")
                                  for item in patient.get(DUE).get_json()["items"]}
    world.ward_a.check_in_interval_days = 7  # a ward setting
    db.session.commit()
    assert world.peter.id in {item.get("professional_id")
                              for item in patient.get(DUE).get_json()["items"]}


def test_the_interval_is_set_when_a_ward_is_made(world):
    admin = world.login(world.admin)
    for bad in (0, 366, "7", 2.5):
        response = admin.post("/api/v1/wards", json={"name": "Ward C", "setting": "acute_ward",
                                                     "check_in_interval_days": bad})
        assert response.status_code == 422
        assert "check_in_interval_days" in response.get_json()["errors"]
    made = admin.post("/api/v1/wards", json={"name": "Ward C", "setting": "acute_ward",
                                             "check_in_interval_days": 14})
    assert made.status_code == 201 and made.get_json()["check_in_interval_days"] == 14


def _discharge(patient, ago: timedelta) -> None:
    db.session.execute(sa.update(Episode).where(Episode.patient_id == patient.id)
                       .values(started_at=utcnow() - ago - timedelta(days=10),
                               ended_at=utcnow() - ago))
    db.session.commit()


def test_nothing_is_due_without_an_active_episode_or_a_recent_discharge(world, patient):
    _discharge(world.patient_a, timedelta(days=DISCHARGE_OFFER_DAYS, minutes=1))
    assert patient.get(DUE).get_json()["items"] == []
    # any time the patient wants: a check-in can still be made
    assert patient.post(MINE, json=dialog()).status_code == 201


def test_a_discharge_asks_again_even_after_recent_check_ins(world, patient):
    patient.post(MINE, json=relationship(world.peter.id))
    patient.post(MINE, json=dialog())
    assert {item.get("occasion") for item in patient.get(DUE).get_json()["items"]} == {"interval"}
    db.session.execute(sa.update(CheckIn).values(created_at=utcnow() - timedelta(hours=2)))
    _discharge(world.patient_a, timedelta(hours=1))  # made before the discharge
    due = patient.get(DUE).get_json()["items"]
    assert {(item["kind"], item.get("professional_id"), item["occasion"]) for item in due} == {
        ("relationship", world.peter.id, "discharge"),
        ("relationship", world.nurse_professional.id, "discharge"), ("dialog", None, "discharge")}
    patient.post(MINE, json=relationship(world.peter.id))
    patient.post(MINE, json=dialog())
    assert [item.get("professional_id") for item in patient.get(DUE).get_json()["items"]] == [
        world.nurse_professional.id]


def test_the_patient_lists_their_own_newest_first_and_changes_the_sharing(world, patient):
    first = patient.post(MINE, json=relationship(world.peter.id, 1)).get_json()
    second = patient.post(MINE, json=dialog(share="ward")).get_json()
    listed = patient.get(MINE).get_json()["items"]
    assert [item["id"] for item in listed] == [second["id"], first["id"]]
    changed = patient.patch(f"{MINE}/{first['id']}", json={"share": "team_leader_and_person"})
    assert changed.status_code == 200 and changed.get_json()["share"] == "team_leader_and_person"
    refused = patient.patch(f"{MINE}/{second['id']}", json={"share": "team_leader_and_person"})
    assert refused.status_code == 422 and "share" in refused.get_json()["errors"]
    assert patient.patch(f"{MINE}/{first['id']}", json={"share": "all"}).status_code == 422
    assert patient.get(MINE).get_json()["items"][0]["share"] == "ward"


def test_a_patient_cannot_touch_another_patients_check_in(world, patient, make):
    other = world.login(make.user("pat-b", "patient", patient=world.patient_b))
    made = other.post(MINE, json=dialog()).get_json()
    response = patient.patch(f"{MINE}/{made['id']}", json={"share": "ward"})
    assert response.status_code == 404
    assert patient.get(MINE).get_json()["items"] == []
    assert db.session.get(CheckIn, made["id"]).share == "team_leader"


def test_each_sharing_choice_reaches_exactly_its_readers(world, patient):
    made = {share: patient.post(MINE, json=relationship(world.peter.id, share=share)).get_json()
            ["id"] for share in ("ward", "team_leader", "team_leader_and_person")}
    about_nina = patient.post(MINE, json=relationship(
        world.nurse_professional.id, share="team_leader_and_person")).get_json()["id"]
    leader, peter = world.login(world.leader), world.login(world.peter_user)
    assert set(_seen(leader, world.patient_a)) == {
        made["team_leader"], made["team_leader_and_person"], about_nina}
    # the rated professional sees only what was shared with them, never one about a colleague
    assert _seen(peter, world.patient_a) == [made["team_leader_and_person"]]
    assert _seen(world.login(world.nurse), world.patient_a) == [about_nina]
    assert _seen(world.login(world.admin), world.patient_a) == []
    for outside in (world.other_nurse, world.leader_b):
        assert world.login(outside).get(staff_url(world.patient_a)).status_code == 404
    # re-shared: from the next read on
    assert patient.patch(f"{MINE}/{made['team_leader_and_person']}",
                         json={"share": "ward"}).status_code == 200
    assert _seen(peter, world.patient_a) == []


def test_a_professional_never_reads_scores_or_text_not_shared_with_them(world, patient):
    patient.post(MINE, json=relationship(world.peter.id, 0, what_would_help="Listen to me"))
    body = world.login(world.peter_user).get(staff_url(world.patient_a)).get_json()
    assert body["items"] == [] and "Listen to me" not in str(body)
    seen = world.login(world.leader).get(staff_url(world.patient_a)).get_json()["items"]
    assert [(item["score"], item["what_would_help"]) for item in seen] == [(0.0, "Listen to me")]


def test_a_staff_read_is_in_the_patients_access_log(world, patient):
    patient.post(MINE, json=dialog())
    patient.get(MINE)
    assert patient.get("/api/v1/me/access-log").get_json()["items"] == []
    world.login(world.leader).get(staff_url(world.patient_a))
    log = patient.get("/api/v1/me/access-log").get_json()["items"]
    assert [(item["who"], item["role"], item["action"]) for item in log] == [
        ("tom", "team_leader", "check_ins.read")]


def test_the_ward_figures_are_withheld_under_five_patients(world, make):
    url = f"/api/v1/wards/{world.ward_a.id}/check-in-summary"
    leader = world.login(world.leader)
    clients = [world.login(world.patient_user)]
    for n in range(1, MIN_PATIENTS):
        someone = make.patient(f"Patient {n}", f"PX-{n}")
        make.episode(someone, world.ward_a)
        clients.append(world.login(make.user(f"pat-{n}", "patient", patient=someone)))
    for n, client in enumerate(clients):
        assert client.post(MINE, json=dialog(2 + n % 2, 4, share="ward")).status_code == 201
        weeks = leader.get(url).get_json()["weeks"]
        assert len(weeks) == 1
        if n + 1 < MIN_PATIENTS:
            assert weeks[0] == {"week": weeks[0]["week"], "suppressed": True, "patients": None,
                                "relationship_mean": None, "life_mean": None,
                                "treatment_mean": None}
    # five patients: life 2, 3, 2, 3, 2 -> 2.4; treatment 4
    assert weeks[0]["suppressed"] is False and weeks[0]["patients"] == MIN_PATIENTS
    assert (weeks[0]["life_mean"], weeks[0]["treatment_mean"],
            weeks[0]["relationship_mean"]) == (2.4, 4.0, None)
    assert world.login(world.leader_b).get(url).status_code == 403
    assert world.login(world.patient_user).get(url).status_code == 403


def test_a_check_in_sent_twice_with_its_client_id_is_stored_once(world, patient):
    body = relationship(world.peter.id, client_id=new_client_id(), what_would_help="Time to talk")
    first = patient.post(MINE, json=body)
    again = patient.post(MINE, json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
    changed = patient.post(MINE, json={**body, "scores": {**body["scores"], "safe": 0}})
    assert changed.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
    # without a client_id, every form sent is a check-in of its own
    assert patient.post(MINE, json=dialog()).status_code == 201
    assert patient.post(MINE, json=dialog()).status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 3


def test_another_patients_client_id_is_a_conflict_and_reveals_nothing(world, patient, make):
    body = dialog(client_id=new_client_id())
    assert patient.post(MINE, json=body).status_code == 201
    other = world.login(make.user("pat-b", "patient", patient=world.patient_b))
    refused = other.post(MINE, json=body)
    assert refused.status_code == 409
    assert "scores" not in refused.get_json()


def test_the_history_names_the_person_rated(world, patient):
    patient.post(MINE, json=relationship(world.peter.id))
    patient.post(MINE, json=dialog())
    items = patient.get(MINE).get_json()["items"]
    assert [(item["kind"], item["professional_name"]) for item in items] == [
        ("dialog", None), ("relationship", "Peter Psychologist")]


def test_the_people_to_rate_are_the_key_people_then_those_met(world, patient):
    assert patient.get(PEOPLE).get_json()["items"] == [
        {"professional_id": world.nurse_professional.id, "name": "Nina Nurse",
         "profession": "nurse", "roles": ["safety_person"]},
        {"professional_id": world.peter.id, "name": "Peter Psychologist",
         "profession": "psychologist", "roles": ["therapist"]}]
    nurse = world.login(world.nurse)
    logged = nurse.post("/api/v1/contacts", json={
        "client_id": new_client_id(), "patient_id": world.patient_a.id,
        "professional_id": world.doctor.id, "kind": "conversation", "occurred_at": iso_z(utcnow())})
    assert logged.status_code == 201
    names = [item["name"] for item in patient.get(PEOPLE).get_json()["items"]]
    assert names == ["Nina Nurse", "Peter Psychologist", "Dora Doctor"]
    # a contact entered in error is no relationship
    assert nurse.post(f"/api/v1/contacts/{logged.get_json()['id']}/retract",
                      json={"reason": "Wrong patient"}).status_code == 200
    assert "Dora Doctor" not in [item["name"] for item in patient.get(PEOPLE).get_json()["items"]]
