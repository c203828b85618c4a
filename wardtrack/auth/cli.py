"""`flask users create` and `flask users token`."""

import contextlib
import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from marshmallow import ValidationError

from wardtrack.auth import operations
from wardtrack.auth.models import ROLES, User
from wardtrack.auth.schemas import UserCreateSchema, UserUpdateSchema
from wardtrack.core.errors import DomainError
from wardtrack.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option(
    "--ward-id",
    "ward_ids",
    type=int,
    multiple=True,
    help="A ward the account works on (repeatable).",
)
@click.option("--professional-id", type=int, help="The professional this staff account is.")
@click.option("--patient-id", type=int, help="The patient this patient account belongs to.")
@click.option("--email", help="Where reminders and digests are e-mailed (staff only).")
@click.option(
    "--password-stdin", is_flag=True, required=True, help="Read the password from standard input."
)
def create(username, role, ward_ids, professional_id, patient_id, email, password_stdin):
    """Make an account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\r\n")
    body = {"username": username, "password": password, "role": role, "ward_ids": list(ward_ids),
            "professional_id": professional_id, "patient_id": patient_id, "email": email}
    with _refusals():
        user = operations.create_user(**UserCreateSchema().load(body))
    db.session.commit()
    click.echo(f"created {role} {user.username} (id {user.id})")


@users_cli.command("set-email")
@click.argument("username")
@click.argument("address", required=False)
def set_email(username, address):
    """Set (or, without ADDRESS, clear) where USERNAME's reminders and digests are e-mailed."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    with _refusals():
        operations.update_user(
            user, UserUpdateSchema().load({"email": address.strip() if address else None})
        )
    db.session.commit()
    click.echo(f"{username}: e-mail {'set' if user.email else 'cleared'}")


@users_cli.command("token")
@click.argument("username")
def token(username):
    """Print a new bearer token for USERNAME."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or user.disabled_at is not None:
        raise click.ClickException(f"no active user {username!r}")
    value = operations.issue_token(user)
    db.session.commit()
    click.echo(value)


def _describe(messages: dict) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, errors))}" for field, errors in messages.items())


@contextlib.contextmanager
def _refusals():
    """Invalid input and refused operations end the command with their message, naming the field."""
    try:
        yield
    except ValidationError as error:
        raise click.ClickException(_describe(error.messages)) from None
    except DomainError as error:
        raise click.ClickException(
            _describe(error.errors) if error.errors else error.detail
        ) from None
