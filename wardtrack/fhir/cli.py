"""`flask fhir export [--since DATE] OUTDIR`: FHIR Bulk Data NDJSON, one file per resource type."""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from wardtrack.audit.operations import record
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import Flag
from wardtrack.continuity.queries import seen_by
from wardtrack.core.time import utcnow
from wardtrack.extensions import db
from wardtrack.fhir import queries, resources
from wardtrack.organisation.models import Membership, Professional, Ward
from wardtrack.patients.models import Designation, Episode, Patient

fhir_cli = AppGroup("fhir", help="FHIR R4: the bulk export.")
#: The types an export writes, in this order. Crisis plans, check-ins and the access log are left
#: out: they are read one patient at a time by someone whom the sharing rule and the audit name.
EXPORTED = ("Organization", "Location", "Practitioner", "PractitionerRole", "Patient", "EpisodeOfCare",
            "Encounter", "CareTeam", "Flag")


class _NoReader:
    """Who reads an export's check-in flags: nobody the patient shared a check-in with (the
    sharing rule hides their person, domain and score, as for an admin)."""

    id, role, patient_id, professional_id = 0, "admin", None, None


def _since(value):
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("an ISO 8601 date or time, e.g. 2026-12-01") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _changed(since, *columns):
    if since is None:
        return sa.true()
    return sa.or_(*(column >= since for column in columns))


def _rows(since) -> dict:
    """What each type exports: (count, iterator of resources); `since` keeps what changed since."""
    today = utcnow().date()

    def wards():
        return db.session.scalars(sa.select(Ward).where(_changed(since, Ward.created_at)).order_by(Ward.id))

    def professionals():
        found = db.session.scalars(sa.select(Professional).where(_changed(since, Professional.created_at))
                                   .order_by(Professional.id))
        return (resources.practitioner(p) for p in found)

    def roles():
        day = since.date() if since else None
        condition = sa.true() if day is None else sa.or_(Membership.started_on >= day, Membership.ended_on >= day)
        found = db.session.scalars(sa.select(Membership).where(condition).order_by(Membership.id))
        return (resources.practitioner_role(m, m.professional, today) for m in found)

    def patients():
        found = db.session.scalars(sa.select(Patient).where(_changed(since, Patient.created_at)).order_by(Patient.id))
        return (resources.patient(p, queries.has_active_episode(p.id)) for p in found)

    def episodes():
        found = db.session.scalars(sa.select(Episode).where(_changed(since, Episode.created_at, Episode.ended_at))
                                   .order_by(Episode.id))
        return (resources.episode_of_care(e) for e in found)

    def encounters():
        found = db.session.execute(
            sa.select(Contact, Professional.name).join(Professional, Professional.id == Contact.professional_id)
            .where(_changed(since, Contact.received_at, Contact.retracted_at))
            .order_by(Contact.patient_id, Contact.id)).all()
        cache = {}
        for contact, name in found:
            if contact.patient_id not in cache:
                cache = {contact.patient_id: queries.episodes(contact.patient_id)}
            yield resources.encounter(contact, name, queries.episode_at(cache[contact.patient_id],
                                                                       contact.occurred_at))

    def care_teams():
        ids = db.session.scalars(sa.select(Designation.patient_id).where(
            _changed(since, Designation.started_at, Designation.ended_at)).distinct().order_by(Designation.patient_id))
        for patient_id in list(ids):
            yield resources.care_team(db.session.get(Patient, patient_id), queries.designations(patient_id))

    def flags():
        found = list(db.session.scalars(sa.select(Flag).where(_changed(since, Flag.updated_at)).order_by(Flag.id)))
        return (resources.flag(f) for f in seen_by(_NoReader(), found))

    def count(model, *columns):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(_changed(since, *columns)))

    def patients_with_designations():
        return db.session.scalar(sa.select(sa.func.count(sa.distinct(Designation.patient_id))).where(
            _changed(since, Designation.started_at, Designation.ended_at)))

    day = since.date() if since else None
    memberships = db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        sa.true() if day is None else sa.or_(Membership.started_on >= day, Membership.ended_on >= day)))
    return {
        "Organization": (count(Ward, Ward.created_at), lambda: (resources.organization(w) for w in wards())),
        "Location": (count(Ward, Ward.created_at), lambda: (resources.location(w) for w in wards())),
        "Practitioner": (count(Professional, Professional.created_at), professionals),
        "PractitionerRole": (memberships, roles),
        "Patient": (count(Patient, Patient.created_at), patients),
        "EpisodeOfCare": (count(Episode, Episode.created_at, Episode.ended_at), episodes),
        "Encounter": (count(Contact, Contact.received_at, Contact.retracted_at), encounters),
        "CareTeam": (patients_with_designations(), care_teams),
        "Flag": (count(Flag, Flag.updated_at), flags),
    }


@fhir_cli.command("export")
@click.option("--since", help="Only what changed at or after this date or time (ISO 8601).")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
def export(since, outdir):
    """Write one NDJSON file per resource type (FHIR Bulk Data) into OUTDIR; audited."""
    since = _since(since)
    outdir.mkdir(parents=True, exist_ok=True)
    plan = _rows(since)
    total = sum(size for size, _ in plan.values())
    written = {}
    with click.progressbar(length=total, label="Exporting FHIR resources", file=sys.stderr,
                           show_pos=True) as bar:
        for kind in EXPORTED:
            _, build = plan[kind]
            lines = 0
            with (outdir / f"{kind}.ndjson").open("w", encoding="utf-8") as out:
                for resource in build():
                    out.write(json.dumps(resource, ensure_ascii=False, separators=(",", ":")) + "\n")
                    lines += 1
                    bar.update(1)
            written[kind] = lines
    # What was exported and how much, never whom: the audit trail holds no clinical content.
    record("fhir.export", object_type="fhir_export", object_id=sum(written.values()))
    db.session.commit()
    for kind, lines in written.items():
        click.echo(f"{kind}.ndjson\t{lines}")
