"""Several servers, one database: Debian's nginx with deploy/nginx/wardtrack.conf and a self-signed certificate
in front of two gunicorn instances, and two `flask scheduler run` on one PostgreSQL database. Contacts go in
through nginx over HTTPS while one web instance and the active scheduler are SIGKILLed; then nothing is lost or
doubled, the standby scheduler has taken over and made exactly one reminder and one delivery per due plan, a
session made through one instance works through the other, and the login throttle counts across both."""

import contextlib
import datetime as dt
import http.client
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from bench.servers import ROOT, Gunicorn, free_port

TEST_DATABASE = os.environ.get("WARDTRACK_TEST_DATABASE_URL", "")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
SITE = ROOT / "deploy" / "nginx" / "wardtrack.conf"

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.postgres,
    pytest.mark.skipif(not TEST_DATABASE.startswith("postgresql"),
                       reason="several servers share one database through PostgreSQL (advisory lock, row locks); "
                              "set WARDTRACK_TEST_DATABASE_URL to a PostgreSQL server to run this"),
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx)"),
]

PASSWORD = "correct horse battery staple 42"
THREADS, PER_THREAD = 4, 15


# --- the certificate ---------------------------------------------------------------------------------------

def make_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A CA of the test's own and a server certificate it signed for 127.0.0.1 and localhost:
    (ca.pem, fullchain.pem, privkey.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "wardtrack test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False),
                         critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
              .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
              .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                          x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                             critical=False)
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                             critical=False)
              .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    paths = folder / "ca.pem", folder / "fullchain.pem", folder / "privkey.pem"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(server.public_bytes(pem) + ca.public_bytes(pem))
    paths[2].write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    paths[2].chmod(0o600)
    return paths


# --- nginx ---------------------------------------------------------------------------------------------------

def _replace(text: str, pattern: str, new: str) -> str:
    """Replace the one line matching `pattern`; fail when the site file no longer has it."""
    result, count = re.subn(pattern, new, text, flags=re.MULTILINE)
    assert count == 1, f"deploy/nginx/wardtrack.conf no longer has a line matching {pattern!r}"
    return result


def render_site(http_port: int, https_port: int, upstreams: list[int], cert: Path, key: Path) -> str:
    """The site file as installed, with this test's ports, certificate, upstreams and static root."""
    text = SITE.read_text()
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in upstreams)
    text = _replace(text, r"^\s*server 127\.0\.0\.1:8000 .*$", servers)
    text = _replace(text, r"^\s*listen 80;.*$", f"    listen 127.0.0.1:{http_port};")
    text = _replace(text, r"^\s*listen 443 ssl http2;.*$", f"    listen 127.0.0.1:{https_port} ssl http2;")
    text = re.sub(r"^\s*listen \[::\].*\n", "", text, flags=re.MULTILINE)  # no IPv6 needed here
    text = _replace(text, r"^\s*ssl_certificate /etc/ssl/wardtrack/fullchain\.pem;$", f"    ssl_certificate {cert};")
    text = _replace(text, r"^\s*ssl_certificate_key /etc/ssl/wardtrack/privkey\.pem;$",
                    f"    ssl_certificate_key {key};")
    return _replace(text, r"^\s*alias /opt/wardtrack/static/;.*$", f"        alias {ROOT / 'static'}/;")


class Nginx:
    """Debian's nginx with a prefix of its own: `nginx -p <prefix> -c <prefix>/nginx.conf -g 'daemon off;'`."""

    def __init__(self, prefix: Path, site: str, ports: tuple[int, int]):
        self.prefix, self.ports = prefix, ports
        (prefix / "logs").mkdir(parents=True)
        (prefix / "wardtrack.conf").write_text(site)
        mime = Path("/etc/nginx/mime.types")
        types = f"include {mime};" if mime.exists() else "types { text/css css; application/javascript js; }"
        temp = "\n".join(f"  {kind}_temp_path {prefix / ('tmp-' + kind)};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the test's files
        (prefix / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'logs/error.log'} warn;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n  {types}\n  default_type application/octet-stream;\n"
            f"  access_log {prefix / 'logs/access.log'};\n{temp}\n  include {prefix / 'wardtrack.conf'};\n}}\n")
        self.command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
        self.process = None

    def start(self):
        checked = subprocess.run([*self.command, "-t"], capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([*self.command, "-g", "daemon off;"], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.stderr.read().decode()
            try:
                with contextlib.closing(http.client.HTTPConnection("127.0.0.1", self.ports[0], timeout=2)) as c:
                    c.request("GET", "/")
                    c.getresponse()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("nginx did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)  # graceful
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)


# --- the clients ---------------------------------------------------------------------------------------------

class Https:
    """Requests to nginx over HTTPS, verified against the test's own CA (hostname 127.0.0.1 checked)."""

    def __init__(self, port: int, ca: Path):
        self.port, self.ca = port, ca
        self.context = ssl.create_default_context(cafile=str(ca))
        self.context.set_alpn_protocols(["http/1.1"])

    def request(self, method: str, path: str, body=None, headers=None):
        """(status, headers, body bytes) on a connection of its own, so nginx spreads requests."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
        try:
            data = json.dumps(body) if body is not None else None
            sent = {"Content-Type": "application/json"} if data is not None else {}
            connection.request(method, path, data, {**sent, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def too_big(self, path: str, length: int) -> int:
        """The status of a POST announcing a body of `length` bytes (none is sent: nginx answers first)."""
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
        try:
            connection.putrequest("POST", path)
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(length))
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    def alpn(self) -> tuple[str | None, str | None]:
        """The protocol nginx picks when a client offers HTTP/2."""
        context = ssl.create_default_context(cafile=str(self.ca))
        context.set_alpn_protocols(["h2", "http/1.1"])
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as raw, \
                context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            return tls.selected_alpn_protocol(), tls.version()


def _run(args: list[str], env: dict, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _sql(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True)


def _insert_due_plan(url: str, patient_id: int, professional_id: int) -> int:
    """An active plan begun 200 days ago with an interval of 182 and no maintenance contact since: due now."""
    with _sql(url) as connection:
        return connection.execute(
            "INSERT INTO maintenance_plans (patient_id, professional_id, interval_days, any_contact_counts, "
            "started_at) VALUES (%s, %s, 182, false, now() - interval '200 days') RETURNING id",
            (patient_id, professional_id)).fetchone()[0]


def _rows(url: str, query: str, *args) -> list[tuple]:
    with _sql(url) as connection:
        return connection.execute(query, args).fetchall()


def _login_lines(server: Gunicorn) -> int:
    try:
        return server.log_path.read_text(errors="replace").count('"POST /api/v1/auth/login')
    except OSError:
        return 0


# --- the test --------------------------------------------------------------------------------------------------

def test_several_servers_behind_nginx_lose_and_double_nothing(tmp_path, monkeypatch):
    from bench.backends import migrate_and_seed, postgresql_database
    from tests.reminders.processes import SchedulerProcess, wait_until
    from tests.reminders.servers import SmtpSink

    started = time.monotonic()
    monkeypatch.setenv("WARDTRACK_BENCH_DATABASE_URL", TEST_DATABASE)
    with contextlib.ExitStack() as stack:
        url = postgresql_database(stack)  # a database of its own, dropped at the end
        seeded = migrate_and_seed(url)
        env = seeded.app_env
        _run(["users", "create", "ward-login", "--role", "nurse", "--ward-id", str(seeded.ward_id),
              "--password-stdin"], env, stdin=PASSWORD + "\n")
        with _sql(url) as connection:  # the plan's professional gets the reminder's e-mail
            connection.execute("UPDATE users SET email = 'nurse@ward.example' WHERE id = %s", (seeded.nurse_id,))

        # two web instances and nginx in front of them
        ca, cert, key = make_certificate(tmp_path)
        webs = []
        for name in ("a", "b"):
            server = Gunicorn(name, "app:app", {**env, "WARDTRACK_ACCESS_LOG": str(tmp_path / f"access-{name}.log"),
                                                "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / f"metrics-{name}")},
                              2, tmp_path)
            server.log_path = tmp_path / f"access-{name}.log"  # the request lines; errors go there too
            server.start()
            stack.callback(server.stop)
            webs.append(server)
        http_port, https_port = free_port(), free_port()
        nginx = Nginx(tmp_path / "nginx", render_site(http_port, https_port, [w.port for w in webs], cert, key),
                      (http_port, https_port))
        nginx.start()
        stack.callback(nginx.stop)
        https = Https(https_port, ca)

        # two schedulers on the one database: one active, one hot standby
        smtp = stack.enter_context(SmtpSink())
        settings = {"SMTP_URL": smtp.url, "MAIL_FROM": "wardtrack <noreply@ward.example>",
                    "BASE_URL": "https://wardtrack.example", "SECRET_KEY": env["WARDTRACK_SECRET_KEY"],
                    "CRYPTO_KEYS": env["WARDTRACK_CRYPTO_KEYS"]}
        schedulers = [stack.enter_context(SchedulerProcess(name, url, **settings)) for name in ("one", "two")]

        def roles():
            active = [p for p in schedulers if p.logged("scheduler lock taken")]
            standby = [p for p in schedulers if p.logged("standby: waiting for lock")]
            return (active[0], standby[0]) if len(active) == 1 and len(standby) == 1 else None

        active, standby = wait_until(roles, 40)
        plans = [_insert_due_plan(url, seeded.patient_id, seeded.professional_id)]

        def sent_deliveries():
            return _rows(url, "SELECT d.reminder_id, d.channel, d.status FROM deliveries d "
                              "WHERE d.reminder_id IS NOT NULL AND d.status = 'sent'")

        wait_until(lambda: len(sent_deliveries()) == 1, 40)

        # the proxy itself: HTTP goes to HTTPS, HTTP/2 and TLS 1.2+ offered, HSTS, /metrics hidden, static cached
        with contextlib.closing(http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)) as plain:
            plain.request("GET", "/log")
            response = plain.getresponse()
            assert response.status == 301 and response.headers["Location"] == "https://127.0.0.1/log"
        protocol, version = https.alpn()
        assert protocol == "h2" and version in ("TLSv1.2", "TLSv1.3")
        status, headers, _ = https.request("GET", "/healthz")
        assert status == 200 and headers["Strict-Transport-Security"].startswith("max-age=63072000")
        assert https.request("GET", "/metrics")[0] == 404
        status, headers, _ = https.request("GET", "/static/css/app.css", headers={"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip", headers
        assert headers["Cache-Control"] == "no-cache" and headers["ETag"]
        assert https.request("GET", "/static/css/app.css", headers={"If-None-Match": headers["ETag"]})[0] == 304
        assert https.too_big("/api/v1/contacts/batch", 1024 * 1024 + 1) == 413

        # the login throttle counts across both instances: an account's failures from one address, spread
        # over the two by nginx, are refused after LOGIN_MAX_FAILURES (5) as on one instance
        before = [_login_lines(w) for w in webs]
        statuses = []
        for _ in range(6):
            statuses.append(https.request("POST", "/api/v1/auth/login",
                                          {"username": "ward-login", "password": "wrong password"})[0])
        assert statuses == [401] * 5 + [429], statuses
        spread = [_login_lines(w) - b for w, b in zip(webs, before, strict=True)]
        assert all(n >= 2 for n in spread) and sum(spread) == 6, spread
        time.sleep(1.2)  # the one-second delay after the fifth failure; the right password then goes in

        # a session made through nginx (whichever instance) ...
        status, headers, body = https.request("POST", "/api/v1/auth/login",
                                              {"username": "ward-login", "password": PASSWORD})
        assert status == 200, body
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        assert cookie.startswith("wardtrack_session=")
        csrf = json.loads(body)["csrf_token"]
        before = [_login_lines(w) for w in webs]
        assert [https.request("GET", "/api/v1/me", headers={"Cookie": cookie})[0] for _ in range(4)] == [200] * 4

        # contacts from a few threads, each retried with its client_id on a 502 or a dropped connection,
        # while one web instance and the active scheduler are SIGKILLed
        auth = {"Authorization": f"Bearer {seeded.token}"}
        stored, retried, lock = [], Counter(), threading.Lock()
        answers, failures = Counter(), []
        halfway = threading.Event()

        def drive():
            for _ in range(PER_THREAD):
                body = {"client_id": str(uuid.uuid4()), "patient_id": seeded.patient_id,
                        "professional_id": seeded.professional_id, "kind": "conversation",
                        "occurred_at": dt.datetime.now(dt.UTC).isoformat()}
                for attempt in range(30):
                    try:
                        status = https.request("POST", "/api/v1/contacts", body, auth)[0]
                    except (OSError, http.client.HTTPException):
                        status = None
                    if status in (200, 201):
                        break
                    if status not in (None, 502, 503, 504):
                        with lock:
                            failures.append(status)
                        return
                    with lock:
                        retried[status] += 1
                    time.sleep(0.05 * (attempt + 1))
                else:
                    with lock:
                        failures.append("gave up")
                    return
                with lock:
                    stored.append(body["client_id"])
                    answers[status] += 1
                    if len(stored) >= THREADS * PER_THREAD // 3:
                        halfway.set()

        threads = [threading.Thread(target=drive) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        assert halfway.wait(60)
        victim, survivor = webs[0], webs[1]
        os.killpg(victim.process.pid, signal.SIGKILL)  # master and workers, mid-traffic
        victim.process.wait(10)
        victim.process = None
        active.kill()
        plans.append(_insert_due_plan(url, seeded.patient_id, seeded.professional_id))  # the standby's to remind
        for thread in threads:
            thread.join(90)
        assert failures == [], failures
        assert len(stored) == THREADS * PER_THREAD

        # ... works through the survivor, for reading and (with its CSRF token) for writing
        survivor_before = _login_lines(survivor)
        assert [https.request("GET", "/api/v1/me", headers={"Cookie": cookie})[0] for _ in range(3)] == [200] * 3
        one_more = {"client_id": str(uuid.uuid4()), "patient_id": seeded.patient_id,
                    "professional_id": seeded.professional_id, "kind": "conversation",
                    "occurred_at": dt.datetime.now(dt.UTC).isoformat()}
        status, _headers, body = https.request("POST", "/api/v1/contacts", one_more,
                                               {"Cookie": cookie, "X-CSRF-Token": csrf})
        assert status == 201, body
        stored.append(one_more["client_id"])
        assert _login_lines(survivor) == survivor_before  # (no login happened: the session carried over)

        # nothing lost, nothing doubled, nothing else
        rows = _rows(url, "SELECT client_id::text FROM contacts")
        assert Counter(row[0] for row in rows) == Counter(stored)

        # the standby took over: it logged the lock, and it alone holds the advisory lock now
        wait_until(lambda: standby.logged("scheduler lock taken"), 30)
        locks = _rows(url, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
                           "database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        assert len(locks) == 1
        assert standby.process.poll() is None

        # exactly one reminder and one delivery (e-mail, sent once) per due plan
        wait_until(lambda: len(sent_deliveries()) == 2, 40)
        time.sleep(2)  # two more sweeps and deliveries: nothing further appears
        reminders = _rows(url, "SELECT id, plan_id FROM reminders ORDER BY id")
        assert sorted(plan for _id, plan in reminders) == sorted(plans)
        deliveries = _rows(url, "SELECT reminder_id, channel, status, attempts FROM deliveries "
                                "WHERE reminder_id IS NOT NULL")
        assert Counter((r, c) for r, c, _s, _a in deliveries) == Counter({(r, "email"): 1 for r, _p in reminders})
        assert {(s, a) for _r, _c, s, a in deliveries} == {("sent", 1)}
        assert len(smtp.messages) == 2
        assert standby.stop() == 0, standby.log()

        print(f"\ncontacts: {len(rows)} stored of {len(stored)} sent; answers {dict(answers)}; "
              f"retries {dict(retried)}; instance {victim.name} (port {victim.port}) killed, {survivor.name} "
              f"survived; scheduler {active.name} killed, {standby.name} took over; "
              f"failed logins spread {spread}; {time.monotonic() - started:.1f} s")
