"""One rule for `next`, server and page alike: a path on this site after normalisation, else the start page.
The language switch (no login needed) and the login page after a real login in Chromium."""

import pytest

from wardtrack.web.redirects import local_path

# Each as the browser or server receives it, i.e. already URL-decoded once from the query string.
OFF_SITE = ["//evil.invalid/phish", "/\t/evil.invalid/phish", "/\\evil.invalid", "\\\\evil.invalid",
            "https://evil.invalid", "http:evil.invalid", "javascript:alert(1)", "/%5Cevil.invalid",
            "/%2F%2Fevil.invalid", "/%252F%252Fevil.invalid", "/%09/evil.invalid", " //evil.invalid",
            "/\n/evil.invalid", "/\r\n/evil.invalid", "/\x00/evil.invalid", "/\u3000/evil.invalid", "/%zz",
            "/%ED%A0%80", "evil.invalid", "..//evil.invalid", "%2F%2Fevil.invalid"]
ON_SITE = {"/log": "/log", "/patients/3?days=90": "/patients/3?days=90", " /board\n": "/board",
           "/log?q=Anna%20Berg": "/log?q=Anna%20Berg", "/reminders#due": "/reminders#due"}


@pytest.mark.parametrize("value", OFF_SITE)
def test_off_site_is_refused(value):
    assert local_path(value) is None


@pytest.mark.parametrize(("value", "expected"), ON_SITE.items())
def test_a_path_of_this_site_is_kept(value, expected):
    assert local_path(value) == expected


@pytest.mark.parametrize("value", OFF_SITE)
def test_language_switch_never_leaves_the_site(client, value):
    response = client.get("/language", query_string={"lang": "en", "next": value})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"  # anonymous: the start page


def test_the_reported_request(client):
    """The review's request, as sent: %09 is a tab once decoded, which browsers drop."""
    response = client.get("/language?lang=en&next=/%09/evil.invalid/phish")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_language_switch_goes_back_to_the_page(client):
    response = client.get("/language", query_string={"lang": "nb", "next": "/patients/3?days=90"})
    assert response.headers["Location"] == "/patients/3?days=90"
    assert "lang=nb" in response.headers["Set-Cookie"]


def test_language_switch_falls_back_to_the_callers_start_page(make, login):
    api = login(make.user("nina", "nurse"))
    response = api.get("/language", query_string={"lang": "en", "next": "//evil.invalid"})
    assert response.headers["Location"] == "/log"
