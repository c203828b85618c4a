"""The daily digest: after 07:00 in the ward's own time zone (across daylight-saving changes), once per
ward and local date, with the count of flags opened since the previous digest, to the ward's team
leaders, with no patient names."""

from datetime import timedelta

import sqlalchemy as sa

from tests.reminders.conftest import at, deliveries, detached, job, set_email
from wardtrack.continuity.models import Flag
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.notifications.digest import write_digests
from wardtrack.notifications.models import Digest

# Europe/Oslo moves to summer time on Sunday 28 March 2027 at 01:00 UTC, and back on 31 October 2027.
SATURDAY = at("2027-03-27T00:00:00+00:00")


def _flag(patient, subject: str, opened_at):
    db.session.add(Flag(patient_id=patient.id, code="no_safety_person", subject=subject, severity="high",
                        detail="-", opened_at=opened_at, updated_at=opened_at))
    db.session.commit()


def _digests():
    return detached(sa.select(Digest).order_by(Digest.id))


def _world(setup, make):
    """Patient D on ward A since long before the dates these tests travel to."""
    patient = make.patient("Patient D", "PD-1")
    make.episode(patient, setup.ward_a, started=utcnow() - at("2026-01-01T00:00:00+00:00"))
    return patient


def test_seven_in_the_morning_local_time_in_winter_and_in_summer(app, setup, make, travel):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # deliveries are queued, not sent, here
    set_email(setup.leader, "tom@ward.example")
    patient = _world(setup, make)
    _flag(patient, "a", at("2027-03-26T12:00:00+00:00"))
    with travel(at("2027-03-27T05:59:59+00:00")):  # 06:59:59 CET
        assert write_digests(utcnow()) == {"written": 0, "with_flags": 0}
    with travel(at("2027-03-27T06:00:00+00:00")):  # 07:00 CET
        assert write_digests(utcnow()) == {"written": 2, "with_flags": 1}  # wards A and B
        assert write_digests(utcnow())["written"] == 0
        db.session.commit()
    _flag(patient, "b", at("2027-03-27T20:00:00+00:00"))
    with travel(at("2027-03-28T04:59:59+00:00")):  # 06:59:59 CEST: the clocks went forward an hour
        assert write_digests(utcnow())["written"] == 0
    with travel(at("2027-03-28T05:00:00+00:00")):  # 07:00 CEST
        assert write_digests(utcnow())["written"] == 2
        db.session.commit()
    ward_a = [d for d in _digests() if d.ward_id == setup.ward_a.id]
    assert [(str(d.local_date), d.new_flags) for d in ward_a] == [("2027-03-27", 1), ("2027-03-28", 1)]
    assert ward_a[1].since_at == ward_a[0].created_at == at("2027-03-27T06:00:00+00:00")
    assert [(d.digest_id, d.user_id, d.channel) for d in deliveries()] == [
        (ward_a[0].id, setup.leader.id, "email"), (ward_a[1].id, setup.leader.id, "email")]


def test_back_to_winter_time_and_a_quiet_day_tells_no_one(app, setup, make, travel):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"
    set_email(setup.leader, "tom@ward.example")
    _world(setup, make)
    with travel(at("2027-10-31T05:59:00+00:00")):  # 06:59 CET: the clocks went back an hour at 01:00 UTC
        assert write_digests(utcnow())["written"] == 0
    with travel(at("2027-10-31T06:00:00+00:00")):
        assert write_digests(utcnow()) == {"written": 2, "with_flags": 0}
        db.session.commit()
    assert deliveries() == []


def test_each_ward_keeps_its_own_clock(app, setup, make, travel):
    setup.ward_b.timezone = "America/New_York"
    db.session.commit()
    with travel(at("2027-03-27T06:00:00+00:00")):  # 07:00 in Oslo, 02:00 in New York
        write_digests(utcnow())
        db.session.commit()
    assert [d.ward_id for d in _digests()] == [setup.ward_a.id]
    with travel(at("2027-03-27T11:00:00+00:00")):  # 07:00 EDT
        write_digests(utcnow())
        db.session.commit()
    assert [(d.ward_id, str(d.local_date)) for d in _digests()] == [
        (setup.ward_a.id, "2027-03-27"), (setup.ward_b.id, "2027-03-27")]


def test_the_digest_email_names_the_ward_and_no_patient(app, setup, make, smtp):
    set_email(setup.leader, "tom@ward.example")
    patient = _world(setup, make)
    _flag(patient, "a", utcnow() - timedelta(hours=2))
    app.config["DIGEST_HOUR"] = 0  # due whatever the hour
    assert job(app, "digest")["with_flags"] == 1
    assert job(app, "digest")["written"] == 0
    assert job(app, "deliver")["sent"] == 1
    [(_sender, recipients, message)] = smtp.wait_for(1)
    assert recipients == ["tom@ward.example"] and message["Subject"] == "wardtrack: daily summary for Ward A"
    body = message.get_payload(decode=True).decode()
    assert body.startswith("1 new continuity flag on Ward A since ")
    for secret in ("Patient D", "PD-1", "Patient A", "no_safety_person"):
        assert secret not in str(message) + body


def test_team_leaders_read_their_wards_digests_in_the_app(app, setup, make, travel):
    from tests.core.problems import assert_problem

    for day in ("2027-03-27", "2027-03-28", "2027-03-29"):
        with travel(at(f"{day}T09:00:00+00:00")):
            write_digests(utcnow())
            db.session.commit()
    leader = setup.login(setup.leader)
    first = leader.get("/api/v1/digests?limit=2")
    assert first.status_code == 200
    body = first.get_json()
    assert [(d["ward_id"], d["local_date"]) for d in body["items"]] == [
        (setup.ward_a.id, "2027-03-29"), (setup.ward_a.id, "2027-03-28")]
    assert set(body["items"][0]) == {"id", "ward_id", "local_date", "since_at", "created_at", "new_flags"}
    rest = leader.get(f"/api/v1/digests?limit=2&cursor={body['next_cursor']}").get_json()
    assert [d["local_date"] for d in rest["items"]] == ["2027-03-27"] and rest["next_cursor"] is None
    assert len(setup.login(setup.admin).get("/api/v1/digests").get_json()["items"]) == 6
    assert_problem(setup.login(setup.nurse).get("/api/v1/digests"), 403)
    assert_problem(leader.get("/api/v1/digests?limit=0"), 422, "limit")
    assert_problem(leader.get("/api/v1/digests?cursor=forged"), 422, "cursor")
