"""The sealed "what would help" texts go with the keys: `flask crypto rotate` re-wraps them,
`flask crypto check` opens them, and readiness asks for their keys."""

import sqlalchemy as sa

from tests.checkins.conftest import MINE, relationship, staff_url
from wardtrack.checkins.models import CheckInText
from wardtrack.core.crypto import generate_key_line
from wardtrack.extensions import db


def _key_ids() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(sa.select(CheckInText.key_id)))


def test_rotate_and_check_cover_the_check_in_texts(app, runner, world, patient):
    made = patient.post(MINE, json=relationship(world.peter.id, what_would_help="Ask me first"))
    assert made.status_code == 201, made.get_json()
    new_line = generate_key_line().replace("k", "c", 1)  # a distinct id even within the second
    app.config["CRYPTO_KEYS"] = new_line + "," + app.config["CRYPTO_KEYS"]
    result = runner.invoke(args=["crypto", "rotate"])
    assert result.exit_code == 0, result.output
    assert "check-in texts: re-wrapped 1, failed 0" in result.output
    assert _key_ids() == {new_line.split(":")[0]}
    app.config["CRYPTO_KEYS"] = new_line  # the old key can go: the text still reads
    seen = world.login(world.leader).get(staff_url(world.patient_a)).get_json()["items"]
    assert [item["what_would_help"] for item in seen] == ["Ask me first"]
    assert "check-in texts: decrypt 1, failed 0" in runner.invoke(args=["crypto", "check"]).output
    row = db.session.scalar(sa.select(CheckInText))
    row.ciphertext = bytes([row.ciphertext[0] ^ 1]) + bytes(row.ciphertext[1:])
    db.session.commit()
    bad = runner.invoke(args=["crypto", "check"])
    assert bad.exit_code == 1
    assert f"cannot decrypt: check-in texts {made.get_json()['id']}" in bad.output


def test_readiness_names_a_missing_key_of_a_check_in_text(app, client, world, patient):
    patient.post(MINE, json=relationship(world.peter.id, what_would_help="Ask me first"))
    assert client.get("/readyz").status_code == 200
    (key_id,) = _key_ids()
    app.config["CRYPTO_KEYS"] = generate_key_line()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["crisis_plan_keys"] == f"missing keys: {key_id}"
