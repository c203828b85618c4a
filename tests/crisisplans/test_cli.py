"""`flask crypto`: generate-key, rotate (resumable, counts) and check."""

import sqlalchemy as sa

from tests.crisisplans.conftest import PLAN, plan_url, put_plan
from wardtrack.core.crypto import Keyring, generate_key_line
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.extensions import db


def key_ids() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(sa.select(CrisisPlanVersion.key_id)))


def test_generate_key_prints_a_usable_entry(runner):
    result = runner.invoke(args=["crypto", "generate-key"])
    assert result.exit_code == 0
    Keyring.parse(result.output).self_test()


def test_rotate_rewraps_every_plan_under_the_newest_key(setup, app, runner):
    for patient in (setup.patient_a, setup.patient_b):
        api = setup.as_nurse if patient is setup.patient_a else setup.as_other
        assert put_plan(api, patient).status_code == 201
    old_id = Keyring.parse(app.config["CRYPTO_KEYS"]).newest_id
    before = {row.id: bytes(row.ciphertext) for row in db.session.scalars(sa.select(CrisisPlanVersion))}
    new_line = generate_key_line().replace("k", "n", 1)  # a distinct id even within the same second
    app.config["CRYPTO_KEYS"] = new_line + "," + app.config["CRYPTO_KEYS"]
    new_id = new_line.split(":")[0]
    result = runner.invoke(args=["crypto", "rotate"])
    assert result.exit_code == 0, result.output
    assert "re-wrapped 2, already under" in result.output and "failed 0" in result.output
    assert key_ids() == {new_id} and old_id not in key_ids()
    after = {row.id: bytes(row.ciphertext) for row in db.session.scalars(sa.select(CrisisPlanVersion))}
    assert after == before  # plaintext at rest untouched: only the data keys were re-wrapped
    app.config["CRYPTO_KEYS"] = new_line  # the old key can go now
    assert setup.as_leader.get(plan_url(setup.patient_a)).get_json()["note"] == PLAN["note"]
    again = runner.invoke(args=["crypto", "rotate"])
    assert "re-wrapped 0, already under " + new_id + " 2" in again.output
    assert runner.invoke(args=["crypto", "check"]).exit_code == 0


def test_check_fails_on_an_altered_row(setup, runner):
    put_plan(setup.as_nurse, setup.patient_a)
    ok = runner.invoke(args=["crypto", "check"])
    assert ok.exit_code == 0 and "1 versions decrypt, 0 do not" in ok.output
    row = db.session.scalar(sa.select(CrisisPlanVersion))
    row.ciphertext = bytes([row.ciphertext[0] ^ 1]) + bytes(row.ciphertext[1:])
    db.session.commit()
    bad = runner.invoke(args=["crypto", "check"])
    assert bad.exit_code == 1 and f"patient {setup.patient_a.id} version 1" in bad.output


def test_rotate_and_check_cover_the_patients_suggestions(setup, app, runner):
    from wardtrack.crisisplans.models import CrisisPlanSuggestion

    sent = setup.as_patient.post("/api/v1/me/crisis-plan/suggestions", json={"text": "Call my sister first"})
    assert sent.status_code == 201, sent.get_json()
    new_line = generate_key_line().replace("k", "s", 1)
    app.config["CRYPTO_KEYS"] = new_line + "," + app.config["CRYPTO_KEYS"]
    result = runner.invoke(args=["crypto", "rotate"])
    assert result.exit_code == 0 and "suggestions: re-wrapped 1, failed 0" in result.output, result.output
    app.config["CRYPTO_KEYS"] = new_line  # the old key can go now: the suggestion still reads
    items = setup.as_leader.get(f"/api/v1/patients/{setup.patient_a.id}/crisis-plan/suggestions").get_json()
    assert [item["text"] for item in items["items"]] == ["Call my sister first"]
    assert "1 suggestions decrypt, 0 do not" in runner.invoke(args=["crypto", "check"]).output
    row = db.session.scalar(sa.select(CrisisPlanSuggestion))
    row.ciphertext = bytes([row.ciphertext[0] ^ 1]) + bytes(row.ciphertext[1:])
    db.session.commit()
    bad = runner.invoke(args=["crypto", "check"])
    assert bad.exit_code == 1 and f"patient {setup.patient_a.id} suggestion 1" in bad.output
