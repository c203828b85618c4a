// The login form, used by /login and inline on other pages when the session has ended.
import { HttpError, login } from "./api.js";
import { t } from "./i18n.js";

let pending = null;

const REASONS = { 401: t("wrong_login"), 429: t("too_many"), 503: t("login_busy") };

// Why a login was refused, in the page's words; how long to wait when the server says (429, 503).
function refusal(error) {
  if (!(error instanceof HttpError)) return t("no_network");
  const reason = REASONS[error.status] || error.message;
  return error.retryAfter && error.status in REASONS && error.status !== 401
    ? `${reason} ${t("login_wait", { seconds: error.retryAfter })}` : reason;
}

// Show the form; resolves with the user once a login succeeds. Concurrent callers share one form.
export function askLogin(message) {
  const form = document.getElementById("login-form");
  const note = document.getElementById("login-message");
  if (message) note.textContent = message;
  form.hidden = false;
  form.username.focus();
  if (pending) return pending;
  pending = new Promise((resolve) => {
    form.onsubmit = async (event) => {
      event.preventDefault();
      note.textContent = t("logging_in");
      try {
        const user = await login(form.username.value.trim(), form.password.value);
        form.password.value = "";
        note.textContent = "";
        form.hidden = true;
        pending = null;
        document.dispatchEvent(new CustomEvent("wardtrack:login", { detail: user })); // the menu (shell.js)
        resolve(user);
      } catch (error) {
        note.textContent = refusal(error);
      }
    };
  });
  return pending;
}

// Run an API call; on 401 show the login form with this message, then run the call once more.
export async function withLogin(message, call) {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) {
      await askLogin(message);
      return call();
    }
    throw error;
  }
}

// The rule of wardtrack/web/redirects.py (change both together): `value` as a path on this site, or null.
// Browsers drop tabs and new lines anywhere in a URL and read a backslash as a slash, so "/\t/evil" and
// "/\\evil" lead off-site: strip white space and control characters, refuse backslashes, "//", a scheme or
// host, and the same in every percent-decoded form.
const STRIPPED = /[\u0000-\u0020\u007f\s]+/g;

function plainPath(value) {
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return false;
  return new URL(value, location.origin).origin === location.origin;
}

export function localPath(value) {
  const path = String(value || "").replace(STRIPPED, "");
  if (!path) return null;
  let decoded = path;
  for (let round = 0; round < 4; round += 1) {
    if (!plainPath(decoded)) return null;
    let plain;
    try {
      plain = decodeURIComponent(decoded).replace(STRIPPED, "");
    } catch (error) {
      return null; // not valid percent-encoding
    }
    if (plain === decoded) return path;
    decoded = plain;
  }
  return null;
}

// Only a path on this site, so that ?next= cannot send anyone elsewhere; without one, the role's start page.
function nextPath(user) {
  const next = localPath(new URLSearchParams(location.search).get("next"));
  if (next) return next;
  const homes = JSON.parse(document.getElementById("login-form").dataset.homes || "{}");
  return homes[user.role] || "/";
}

// The login page and the start page show the form on their own; other pages only when a session ends.
if (document.getElementById("login-form")?.hasAttribute("data-standalone")) {
  askLogin().then((user) => location.assign(nextPath(user)));
}
