"""Metrics in the Prometheus text format (prometheus_client), at `/metrics`.

The metric objects live here, in core, so that every package can count without importing another; a
package that knows a figure only the database holds (open flags by code) registers a gauge read at
scrape time (`register_gauge`). Labels are codes, endpoint names and statuses: never a patient, a
name, an id or a path with an id in it.

Under gunicorn several worker processes count apart: set `PROMETHEUS_MULTIPROC_DIR` to an empty
directory (deploy/wardtrack-web.service does) and prometheus_client's multiprocess mode adds them up
at scrape time; deploy/gunicorn.conf.py marks a dead worker's files. The scheduler, when it runs on
the same host with the same directory, adds its job figures to the same scrape.

`/metrics` answers only a client whose address is in METRICS_ALLOW (loopback by default) and that did
not come through the reverse proxy (no X-Forwarded-For): the public site never shows it.
"""

import os
import time

from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from wardtrack.core import logs

bp = Blueprint("metrics", __name__)
_GAUGES = "wardtrack.metric_gauges"

REQUESTS = Counter("wardtrack_http_requests_total", "HTTP requests answered",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("wardtrack_http_request_duration_seconds", "Time to answer a request",
                    ["endpoint", "method"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
CONTACTS = Counter("wardtrack_contacts_recorded_total", "Contacts stored (new rows, not resends)",
                   ["via"])
BATCH_SIZE = Histogram("wardtrack_contact_batch_size", "Contacts per batch a phone sent",
                       buckets=(1, 2, 5, 10, 25, 50, 100, 250, 500))
DELIVERIES = Counter("wardtrack_deliveries_total", "Deliveries tried, by channel and outcome",
                     ["channel", "outcome"])
LOGIN_THROTTLED = Counter("wardtrack_login_throttled_total", "Login attempts refused by the throttle")
JOB_RUNS = Counter("wardtrack_job_runs_total", "Scheduled job runs", ["job", "outcome"])
JOB_DURATION = Histogram("wardtrack_job_duration_seconds", "Time a scheduled job took", ["job"],
                         buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300))
JOB_LAST_SUCCESS = Gauge("wardtrack_job_last_success_timestamp_seconds",
                         "When a scheduled job last succeeded (Unix time)", ["job"],
                         multiprocess_mode="max")


def register_gauge(app, name: str, documentation: str, labels: tuple[str, ...], read) -> None:
    """A gauge read at scrape time: `read()` returns [(label values, value)]. Higher packages
    register at app creation, so that core needs no knowledge of them."""
    app.extensions.setdefault(_GAUGES, []).append((name, documentation, labels, read))


class _ReadAtScrape:
    """The registered gauges, read once per scrape (inside the request's app context)."""

    def __init__(self, gauges):
        self.gauges = gauges

    def collect(self):
        for name, documentation, labels, read in self.gauges:
            family = GaugeMetricFamily(name, documentation, labels=list(labels))
            for values, value in read():
                family.add_metric([str(v) for v in values], value)
            yield family


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    scraped = CollectorRegistry(auto_describe=True)
    scraped.register(_ReadAtScrape(current_app.extensions.get(_GAUGES, [])))
    return registry, scraped


def _allowed() -> bool:
    return (request.remote_addr in current_app.config["METRICS_ALLOW"]
            and "X-Forwarded-For" not in request.headers)


@bp.get("/metrics")
def metrics():
    """The figures in the Prometheus text format; 404 to anyone not allowed (it does not exist for
    them)."""
    if not _allowed():
        abort(404)
    registry, scraped = _registry()
    body = generate_latest(registry) + generate_latest(scraped)
    return Response(body, mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                    headers={"Cache-Control": "no-store"})


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _answered(response):
    started = g.pop("metrics_started", None)
    if started is not None and request.endpoint != "metrics.metrics":
        endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
        seconds = time.perf_counter() - started
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        LATENCY.labels(endpoint, request.method).observe(seconds)
        logs.request_line(current_app, endpoint, response.status_code, seconds)
    return response


def init_app(app) -> None:
    """Metrics and the request log: first among the hooks, so that the clock starts before any
    other hook can answer."""
    logs.configure(app)
    app.register_blueprint(bp)
    app.before_request(_started)
    app.after_request(_answered)
