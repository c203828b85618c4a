"""Security and caching headers on every response, set in one place (docs/security.md explains
each).

One `after_request` rather than flask-talisman: the rules are a handful of constant headers, the API
docs page (a flask-smorest view) needs a policy of its own, and caching is decided here too.
"""

from flask import current_app, request

#: Pages and the API: only this site's own files; no inline script or style, no plugins, no framing.
POLICY = "; ".join(("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
                    "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
                    "frame-ancestors 'none'", "form-action 'self'"))
#: Swagger UI (/api/v1/docs) sets style attributes and draws its icons from data: URLs; its own
#: start-up code is a file (static/js/api_docs.js), so scripts stay as strict as on every other
#: page.
DOCS_POLICY = "; ".join(("default-src 'self'", "script-src 'self'",
                         "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
                         "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
                         "frame-ancestors 'none'", "form-action 'self'"))
DOCS_ENDPOINT = "api-docs.openapi_swagger_ui"
#: No page asks for any of these; a page that is made to ask (an injected script, a framing site) is
#: refused.
PERMISSIONS = ", ".join(
    f"{feature}=()"
    for feature in ("accelerometer", "autoplay", "camera", "display-capture", "geolocation",
                    "gyroscope", "magnetometer", "microphone", "midi", "payment",
                    "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
                    "xr-spatial-tracking", "browsing-topics")
)
HSTS = "max-age=63072000; includeSubDomains"
#: Responses that hold no one's data and keep their own caching: the app's static files (the service
#: worker precaches them by version), Swagger UI's files, the manifest and the service worker
#: itself.
OWN_CACHING = {"static", "web.api_docs_assets", "web.manifest", "web.service_worker"}


def security_headers(response):
    """Add the headers; a header a view set itself is kept, except caching, which this decides."""
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", DOCS_POLICY if request.endpoint == DOCS_ENDPOINT else POLICY
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", PERMISSIONS)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["WARDTRACK_ENV"] == "production":
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in OWN_CACHING:
        # Patient data must not stay in the browser's (or a proxy's) cache; the service worker keeps
        # the pages' shells in its own cache, which this does not govern.
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
        headers.pop("Pragma", None)
    return response


def init_app(app) -> None:
    """Register the headers for every response, errors included."""
    app.after_request(security_headers)
