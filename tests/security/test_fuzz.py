"""schemathesis against the API's own OpenAPI document, as an admin and as a nurse: no request, schema-valid
or not, gets a 5xx. The number of examples per operation is bounded (WARDTRACK_FUZZ_EXAMPLES, default 15) so
that a run takes a few minutes on SQLite and on PostgreSQL; the figures of each run (operations, requests,
statuses, seconds, schema-valid requests refused) are written to test-artifacts/fuzz-<database>-<role>.json."""

import collections
import json
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from tests.conftest import _config
from tests.security.openapi_fields import spec
from tests.support import Factories
from wardtrack import create_app
from wardtrack.auth.models import User
from wardtrack.auth.operations import issue_token
from wardtrack.extensions import db

EXAMPLES = int(os.environ.get("WARDTRACK_FUZZ_EXAMPLES", "15"))
COVERAGE = os.environ.get("WARDTRACK_FUZZ_COVERAGE") == "1"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module", params=["admin", "nurse"])
def fuzz(request, database, tmp_path_factory):
    """The app on its own database for the whole run of a role, a world with a little of everything, and the
    caller's bearer token (no CSRF, and a session cookie would be replaced by a fuzzed login)."""
    url, clean = database(tmp_path_factory.mktemp(f"fuzz_{request.param}"))
    app = create_app(_config(url))
    with app.app_context():
        make = Factories()
        ward, other = make.ward("Ward A"), make.ward("Ward B")
        nina = make.professional("Nina Nurse", "nurse", [ward])
        make.professional("Dora Doctor", "psychiatrist", [ward, other])
        for name, home in (("Anna Berg", ward), ("Ola Dahl", ward), ("Per Ås", other)):
            patient = make.patient(name)
            make.episode(patient, home, started=timedelta(days=20))
        make.designation(patient, nina)
        make.user("anna", "patient", patient=patient)
        users = {"admin": make.user("ada", "admin"),
                 "nurse": make.user("nina", "nurse", wards=[ward], professional=nina)}
        user = users[request.param]
        state = {"app": app, "role": request.param, "user_id": user.id, "token": issue_token(user),
                 "started": time.monotonic(), "statuses": collections.Counter(), "operations": set(),
                 "refused_valid": collections.Counter()}
        db.session.commit()
        yield state
        _write_figures(state)
        db.session.remove()
        db.engine.dispose()
    clean()


def _write_figures(state):
    backend = db.engine.dialect.name
    figures = {"database": backend, "role": state["role"], "examples_per_operation": EXAMPLES, "coverage": COVERAGE,
               "operations": len(state["operations"]), "requests": sum(state["statuses"].values()),
               "seconds": round(time.monotonic() - state["started"], 1),
               "statuses": dict(sorted(state["statuses"].items())),
               "schema_valid_refused": dict(state["refused_valid"].most_common())}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"fuzz-{backend}-{state['role']}.json").write_text(json.dumps(figures, indent=1) + "\n")


def _keep_caller_usable(fuzz):
    """A fuzzed PATCH may disable the caller or change their role: undo it, so that the run goes on as them."""
    db.session.rollback()
    user = db.session.get(User, fuzz["user_id"])
    if user.disabled_at is not None or user.role != fuzz["role"]:
        user.disabled_at, user.role, user.patient_id = None, fuzz["role"], None
        fuzz["token"] = issue_token(user)
    db.session.commit()


# The document, from an app without a database; each case is sent to the run's own app (fuzz["app"]).
# schemathesis' coverage phase (every boundary and unexpected method of every operation, thousands of requests)
# runs only when WARDTRACK_FUZZ_COVERAGE=1; the examples and the bounded fuzzing phase always run.
PHASES = {"coverage": {"enabled": COVERAGE}, "stateful": {"enabled": False}}
schema = schemathesis.openapi.from_dict(spec(), config=SchemathesisConfig.from_dict({"phases": PHASES}))


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_5xx(case, fuzz):
    response = case.call(app=fuzz["app"], headers={"Authorization": f"Bearer {fuzz['token']}"})
    label = f"{case.operation.method.upper()} {case.operation.path}"
    fuzz["operations"].add(label)
    fuzz["statuses"][response.status_code] += 1
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code in (400, 422):
        errors = (response.json() or {}).get("errors") or {}
        fuzz["refused_valid"][f"{label} {response.status_code} {','.join(sorted(map(str, errors)))}"] += 1
    _keep_caller_usable(fuzz)
    case.validate_response(response, checks=[not_a_server_error])
