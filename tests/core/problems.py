"""Assertions on RFC 9457 problem responses, shared by the auth, organisation, audit and core tests."""

PROBLEM_JSON = "application/problem+json"


def assert_problem(response, status: int, field: str | None = None) -> dict:
    """The response is a problem document with this status (naming `field` in `errors` when given)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["type"]
    if field is not None:
        assert field in body.get("errors", {}), body
        assert all(isinstance(message, str) for message in body["errors"][field])
    return body
