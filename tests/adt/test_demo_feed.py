"""`flask demo adt-feed | flask adt import -`, and `flask adt send` against the listener."""

import sqlalchemy as sa

from wardtrack.adt.mllp import Listener
from wardtrack.demo.catalogue import WARDS
from wardtrack.extensions import db
from wardtrack.patients.models import Episode


def _demo_wards(make):
    for _key, name, setting in WARDS:
        make.ward(name, setting)


def test_the_demo_feed_imports(make, runner):
    _demo_wards(make)
    printed = runner.invoke(args=["demo", "adt-feed", "--patients", "8"])
    assert printed.exit_code == 0, printed.output
    imported = runner.invoke(args=["adt", "import", "-"], input=printed.stdout)
    assert imported.exit_code == 0, imported.output
    assert "error" not in imported.output and "rejected" not in imported.output
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Episode)) >= 8


def test_the_sample_file_goes_to_the_listener(app, make, runner):
    _demo_wards(make)
    assert runner.invoke(args=["demo", "adt-feed", "--patients", "1"]).exit_code == 0  # maps the wards
    server = Listener(app, "127.0.0.1", 0)
    server.start()
    try:
        sent = runner.invoke(args=["adt", "send", "--port", str(server.port), "docs/samples/adt-demo.hl7"])
    finally:
        server.shutdown()
        server.server_close()
    assert sent.exit_code == 0, sent.output
    codes = [line.split(":")[0] for line in sent.output.splitlines()]
    assert codes and set(codes) == {"AA"}, sent.output
