"""The check-in flags end to end: a check-in queues its patient, relationship_strain and help_requested open
and resolve with the next check-in, a leader's resolve holds, and each reader sees them as the patient's sharing
choice allows."""

import pytest

from tests.checkins.conftest import MINE, dialog, relationship
from wardtrack.continuity.models import Flag
from wardtrack.extensions import db


def flags(client, patient, code=None) -> list[dict]:
    response = client.get(f"/api/v1/patients/{patient.id}/flags?status=unresolved")
    assert response.status_code == 200, response.get_json()
    return [f for f in response.get_json()["items"] if code is None or f["code"] == code]


def strained(patient_client, professional_id, before=3, now=1, share="team_leader"):
    """Two check-ins on one person, the second `now` after `before`; the second's body."""
    for score in (before, now):
        made = patient_client.post(MINE, json=relationship(professional_id, score, share=share))
        assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_a_fall_of_one_point_on_the_safety_person_opens_a_high_flag_the_leader_reads(world, patient):
    leader = world.login(world.leader)
    made = patient.post(MINE, json=relationship(world.nurse_professional.id, 3)).get_json()
    assert flags(leader, world.patient_a, "relationship_strain") == []
    lower = {**relationship(world.nurse_professional.id, 3), "what_would_help": "Talk to me in private"}
    lower["scores"].update(listened=1, safe=1, speak_up=2)  # mean 2.17: a fall of 0.83, above 1.5
    patient.post(MINE, json=lower)
    assert flags(leader, world.patient_a, "relationship_strain") == []
    made = patient.post(MINE, json=relationship(world.nurse_professional.id, 1)).get_json()
    (flag,) = flags(leader, world.patient_a, "relationship_strain")
    assert flag["severity"] == "high" and flag["subject"] == f"check_in:{made['id']}"
    assert flag["reasons"] == [{"key": "strain_drop",
                                "params": {"name": "Nina Nurse", "before": 2.17, "now": 1.0}},
                               {"key": "check_in_shared_team_leader", "params": {}}]
    assert flag["detail"] == ("The patient's check-in on Nina Nurse fell from 2.17 to 1.0 of 4; the patient "
                              "shares this check-in with the team leader.")
    assert "private" not in str(db.session.get(Flag, flag["id"]).__dict__)


def test_a_low_score_on_a_first_check_in_is_a_medium_flag_on_anyone_else(world, patient):
    leader = world.login(world.leader)
    patient.post(MINE, json=relationship(world.peter.id, 1))
    (flag,) = flags(leader, world.patient_a, "relationship_strain")
    assert flag["severity"] == "medium"
    assert flag["reasons"][0] == {"key": "strain_low", "params": {"name": "Peter Psychologist", "now": 1.0}}


def test_the_next_check_in_that_no_longer_strains_resolves_the_flag(world, patient):
    leader = world.login(world.leader)
    strained(patient, world.peter.id)
    (flag,) = flags(leader, world.patient_a, "relationship_strain")
    patient.post(MINE, json=relationship(world.peter.id, 2))  # up from 1, and not below 1.5
    assert flags(leader, world.patient_a, "relationship_strain") == []
    stored = db.session.get(Flag, flag["id"])
    assert stored.status == "resolved" and stored.resolved_by is None


def test_a_new_strained_check_in_asks_again_after_a_leader_resolved(world, patient):
    leader = world.login(world.leader)
    strained(patient, world.peter.id, before=3, now=1)
    (flag,) = flags(leader, world.patient_a, "relationship_strain")
    assert leader.post(f"/api/v1/flags/{flag['id']}/resolve", json={"note": "Talked with her"}).status_code == 200
    assert flags(leader, world.patient_a, "relationship_strain") == []  # held resolved while the check-in stands
    made = patient.post(MINE, json=relationship(world.peter.id, 1)).get_json()
    (again,) = flags(leader, world.patient_a, "relationship_strain")
    assert again["id"] != flag["id"] and again["subject"] == f"check_in:{made['id']}"
    assert again["reasons"][0]["key"] == "strain_low"


def test_more_help_names_each_domain_and_clears_with_the_next_life_check_in(world, patient):
    leader = world.login(world.leader)
    patient.post(MINE, json=dialog(more_help=["accommodation", "friendships"]))
    (flag,) = flags(leader, world.patient_a, "help_requested")
    assert [r["key"] for r in flag["reasons"]] == ["help_accommodation", "help_friendships",
                                                   "check_in_shared_team_leader"]
    assert flag["detail"] == ("More help wanted with accommodation; friendships; the patient shares this check-in "
                              "with the team leader.")
    assert flag["severity"] == "medium"
    patient.post(MINE, json=dialog())
    assert flags(leader, world.patient_a, "help_requested") == []


@pytest.mark.parametrize("share, leader_sees, person_sees", [
    ("ward", False, False), ("team_leader", True, False), ("team_leader_and_person", True, True)])
def test_each_reader_sees_the_flag_as_the_sharing_choice_allows(world, patient, share, leader_sees, person_sees):
    strained(patient, world.peter.id, share=share)
    readers = {"leader": (world.login(world.leader), leader_sees),
               "the rated person": (world.login(world.peter_user), person_sees),
               "another nurse": (world.login(world.nurse), False)}
    for who, (client, sees) in readers.items():
        (flag,) = flags(client, world.patient_a, "relationship_strain")
        assert flag["severity"] == "medium", who
        if sees:
            assert "Peter Psychologist" in flag["detail"] and flag["subject"].startswith("check_in:"), who
            # the sharing choice is said wherever the score is shown
            assert flag["reasons"][-1] == {"key": f"check_in_shared_{share}", "params": {}}, who
        else:
            assert flag["reasons"] == [{"key": "check_in_conversation", "params": {}}], who
            assert flag["detail"] == "A check-in asks for a conversation." and flag["subject"] == "", who
            assert "Peter" not in str(flag), who


def test_the_board_and_the_ward_list_hide_what_the_leader_may_not_read(world, patient):
    strained(patient, world.peter.id, share="ward")
    patient.post(MINE, json=dialog(more_help=["accommodation"], share="team_leader"))
    leader = world.login(world.leader)
    board = leader.get(f"/api/v1/wards/{world.ward_a.id}/board").get_json()
    (row,) = [p for p in board["patients"] if p["patient"]["id"] == world.patient_a.id]
    shown = {f["code"]: f for f in row["flags"]}
    assert shown["relationship_strain"]["reasons"] == [{"key": "check_in_conversation", "params": {}}]
    assert shown["help_requested"]["reasons"] == [{"key": "help_accommodation", "params": {}},
                                                  {"key": "check_in_shared_team_leader", "params": {}}]
    listed = leader.get(f"/api/v1/wards/{world.ward_a.id}/flags").get_json()["items"]
    assert "Peter" not in str([f for f in listed if f["code"] == "relationship_strain"])
    # The patient lets the team leader read it: from the next read on, the leader sees who.
    (check_in,) = [c for c in patient.get(MINE).get_json()["items"]
                   if c["kind"] == "relationship"][:1]
    assert patient.patch(f"{MINE}/{check_in['id']}", json={"share": "team_leader"}).status_code == 200
    (flag,) = flags(leader, world.patient_a, "relationship_strain")
    assert "Peter Psychologist" in flag["detail"]


def test_resolving_a_hidden_flag_answers_without_the_person(world, patient):
    strained(patient, world.peter.id, share="ward")
    leader = world.login(world.leader)
    (flag,) = flags(leader, world.patient_a, "relationship_strain")
    answer = leader.post(f"/api/v1/flags/{flag['id']}/resolve", json={"note": "Offered a conversation"})
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "resolved" and "Peter" not in str(answer.get_json())


def test_thresholds_are_ward_settings(world, patient):
    leader = world.login(world.leader)
    strained(patient, world.peter.id, before=3, now=2)  # a fall of 1.0 at 2.0
    assert len(flags(leader, world.patient_a, "relationship_strain")) == 1
    put = leader.put(f"/api/v1/wards/{world.ward_a.id}/policy", json={"strain_drop": 1.5})
    assert put.status_code == 200, put.get_json()
    assert flags(leader, world.patient_a, "relationship_strain") == []
    for bad in ({"strain_drop": 0}, {"strain_below": 5}, {"strain_below": "1"}):
        refused = leader.put(f"/api/v1/wards/{world.ward_a.id}/policy", json=bad)
        assert refused.status_code == 422 and set(bad) <= set(refused.get_json()["errors"])
