"""Liveness and readiness probes."""

import logging

import sqlalchemy as sa
from flask import current_app, jsonify
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from wardtrack.core.crypto import KeyringError, load_keyring

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__, description="Liveness and readiness")
_CHECKS = "wardtrack.readiness_checks"
_DEGRADING = "wardtrack.degrading_checks"


def register_check(app, name: str, check, degrades: bool = False) -> None:
    """Add a readiness check: `check()` returns "ok" or a short reason (no secrets, no PHI).

    A check that `degrades` says the service works but something needs a look (a stale scheduler):
    when only such checks fail, /readyz answers 200 with status "degraded", so that a proxy keeps
    sending requests. Higher packages register here at app creation, so that core needs no
    knowledge of them.
    """
    app.extensions.setdefault(_CHECKS, {})[name] = check
    if degrades:
        app.extensions.setdefault(_DEGRADING, set()).add(name)


def _registered(checks: dict) -> None:
    for name, check in current_app.extensions.get(_CHECKS, {}).items():
        try:
            checks[name] = check()
        # a failing check must make the service unready, not crash the probe
        except Exception as error:
            log.warning("readiness: check %s failed (%s)", name, type(error).__name__)
            checks[name] = "failed"


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})
    checks = fields.Dict(keys=fields.String(), values=fields.String())


@bp.get("/healthz")
@bp.response(200, HealthSchema)
def healthz():
    """The process is alive."""
    return {"status": "ok"}


@bp.get("/readyz")
@bp.response(200, HealthSchema)
@bp.alt_response(
    503, schema=HealthSchema, description="The database or the crypto keys are not usable"
)
def readyz():
    """The database answers and the crypto keys are usable."""
    # core does not import the app's extensions
    session = current_app.extensions["sqlalchemy"].session
    checks = {}
    try:
        session.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except sa.exc.SQLAlchemyError as error:
        log.warning("readiness: database unavailable (%s)", type(error).__name__)
        checks["database"] = "unavailable"
    finally:
        session.rollback()
    try:
        load_keyring(current_app.config).self_test()
        checks["crypto_keys"] = "ok"
    except KeyringError as error:
        log.warning("readiness: crypto keys unusable (%s)", error)
        checks["crypto_keys"] = "unusable"
    if checks["database"] == "ok" and checks["crypto_keys"] == "ok":  # their checks need both
        _registered(checks)
        session.rollback()
    degrading = current_app.extensions.get(_DEGRADING, set())
    ready = all(value == "ok" for name, value in checks.items() if name not in degrading)
    whole = all(value == "ok" for value in checks.values())
    status = "ok" if whole else "degraded" if ready else "unavailable"
    return jsonify(status=status, checks=checks), 200 if ready else 503
