"""Helpers for the contact tests: a valid body for the nurse on ward A and patient A."""

from datetime import timedelta

import pytest

from tests.conftest import new_client_id
from tests.patients.helpers import iso
from wardtrack.core.time import utcnow


@pytest.fixture
def contact_body(ward_setup):
    """contact_body(**overrides) -> a valid POST /contacts body (patient A, the nurse's professional)."""

    def build(**overrides):
        values = {"client_id": new_client_id(), "patient_id": ward_setup.patient_a.id,
                  "professional_id": ward_setup.nurse_professional.id,
                  "occurred_at": iso(utcnow().replace(microsecond=0) - timedelta(hours=1)), "kind": "conversation"}
        return {**values, **overrides}

    return build


@pytest.fixture
def nurse_api(ward_setup):
    return ward_setup.login(ward_setup.nurse)
