"""`flask adt listen` (the MLLP listener) and `flask adt import FILE…` (a backfill)."""

import collections
import socket
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from wardtrack.adt.messages import END, frame, split_saved
from wardtrack.adt.mllp import Listener
from wardtrack.adt.service import process
from wardtrack.extensions import db

adt_cli = AppGroup("adt", help="The hospital's HL7 v2 ADT feed.")


@adt_cli.command("listen")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=2575, show_default=True)
def listen_command(host: str, port: int) -> None:
    """Serve MLLP: every message is applied in its own transaction and then acknowledged."""
    server = Listener(current_app._get_current_object(), host, port)
    click.echo(f"Listening for HL7 v2 over MLLP on {host}:{server.port}", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@adt_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.File("rb"))
@click.option("--quiet", is_flag=True, help="Print only the totals, not a line per refusal.")
def import_command(files, quiet: bool) -> None:
    """Apply saved messages in order: one per MLLP frame, or per group of segments separated by a
    blank line (CR or LF line ends); `-` reads standard input. Each is its own transaction, as over
    MLLP. Refusals are printed by control id and reason (no patient data)."""
    counts, started, total = collections.Counter(), time.monotonic(), 0
    for handle in files:
        for text in split_saved(handle.read().decode("utf-8", "replace")):
            answer = process(text)
            total += 1
            counts[answer.outcome] += 1
            if answer.code != "AA" and not quiet:
                click.echo(f"{answer.code}: {_error_line(answer.ack)}", err=True)
    db.session.remove()
    summary = ", ".join(f"{counts[name]} {name}" for name in
                        ("applied", "duplicate", "stale", "error", "rejected") if counts[name])
    click.echo(f"{total} messages in {time.monotonic() - started:.1f} s: {summary or 'none'}.")
    if counts["error"] or counts["rejected"]:
        sys.exit(1)


def _error_line(ack: str) -> str:
    """The refused message's control id (MSA-2) and reason (ERR-8) from its ACK."""
    fields = {line[:3]: line.split("|") for line in ack.split("\r")}
    msa, err = fields.get("MSA", []), fields.get("ERR", [])
    control = msa[2] if len(msa) > 2 else ""
    reason = err[8] if len(err) > 8 else ""
    return f"{control or '(no control id)'}" + (f": {reason}" if reason else "")


@adt_cli.command("send")
@click.argument("files", nargs=-1, required=True, type=click.File("rb"))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=2575, show_default=True)
def send_command(files, host: str, port: int) -> None:
    """Send saved messages to an MLLP listener (`flask adt listen`), one frame each, and print
    each ACK's code, control id and reason: a way to try the listener as an engine would."""
    with socket.create_connection((host, port), timeout=30) as connection:
        buffer = b""
        for handle in files:
            for text in split_saved(handle.read().decode("utf-8", "replace")):
                connection.sendall(frame(text))
                while END not in buffer:
                    chunk = connection.recv(65536)
                    if not chunk:
                        raise click.ClickException("the listener closed the connection")
                    buffer += chunk
                reply, _, buffer = buffer.partition(END)
                ack = reply.lstrip(b"\x0b").decode("utf-8", "replace")
                code = next((line.split("|")[1] for line in ack.split("\r") if line.startswith("MSA")), "?")
                click.echo(f"{code}: {_error_line(ack)}")
