// "Keep my safety person and crisis plan on this phone": the patient's own choice, and the only patient data
// the app ever writes to the device. Stored by the page in localStorage (never by the HTTP cache: API answers
// are no-store), under one key; choosing off removes it. Nothing is stored until the patient chooses it.
const KEY = "wardtrack.kept";
const SHELL = "wardtrack-kept-shell";
// What /me needs to open offline, kept again after a logout has emptied the service worker's caches.
const ME_SHELL = ["/me", "/static/css/app.css", "/static/css/me.css", "/static/js/shell.js", "/static/js/me.js",
  "/static/js/me_log.js", "/static/js/me_suggest.js", "/static/js/keep.js", "/static/js/api.js",
  "/static/js/login.js", "/static/js/logout.js", "/static/js/dom.js", "/static/js/i18n.js", "/static/js/outbox.js",
  "/static/icons/icon-192.png"];

// What is kept: { patient_id, saved_at, safety_person (or null), plan (or null) }, or null when nothing is.
export function kept() {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) || "null");
    return value && typeof value === "object" && Number.isInteger(value.patient_id) ? value : null;
  } catch {
    return null;
  }
}

// Whether this patient chose to keep their safety person and plan on this phone.
export const isKept = (patientId) => kept()?.patient_id === patientId;

// Keep (or refresh) what the page has just shown; only called once the patient has chosen it.
export function keep(patientId, { safetyPerson, plan }) {
  const value = { patient_id: patientId, saved_at: new Date().toISOString(), safety_person: safetyPerson ?? null,
    plan: plan ?? null };
  localStorage.setItem(KEY, JSON.stringify(value));
  return value;
}

// Choosing off: nothing of the patient stays on the phone.
export async function forget() {
  localStorage.removeItem(KEY);
  if (window.caches) await caches.delete(SHELL).catch(() => false);
}

// The storage keys a logout must leave alone: the patient's kept data, and only when they chose to keep it.
export const keptStorageKeys = () => (kept() ? [KEY] : []);

// After a logout has emptied the caches: when the patient chose to keep their data, keep the /me page's
// shell too, so that it still opens offline. The shell holds no patient data (the page fills it from KEY).
export async function afterLogout() {
  if (!kept() || !window.caches) return;
  try {
    // and whatever else this page loaded from /static/ (modules the list above does not know of yet)
    const loaded = performance.getEntriesByType("resource").map((entry) => new URL(entry.name))
      .filter((url) => url.origin === location.origin && url.pathname.startsWith("/static/"))
      .map((url) => url.pathname);
    const cache = await caches.open(SHELL);
    await cache.addAll([...new Set([...ME_SHELL, ...loaded])]);
  } catch { /* offline at logout: the next visit online caches the page again */ }
}
