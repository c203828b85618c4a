"""`flask adt import`: saved messages, one per MLLP frame or per blank-line group, from files or stdin."""

from datetime import timedelta

import sqlalchemy as sa

from tests.adt.conftest import adt
from wardtrack.adt.messages import END, START, split_saved
from wardtrack.extensions import db
from wardtrack.patients.models import Episode


def test_blank_line_groups_with_lf_or_cr_and_frames():
    one, two = adt("A01", sep="\n"), adt("A03", sep="\r")
    assert len(split_saved(f"{one}\n\n{two}\r\r")) == 2
    assert len(split_saved((START + one.encode() + END + START + two.encode() + END).decode())) == 2


def test_import_from_stdin_and_a_file(runner, wards, tmp_path):
    first = adt("A01", visit="V-9", ago=timedelta(hours=2), sep="\n")
    second = adt("A02", ward="WB", visit="V-9", ago=timedelta(hours=1), sep="\n")
    result = runner.invoke(args=["adt", "import", "-"], input=f"{first}\n\n{second}\n")
    assert result.exit_code == 0, result.output
    assert "2 messages" in result.output and "2 applied" in result.output
    saved = tmp_path / "feed.hl7"
    saved.write_text(f"{first}\n\n{second}\n")
    again = runner.invoke(args=["adt", "import", str(saved)])
    assert "2 duplicate" in again.output
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Episode)) == 2


def test_import_reports_refusals_by_control_id_only(runner, wards):
    result = runner.invoke(args=["adt", "import", "-"], input=adt("A01", ward="ZZ", control="BAD-1"))
    assert result.exit_code == 1
    assert "AE: BAD-1: Unknown location ZZ" in result.output
    assert "Nordmann" not in result.output
