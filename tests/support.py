"""Test helpers: a CSRF-aware API client, factories and the worlds they build, and throwaway PostgreSQL databases."""

import contextlib
import sqlite3
import threading
import time
import types
import uuid
from datetime import timedelta

import sqlalchemy as sa

from wardtrack.auth.models import User, UserWard
from wardtrack.auth.operations import hash_password
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Membership, Professional, Ward
from wardtrack.patients.models import Designation, Episode, Patient

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_CONTACT_PATHS = {"/api/v1/contacts", "/api/v1/contacts/batch"}


def _confirmed(path: str, body):
    """Tests build a patient's history through the API as a client whose user confirmed every time in the past:
    each contact says confirm_backdated unless the test says otherwise (tests/contacts/test_retract.py tests
    the refusal with confirm_backdated: False)."""
    if path not in _CONTACT_PATHS or not isinstance(body, dict):
        return body
    if path.endswith("/batch"):
        items = body.get("contacts")
        if not isinstance(items, list):
            return body
        return {**body, "contacts": [{"confirm_backdated": True, **item} if isinstance(item, dict) else item
                                     for item in items]}
    return {"confirm_backdated": True, **body}


class ApiClient:
    """A Flask test client that sends the session's CSRF token on unsafe requests."""

    def __init__(self, client, csrf_token=None, bearer=None):
        self.client, self.csrf_token, self.bearer = client, csrf_token, bearer

    def open(self, path, method="GET", headers=None, **kwargs):
        headers = dict(headers or {})
        if method.upper() in UNSAFE and self.csrf_token:
            headers.setdefault("X-CSRF-Token", self.csrf_token)
        if self.bearer:
            headers.setdefault("Authorization", f"Bearer {self.bearer}")
        if "json" in kwargs:
            kwargs["json"] = _confirmed(path, kwargs["json"])
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.open(path, "GET", **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, "POST", **kwargs)

    def put(self, path, **kwargs):
        return self.open(path, "PUT", **kwargs)

    def patch(self, path, **kwargs):
        return self.open(path, "PATCH", **kwargs)

    def delete(self, path, **kwargs):
        return self.open(path, "DELETE", **kwargs)


class World(types.SimpleNamespace):
    """A test's world: named objects read as attributes (world.nurse, world.ward_a).

    world.with_(recent=..., old=...) is a new world with more named objects (or some replaced); the world it
    came from is unchanged. A fixture that builds step by step may also set attributes on its own copy.
    """

    def with_(self, **more) -> "World":
        return type(self)(**{**vars(self), **more})


class Factories:
    """Build named objects straight in the database, committed."""

    PASSWORD = "correct-horse-battery"
    _hash = None

    def _save(self, obj):
        db.session.add(obj)
        db.session.commit()
        return obj

    def ward(self, name="Ward A", setting="acute_ward"):
        return self._save(Ward(name=name, setting=setting))

    def professional(self, name="Dora Doctor", profession="psychiatrist", wards=(), work_phone=None):
        today = utcnow().date() - timedelta(days=3650)
        return self._save(Professional(name=name, profession=profession, work_phone=work_phone,
                                       memberships=[Membership(ward_id=w.id, started_on=today) for w in wards]))

    def patient(self, display_name="Patient A", identifier=None):
        return self._save(Patient(display_name=display_name, identifier=identifier or uuid.uuid4().hex[:12]))

    def episode(self, patient, ward, kind="inpatient", started=timedelta(days=10), ended=None,
                legal_status="voluntary"):
        """started/ended are how long ago (timedelta) the episode started/ended."""
        now = utcnow()
        return self._save(Episode(patient_id=patient.id, ward_id=ward.id, kind=kind, legal_status=legal_status,
                                  started_at=now - started, ended_at=None if ended is None else now - ended))

    def designation(self, patient, professional, kind="safety_person", chosen_by_patient=True):
        return self._save(Designation(patient_id=patient.id, professional_id=professional.id, kind=kind,
                                      chosen_by_patient=chosen_by_patient))

    def user(self, username, role="nurse", wards=(), professional=None, patient=None):
        if Factories._hash is None:
            Factories._hash = hash_password(self.PASSWORD)
        return self._save(User(username=username, role=role, password_hash=Factories._hash,
                               professional_id=professional.id if professional else None,
                               patient_id=patient.id if patient else None,
                               ward_links=[UserWard(ward_id=w.id) for w in wards]))

    def ward_world(self) -> World:
        """Two wards, a nurse (also a professional), a team leader and a doctor on ward A, a nurse on ward B,
        an admin, and a patient admitted to each ward ten days ago."""
        ward_a, ward_b = self.ward("Ward A"), self.ward("Ward B")
        nurse_professional = self.professional("Nina Nurse", "nurse", [ward_a])
        doctor = self.professional("Dora Doctor", "psychiatrist", [ward_a])
        nurse = self.user("nina", "nurse", wards=[ward_a], professional=nurse_professional)
        leader = self.user("tom", "team_leader", wards=[ward_a])
        other_nurse = self.user("olga", "nurse", wards=[ward_b])
        admin = self.user("ada", "admin")
        patient_a, patient_b = self.patient("Patient A", "PA-1"), self.patient("Patient B", "PB-1")
        self.episode(patient_a, ward_a, started=timedelta(days=10))
        self.episode(patient_b, ward_b, started=timedelta(days=10))
        return World(ward_a=ward_a, ward_b=ward_b, nurse=nurse, leader=leader, other_nurse=other_nurse, admin=admin,
                     doctor=doctor, nurse_professional=nurse_professional, patient_a=patient_a, patient_b=patient_b)

    def pia_world(self, leader=None, dora=False, started=timedelta(days=5)) -> World:
        """The browser tests' ward: Ward A; Nina, a nurse who is also a professional (`nina`, user `nurse`);
        with leader=(username, name) a team leader who is also a professional (`leader`); with dora=True Dora
        Doctor with a work phone (`dora`); Pia Patient admitted `started` ago, with a login (`pia`, `pia_user`)."""
        ward = self.ward("Ward A")
        nina = self.professional("Nina Nurse", "nurse", [ward])
        nurse = self.user("nina", "nurse", wards=[ward], professional=nina)
        if leader is not None:
            username, name = leader
            leader = self.user(username, "team_leader", wards=[ward],
                               professional=self.professional(name, "nurse", [ward]))
        if dora:
            dora = self.professional("Dora Doctor", "psychiatrist", [ward], work_phone="+47 23 01 02 03")
        pia = self.patient("Pia Patient", "PP-1")
        self.episode(pia, ward, started=started)
        return World(ward=ward, nina=nina, nurse=nurse, leader=leader, dora=dora or None, pia=pia,
                     pia_user=self.user("pia", "patient", patient=pia))


@contextlib.contextmanager
def backend_url(server_url: str):
    """A new, empty PostgreSQL database on the server of server_url, dropped afterwards."""
    server = sa.engine.make_url(server_url)
    name = f"wardtrack_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def sqlite_write_lock_held():
    """Another program holds SQLite's write lock on the app's database, mid-write, until the block ends."""
    db.session.rollback()  # the test's own transaction would hold the lock too
    writer = sqlite3.connect(db.engine.url.database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        writer.rollback()
        writer.close()


def race_for_the_chain(app, write, then, other) -> list[Exception]:
    """Run `write` (which records an audit event, so that on PostgreSQL it holds the chain's lock until it
    commits), start `other` in a second thread, give it time to block or to lock rows, then go on with `then`.

    Each side runs in its own app context and commits at its end. Returns what either side raised: when the
    two take their locks in different orders, PostgreSQL ends one of them for a deadlock.
    """
    db.session.commit()  # the test's own transaction would hold SQLite's write lock
    locked, started, errors = threading.Event(), threading.Event(), []

    def writer():
        write()
        locked.set()
        started.wait(5)
        time.sleep(0.5)  # the other side now waits for the chain, or (wrong order) holds rows `then` needs
        then()

    def racer():
        locked.wait(5)
        started.set()
        other()

    def in_context(work):
        with app.app_context():
            try:
                work()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported to the test)
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=in_context, args=(work,)) for work in (writer, racer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors
