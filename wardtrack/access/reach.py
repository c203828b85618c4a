"""Which patients a caller reaches — decided here only, as one SQL condition (a patient out of reach
is a 404)."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request

from wardtrack.access.models import EmergencyAccess
from wardtrack.auth.access import Caller
from wardtrack.auth.models import User, UserWard
from wardtrack.core.time import utcnow
from wardtrack.core.transaction import UNSAFE_METHODS
from wardtrack.patients.models import Episode

# Aliased, so that a query whose own table is `episodes` or `emergency_access` is not correlated
# with these.
_episodes = Episode.__table__.alias("reach_episodes")
_grants = EmergencyAccess.__table__.alias("reach_grants")


def writing() -> bool:
    """Whether the current request writes: any unsafe method (POST, PUT, PATCH, DELETE).

    Break-the-glass grants only read, so under a write they do not count towards reach. Outside a
    request (CLI commands, jobs) no one writes as a grant's holder, and a question about reach is
    answered as for a read.
    """
    return has_request_context() and request.method in UNSAFE_METHODS


def reach_condition(role: str, patient_id, values: dict | None = None, *, grants: bool = True):
    """The reach rule as SQL on a patient id column.

    Admins reach everyone; a patient reaches only themselves; other staff reach patients with an
    episode on one of their wards that is active or ended within REACH_AFTER_DISCHARGE_DAYS, and
    patients they hold an unexpired emergency-access grant for (break-the-glass; `grants=False`
    leaves those out). A grant only reads: in a writing request (see writing()) it counts for
    nothing, decided here for every route, so that a write always needs ordinary reach. Without
    `values` the condition holds bind parameters that reach_params() fills at execution, so that a
    hot path can build its statement once and run it many times; `reach_grants` then carries the
    read-or-write decision of the request that executes it.
    """

    def param(name):
        return sa.bindparam(name, value=values[name], unique=True) if values else sa.bindparam(name)

    if role == "admin":
        return sa.true()
    if role == "patient":
        return patient_id == param("reach_patient_id")
    wards = sa.exists().where(
        _episodes.c.patient_id == patient_id,
        _episodes.c.ward_id.in_(
            sa.select(UserWard.ward_id).where(UserWard.user_id == param("reach_user_id"))
        ),
        sa.or_(_episodes.c.ended_at.is_(None), _episodes.c.ended_at >= param("reach_horizon")),
    )
    if not grants or (values is not None and not values.get("reach_grants", not writing())):
        return wards
    granted = sa.exists().where(
        _grants.c.user_id == param("reach_user_id"), _grants.c.patient_id == patient_id,
        _grants.c.expires_at > param("reach_now"),
    )
    if values is None:  # a statement built once: the request that runs it says whether grants count
        granted = sa.and_(sa.bindparam("reach_grants", type_=sa.Boolean()), granted)
    return sa.or_(wards, granted)


def reach_params(user: User | Caller) -> dict:
    """The values for reach_condition(user.role, ...), for the current request (grants count when it
    reads)."""
    if user.role == "admin":
        return {}
    if user.role == "patient":
        return {"reach_patient_id": user.patient_id}
    now = utcnow()
    horizon = now - timedelta(days=current_app.config["REACH_AFTER_DISCHARGE_DAYS"])
    return {
        "reach_user_id": user.id,
        "reach_horizon": horizon,
        "reach_now": now,
        "reach_grants": not writing(),
    }


def patient_reach(user: User, patient_id, *, grants: bool = True):
    """SQL condition on a patient id column: true for the patients this user may reach.

    `grants=False` asks about the wards alone, without break-the-glass grants; in a writing request
    grants are left out anyway (a grant only reads).
    """
    return reach_condition(user.role, patient_id, reach_params(user), grants=grants)
