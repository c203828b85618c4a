"""Auth fixtures: bearer tokens and a way to read rows straight from the database."""

import pytest
import sqlalchemy as sa

from tests.support import ApiClient
from wardtrack.auth.operations import issue_token
from wardtrack.extensions import db


@pytest.fixture
def bearer(app):
    """bearer(user) -> an ApiClient that authenticates with a fresh bearer token and no cookie."""

    def _bearer(user):
        token = issue_token(user)
        db.session.commit()
        return ApiClient(app.test_client(), bearer=token)

    return _bearer


@pytest.fixture
def rows():
    """rows(sql, **params) -> every row of a raw query, as mappings."""

    def _rows(sql, **params):
        return db.session.execute(sa.text(sql), params).mappings().all()

    return _rows
