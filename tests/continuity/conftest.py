"""Continuity fixtures: `world`, a small world driven through the HTTP API (see tests/continuity/story.py)."""

import pytest

from tests.continuity.story import Story


@pytest.fixture
def world(make, login):
    """Two wards, a nurse and a team leader on ward A, an admin, and helpers that go through the API."""
    return Story(make, login)
