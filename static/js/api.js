// Calls to the JSON API: the session cookie rides along; unsafe requests carry the CSRF token.
let csrfToken = null;

export class HttpError extends Error {
  constructor(status, body, retryAfter = null) {
    super((body && (body.detail || body.title)) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter; // seconds, from Retry-After (429, 503), or null
  }
}

async function freshCsrf() {
  const response = await fetch("/api/v1/auth/csrf", { credentials: "same-origin" });
  if (!response.ok) throw new HttpError(response.status, null);
  csrfToken = (await response.json()).csrf_token;
}

// Network failures reject with a TypeError; HTTP errors with an HttpError carrying the status.
export async function api(path, { method = "GET", body } = {}) {
  const unsafe = method !== "GET";
  if (unsafe && !csrfToken && path !== "/api/v1/auth/login") {
    await freshCsrf().catch(() => {}); // after a reload; a 401 here is answered by the request itself
  }
  for (let attempt = 0; ; attempt += 1) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (unsafe && csrfToken) headers["X-CSRF-Token"] = csrfToken;
    const response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // A 403 on a live session means our token is missing or stale (e.g. after a reload): fetch it, retry once.
    if (response.status === 403 && unsafe && attempt === 0 && path !== "/api/v1/auth/login") {
      await freshCsrf();
      continue;
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const wait = Number.parseInt(response.headers.get("Retry-After"), 10);
      throw new HttpError(response.status, data, Number.isFinite(wait) ? wait : null);
    }
    return data;
  }
}

export async function login(username, password) {
  const data = await api("/api/v1/auth/login", { method: "POST", body: { username, password } });
  csrfToken = data.csrf_token;
  return data.user;
}

export async function logout() {
  try {
    await api("/api/v1/auth/logout", { method: "POST" });
  } finally {
    csrfToken = null;
  }
}
