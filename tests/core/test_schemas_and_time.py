"""Shared fields, the UTC column type and time helpers."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from marshmallow import ValidationError

from wardtrack.core.schemas import StrictSchema, Text, UtcDateTime, id_field
from wardtrack.core.time import iso_z, utcnow
from wardtrack.extensions import db
from wardtrack.organisation.models import Ward


class Sample(StrictSchema):
    at = UtcDateTime()
    name = Text(max_length=5)
    ref = id_field()
    query_ref = id_field(strict=False)


def test_timestamps_need_an_offset_and_come_out_in_utc():
    loaded = Sample().load({"at": "2026-11-21T10:15:00+01:00"})
    assert loaded["at"] == datetime(2026, 11, 21, 9, 15, tzinfo=UTC)
    assert Sample().dump(loaded)["at"] == "2026-11-21T09:15:00Z"
    with pytest.raises(ValidationError) as caught:
        Sample().load({"at": "2026-11-21T10:15:00"})
    assert "offset" in caught.value.messages["at"][0]
    for bad in ("1999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "soon", 5):
        with pytest.raises(ValidationError):
            Sample().load({"at": bad})


def test_text_is_trimmed_and_must_not_be_blank():
    assert Sample().load({"name": "  Ann "})["name"] == "Ann"
    for bad in ("   ", "", "toolong", 5):
        with pytest.raises(ValidationError):
            Sample().load({"name": bad})


def test_id_fields():
    assert Sample().load({"ref": 3, "query_ref": "4"}) == {"ref": 3, "query_ref": 4}
    for bad in ("3", 0, -1, 2**31, True, 1.5):
        with pytest.raises(ValidationError):
            Sample().load({"ref": bad})


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as caught:
        Sample().load({"nickname": "x"})
    assert "nickname" in caught.value.messages


def test_utc_column_round_trips_and_refuses_naive_values(app):
    summer = timezone(timedelta(hours=2))
    ward = Ward(name="Time Ward", setting="other", created_at=datetime(2026, 6, 1, 12, tzinfo=summer))
    db.session.add(ward)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Ward, ward.id).created_at == datetime(2026, 6, 1, 10, tzinfo=UTC)
    assert db.session.get(Ward, ward.id).created_at.tzinfo is not None
    db.session.add(Ward(name="Naive Ward", setting="other", created_at=datetime(2026, 6, 1, 12)))
    with pytest.raises(sa.exc.StatementError, match="naive"):
        db.session.commit()
    db.session.rollback()


def test_time_helpers():
    assert utcnow().tzinfo is UTC
    assert iso_z(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1)))) == "2026-01-02T02:04:05Z"
    assert iso_z(None) is None
