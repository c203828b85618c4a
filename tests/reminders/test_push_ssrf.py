"""Push endpoints cannot point the server inside the network: loopback, private, link-local and other
non-public addresses are refused at subscription and again at delivery (after resolving the name, and the
connection goes to the address checked), except the one PUSH_ALLOW_HOST of tests; redirects are never
followed."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.core.problems import assert_problem
from tests.reminders.conftest import deliveries, due_plan, job
from tests.reminders.servers import Device, free_port
from wardtrack.extensions import db
from wardtrack.notifications import push
from wardtrack.notifications.models import PushSubscription

URL = "/api/v1/push/subscriptions"


class Counting:
    """An HTTP server on 127.0.0.1 counting the POSTs it gets (with their Host header) and answering
    `status`, with `location` as Location when given."""

    def __init__(self, status=201, location=None):
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — http.server's hook name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.hits.append(self.headers.get("Host"))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.port = self.server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def vapid(app):
    app.config["VAPID_PRIVATE_KEY"] = push.generate_vapid_key()


def _stored(user, endpoint):
    """A subscription stored as it may have been before these checks (or before its name was rebound)."""
    keys = Device("phone").subscription("https://unused.example")["keys"]
    db.session.add(PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=keys["p256dh"], auth=keys["auth"],
                                    created_at=user.created_at))
    db.session.commit()


def _deliver(app, setup) -> dict:
    due_plan(setup.patient_a, setup.peter)
    job(app, "reminder_sweep")
    return job(app, "deliver")


@pytest.mark.parametrize("endpoint", [
    "http://127.0.0.1:6379", "http://127.0.0.1:6379/push", "http://[::1]:6379/x", "http://[::ffff:127.0.0.1]:9/x",
    "http://10.0.0.1/x", "http://0.0.0.0:9/x", "http://localhost:9/x", "http://169.254.169.254/latest",
    "https://10.0.0.1/x", "https://2130706433/x", "https://0177.0.0.1/x", "https://0x7f.1/x",
    "https://localhost/x", "https://[fe80::1]/x", "https://224.0.0.1/x", "https://[::]/x",
])
def test_subscriptions_to_inside_addresses_are_refused(app, setup, endpoint):
    # Even when the host is listed as a push service, what it is or resolves to must be public.
    app.config["PUSH_SERVICE_HOSTS"] = ("localhost", "10.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "fe80::1",
                                        "224.0.0.1", "::", "127.0.0.1")
    api = setup.login(setup.nurse)
    assert_problem(api.post(URL, json=Device("phone").subscription(endpoint.rstrip("/"))), 422, "endpoint")


def test_the_allowed_test_host_is_exactly_one_host_and_port(app, setup):
    api = setup.login(setup.nurse)
    app.config["PUSH_ALLOW_HOST"] = "127.0.0.1:6000"
    assert api.post(URL, json=Device("a").subscription("http://127.0.0.1:6000")).status_code == 201
    for other in ("http://127.0.0.1:6001", "http://localhost:6000", "http://[::1]:6000", "http://127.0.0.2:6000"):
        assert_problem(api.post(URL, json=Device("b").subscription(other)), 422, "endpoint")


@pytest.mark.parametrize("address, expected", [
    ("93.184.216.34", True), ("2606:4700:4700::1111", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),  # noqa: S104
    ("240.0.0.1", False), ("255.255.255.255", False), ("::1", False), ("::", False), ("fe80::1", False),
    ("fc00::1", False), ("ff02::1", False), ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False),
    ("2002:7f00:1::", False), ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False),
])
def test_which_addresses_are_public(address, expected):
    assert push.public(address) is expected


def test_a_redirect_from_the_push_service_is_not_followed(app, setup, vapid):
    with Counting(201) as target, Counting(307, location=f"http://127.0.0.1:{target.port}/push/phone") as relay:
        app.config["PUSH_ALLOW_HOST"] = f"127.0.0.1:{relay.port}"
        response = setup.login(setup.peter_user).post(
            URL, json=Device("phone").subscription(f"http://127.0.0.1:{relay.port}"))
        assert response.status_code == 201
        assert _deliver(app, setup)["retry"] == 1
        assert len(relay.hits) == 1
        assert target.hits == []
    [row] = deliveries()
    assert (row.status, row.last_error) == ("pending", "push service answered 307")


def test_delivery_checks_the_address_again_and_connects_to_none_inside(app, setup, vapid):
    with Counting(201) as inside:
        _stored(setup.peter_user, f"http://127.0.0.1:{inside.port}/push/phone")
        app.config["PUSH_SERVICE_HOSTS"] = ("localhost",)
        _stored(setup.peter_user, f"https://localhost:{inside.port}/push/other")
        assert _deliver(app, setup)["retry"] == 1
        assert inside.hits == []
    [row] = deliveries()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "EndpointRefused")


def test_delivery_connects_to_the_address_it_checked_not_to_a_second_lookup(app, setup, vapid, monkeypatch):
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return ["127.0.0.1"]  # the system cannot resolve .invalid: only this answer can be used

    monkeypatch.setattr(push, "resolve", resolve)
    with Counting(201) as service:
        app.config["PUSH_ALLOW_HOST"] = f"push.test.invalid:{service.port}"
        _stored(setup.peter_user, f"http://push.test.invalid:{service.port}/push/phone")
        assert _deliver(app, setup)["sent"] == 1
        assert service.hits == [f"push.test.invalid:{service.port}"]
    assert lookups == ["push.test.invalid"]
