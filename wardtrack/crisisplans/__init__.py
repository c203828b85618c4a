"""Crisis plans: versioned, encrypted under envelope keys; the only package that decrypts them."""

import logging

import sqlalchemy as sa
from flask import current_app

from wardtrack.core.crypto import KeyringError, load_keyring
from wardtrack.core.envelope import registered_sealed
from wardtrack.extensions import db

log = logging.getLogger(__name__)


def keys_for_stored_plans() -> str:
    """Readiness: every key id that stored plans need is in the keyring ("ok"), else which are
    missing."""
    from wardtrack.crisisplans import suggestions
    from wardtrack.crisisplans.queries import key_ids_in_use

    try:
        configured = set(load_keyring(current_app.config).keys)
    except KeyringError:
        return "unusable"
    sealed = {key_id for _label, model, _associated in registered_sealed(current_app)
              for key_id in db.session.scalars(sa.select(model.key_id).distinct())}
    missing = sorted((key_ids_in_use() | suggestions.key_ids_in_use() | sealed) - configured)
    if missing:
        log.warning(
            "readiness: crisis plans need keys that are not configured: %s", ", ".join(missing)
        )
        return "missing keys: " + ", ".join(missing)
    return "ok"


def init_app(app) -> None:
    """Register the readiness check for the keys stored plans need."""
    from wardtrack.core.health import register_check

    register_check(app, "crisis_plan_keys", keys_for_stored_plans)
