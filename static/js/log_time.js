// The log page's time: "now" unless the nurse changes it. While untouched the field follows the clock (on
// focus, on return to the app, after a save, every half minute) and a save takes the moment of saving; once
// changed, the page says so and offers "Now". A time far back needs a confirmation (checkBackdate).
import { t, language } from "./i18n.js";
import { $ } from "./dom.js";

const pad = (n) => String(n).padStart(2, "0");
// A time in the future beyond this is refused here, as the server does.
const FUTURE_SLACK_MS = 5 * 60 * 1000;
let touched = false;

// datetime-local wants "YYYY-MM-DDTHH:MM" in local time.
function localValue(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// A Date as ISO 8601 with the device's offset (the API refuses naive times): "2026-11-21T10:15:00+01:00".
function withOffset(d) {
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${localValue(d)}:${pad(d.getSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function show() {
  $("when-note").hidden = !touched;
}

// Back to "now": after a save, or when the nurse taps "Now".
export function resetTime() {
  touched = false;
  $("when").value = localValue(new Date());
  show();
}

function follow() {
  if (!touched) $("when").value = localValue(new Date());
}

export function isTouched() {
  return touched;
}

// The contact's time: the moment of saving while untouched, else the time the nurse set (null when empty).
export function chosenTime() {
  if (!touched) return new Date();
  const value = $("when").value;
  return value ? new Date(value) : null;
}

export const iso = withOffset;

const dateTime = new Intl.DateTimeFormat(language, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

// Why this time needs a confirmation, in plain words, or "" when it needs none; "future" when it is refused.
export function checkBackdate(when, { limitHours, episodeStart, patientName }) {
  const now = Date.now();
  if (when.getTime() > now + FUTURE_SLACK_MS) return { refuse: t("log_time_future") };
  if (episodeStart && when < new Date(episodeStart)) {
    return { ask: t("log_confirm_before_episode", { name: patientName, date: dateTime.format(new Date(episodeStart)) }) };
  }
  if (now - when.getTime() > limitHours * 3600 * 1000) return { ask: t("log_confirm_far_back", { hours: limitHours }) };
  return {};
}

export function bindTime() {
  resetTime();
  const field = $("when");
  field.addEventListener("focus", follow);
  field.addEventListener("input", () => { touched = true; show(); });
  field.addEventListener("change", () => { touched = Boolean(field.value); if (!touched) follow(); show(); });
  $("when-now").addEventListener("click", () => { resetTime(); field.focus(); });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") follow(); });
  window.addEventListener("focus", follow);
  setInterval(follow, 30_000);
}
