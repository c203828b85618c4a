"""`flask demo seed`."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from wardtrack.continuity.operations import sweep
from wardtrack.demo.catalogue import Login
from wardtrack.demo.seed import DEFAULT_SEED, is_empty, populate, prepare, present_logins
from wardtrack.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option("--patients", type=click.IntRange(1, 5000), default=40, show_default=True,
              help="How many demo patients to make.")
@click.option(
    "--if-empty",
    is_flag=True,
    help="When the database already has wards, do nothing (but still print the demo logins).",
)
@click.option("--seed", "seed_value", type=int, default=DEFAULT_SEED, show_default=True,
              help="Random seed: the same seed gives the same demo.")
def seed_command(patients: int, if_empty: bool, seed_value: int) -> None:
    """Fill an empty database with a realistic demo: wards, staff, patients and two years of
    contacts."""
    if current_app.config.get("WARDTRACK_ENV") == "production":
        raise click.ClickException(
            "refusing to seed demo data (with known demo passwords) in production"
        )
    if not is_empty():
        if not if_empty:
            raise click.ClickException(
                "the database already has wards; the demo only fills an empty database "
                "(use --if-empty to skip seeding without an error)"
            )
        click.echo("The database already has wards: nothing seeded.")
        _print_logins(present_logins())
        return
    started = time.monotonic()
    demo = prepare(patients, seed_value)
    with click.progressbar(length=patients, label="Generating demo patients", file=sys.stderr,
                           show_pos=True) as bar:
        counts = populate(demo, bar.update)
    flags = sweep()  # the seed writes rows directly, so no change signal has queued anyone
    db.session.commit()
    click.echo(
        f"Seeded in {time.monotonic() - started:.1f} s: {counts['wards']} wards, "
        f"{counts['professionals']} professionals, {counts['accounts']} accounts, "
        f"{counts['patients']} patients ({counts['admitted']} admitted now), {counts['episodes']} "
        f"episodes, {counts['contacts']} contacts, {counts['designations']} designations, "
        f"{counts['check_ins']} check-ins, {flags['opened']} open flags."
    )
    _print_logins(present_logins())


def _print_logins(logins: list[Login]) -> None:
    """The demo logins as a small table; the passwords are fixed demo strings, not secrets."""
    if not logins:
        click.echo("No demo logins in this database.")
        return
    rows = [("username", "password", "role", "what to try")]
    rows += [(x.username, x.password, x.role, x.try_this) for x in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    click.echo("\nDemo logins (fixed demo passwords; never put real patients in this database):")
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)] + [row[3]]
        click.echo("  " + "  ".join(cells))


@demo_cli.command("adt-feed")
@click.option("--patients", type=click.IntRange(1, 100000), default=20, show_default=True,
              help="How many made-up people the feed admits.")
@click.option("--seed", "seed_value", type=int, default=DEFAULT_SEED, show_default=True)
def adt_feed_command(patients: int, seed_value: int) -> None:
    """Print HL7 v2 ADT messages for the demo's wards (blank-line separated), after mapping their
    points of care: `flask demo adt-feed | flask adt import -`."""
    from wardtrack.demo.adt_feed import feed, map_demo_locations

    if current_app.config.get("WARDTRACK_ENV") == "production":
        raise click.ClickException("refusing to map demo locations in production")
    try:
        mapped = map_demo_locations()
    except LookupError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo("Mapped " + ", ".join(f"{code} → {name}" for code, name in mapped.items()), err=True)
    for message in feed(patients, seed_value):
        click.echo(message.replace("\r", "\n") + "\n")
