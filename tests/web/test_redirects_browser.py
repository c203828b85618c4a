"""The rule for `next` in Chromium (the server's side is in tests/security/test_redirects.py): login.js
applies the same rule as the server, and after a real login nobody is sent off-site."""

import pytest

from tests.security.test_redirects import OFF_SITE, ON_SITE
from tests.support import Factories
from wardtrack.extensions import db
from wardtrack.web.redirects import local_path

pytestmark = pytest.mark.browser


@pytest.fixture
def nurse(make):
    make.user("nina", "nurse", wards=[make.ward("Ward A")])
    db.session.rollback()


def test_the_page_applies_the_same_rule(context, live_server):
    """login.js's localPath() against the server's local_path(), case by case."""
    page = context.new_page()
    page.goto(f"{live_server}/offline")
    cases = OFF_SITE + list(ON_SITE)
    in_page = page.evaluate("(cases) => import('/static/js/login.js').then((m) => cases.map(m.localPath))", cases)
    assert dict(zip(cases, in_page, strict=True)) == {case: local_path(case) for case in cases}


@pytest.mark.parametrize("next_query", ["/%09/evil.invalid/phish", "/%5Cevil.invalid", "//evil.invalid",
                                        "https://evil.invalid", "/%0A/evil.invalid", "%2F%2Fevil.invalid"])
def test_after_a_real_login_the_user_stays_on_the_site(context, live_server, nurse, next_query):
    page = context.new_page()
    left = []
    page.on("request", lambda request: left.append(request.url)
            if not request.url.startswith(live_server) else None)
    page.goto(f"{live_server}/login?next={next_query}")
    page.fill("#username", "nina")
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server}/log")
    assert left == []


def test_after_a_real_login_a_local_next_is_followed(context, live_server, nurse):
    page = context.new_page()
    page.goto(f"{live_server}/login?next=/reminders%3Fx%3D1")
    page.fill("#username", "nina")
    page.fill("#password", Factories.PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server}/reminders?x=1")
