"""`flask crypto`: make a key, re-wrap every plan under the newest key, check that every plan
decrypts."""

import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from wardtrack.core import envelope as core_envelope
from wardtrack.core.crypto import generate_key_line
from wardtrack.core.envelope import registered_sealed
from wardtrack.crisisplans import envelope, suggestions
from wardtrack.crisisplans.models import CrisisPlanSuggestion, CrisisPlanVersion
from wardtrack.extensions import db

crypto_cli = AppGroup("crypto", help="Crisis-plan keys: generate, rotate, check.")
BATCH = 200


@crypto_cli.command("generate-key")
def generate_key():
    """Print a new key entry; put it first in WARDTRACK_CRYPTO_KEYS to make it the newest."""
    click.echo(generate_key_line())


def _keyring():
    try:
        return envelope.keyring()
    except envelope.KeysUnavailable as error:
        raise click.ClickException(error.detail) from None


def _batches(query, model=CrisisPlanVersion):
    """Rows in key order, a batch at a time, so that memory stays flat on a large database."""
    key = sa.inspect(model).primary_key[0]
    last = 0
    while True:
        rows = list(db.session.scalars(query.where(key > last).order_by(key).limit(BATCH)))
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key.key)


@crypto_cli.command("rotate")
def rotate():
    """Re-wrap every data key not yet under the newest key; commits per batch, so it resumes where
    it stopped."""
    ring = _keyring()
    pending = sa.select(CrisisPlanVersion).where(CrisisPlanVersion.key_id != ring.newest_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(pending.subquery()))
    current = db.session.scalar(
        sa.select(sa.func.count()).where(CrisisPlanVersion.key_id == ring.newest_id)
    )
    rewrapped = failed = 0
    with click.progressbar(
        length=total, label=f"Re-wrapping under {ring.newest_id}", file=sys.stderr
    ) as bar:
        for rows in _batches(pending):
            for row in rows:
                try:
                    envelope.rewrap(ring, row)
                    rewrapped += 1
                except envelope.PlanUnreadable:
                    failed += 1
            db.session.commit()
            bar.update(len(rows))
    click.echo(f"re-wrapped {rewrapped}, already under {ring.newest_id} {current}, failed {failed}")
    failed += _rotate_suggestions(ring) + _over_registered(
        ring, core_envelope.rewrap, "re-wrapped", pending_only=True)
    if failed:
        raise SystemExit(1)


def _rotate_suggestions(ring) -> int:
    """The patients' suggestions are sealed like plans: re-wrap them too; returns how many
    failed."""
    pending = sa.select(CrisisPlanSuggestion).where(CrisisPlanSuggestion.key_id != ring.newest_id)
    rewrapped = failed = 0
    for rows in _batches(pending, CrisisPlanSuggestion):
        for row in rows:
            if suggestions.rewrap(ring, row):
                rewrapped += 1
            else:
                failed += 1
        db.session.commit()
    click.echo(f"suggestions: re-wrapped {rewrapped}, failed {failed}")
    return failed


def _over_registered(ring, act, done_as: str, pending_only: bool) -> int:
    """`act(ring, associated, row)` on each row of the other packages' sealed tables
    (core.envelope.register_sealed), with pending_only those not yet under the newest key; prints
    each table's counts and returns how many rows failed."""
    failed_in_all = 0
    for label, model, associated in registered_sealed(current_app):
        query = sa.select(model)
        if pending_only:
            query = query.where(model.key_id != ring.newest_id)
        done = failed = 0
        for rows in _batches(query, model):
            for row in rows:
                try:
                    act(ring, associated(row), row)
                    done += 1
                except core_envelope.Unopenable:
                    failed += 1
                    key = getattr(row, sa.inspect(model).primary_key[0].key)
                    click.echo(f"cannot decrypt: {label} {key} (key {row.key_id})", err=True)
            db.session.commit()
        click.echo(f"{label}: {done_as} {done}, failed {failed}")
        failed_in_all += failed
    return failed_in_all


@crypto_cli.command("check")
def check():
    """Decrypt every plan version; exit status 1 and the failing ids when one does not decrypt."""
    ring = _keyring()
    ok, failures = 0, []
    for rows in _batches(sa.select(CrisisPlanVersion)):
        for row in rows:
            try:
                envelope.open_content(ring, row)
                ok += 1
            except envelope.PlanUnreadable:
                failures.append(row)
        db.session.expire_all()
    for row in failures:
        click.echo(
            f"cannot decrypt: patient {row.patient_id} version {row.version} (key {row.key_id})",
            err=True,
        )
    click.echo(f"{ok} versions decrypt, {len(failures)} do not")
    unreadable = _check_suggestions(ring) + _over_registered(
        ring, core_envelope.open_sealed, "decrypt", pending_only=False)
    if failures or unreadable:
        raise SystemExit(1)


def _check_suggestions(ring) -> int:
    """Decrypt every suggestion; returns how many do not."""
    ok = unreadable = 0
    for rows in _batches(sa.select(CrisisPlanSuggestion), CrisisPlanSuggestion):
        for row in rows:
            if suggestions.open_text(ring, row) is None:
                unreadable += 1
                click.echo(
                    f"cannot decrypt: patient {row.patient_id} suggestion {row.number} "
                    f"(key {row.key_id})",
                    err=True,
                )
            else:
                ok += 1
        db.session.expire_all()
    click.echo(f"{ok} suggestions decrypt, {unreadable} do not")
    return unreadable
