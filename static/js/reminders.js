// The staff's reminders: my open and snoozed reminders (team leaders: their wards' too), done and snooze;
// the latest daily digests for team leaders; and notifications on this phone. Everything comes from the API
// (which decides access) and is kept in the page only: no name is stored in the browser.
import { api, HttpError } from "./api.js";
import { $, button, node } from "./dom.js";
import { withLogin } from "./login.js";
import { t } from "./i18n.js";
import { formatDay } from "./format.js";
import { disablePush, enablePush, pushSupported } from "./push.js";

const LEADERS = ["team_leader", "admin"];
const MAX_SNOOZE_DAYS = 90;

// Dates without a time ("2026-11-22") as the local calendar day, so that no time zone moves them a day.
const localDay = (iso) => { const [y, m, d] = iso.split("-").map(Number); return new Date(y, m - 1, d); };
const shown = (iso) => formatDay(localDay(iso));
const pad = (n) => String(n).padStart(2, "0");
function isoDay(offset = 0) {
  const day = new Date();
  day.setDate(day.getDate() + offset);
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

// Any API call, with one re-login on 401.
const call = (path, options) => withLogin(t("reminders_login"), () => api(path, options));

function say(text, problem = false) {
  $("reminders-message").textContent = text;
  $("reminders-message").classList.toggle("problem", problem);
}

// --- one reminder ----------------------------------------------------------------------------------------

function whenLine(reminder) {
  if (reminder.status === "snoozed") return t("reminders_snoozed_until", { date: shown(reminder.snoozed_until) });
  const key = reminder.due_on < isoDay() ? "reminders_overdue" : "reminders_due";
  return t(key, { date: shown(reminder.due_on) });
}

function snoozeForm(reminder, item) {
  const form = node("form", undefined, "snooze-form");
  form.noValidate = true;
  const id = `snooze-${reminder.id}`;
  const label = node("label", t("reminders_snooze_until"));
  label.htmlFor = id;
  const input = node("input");
  Object.assign(input, { id, name: "until", type: "date", required: true, min: isoDay(1),
    max: isoDay(MAX_SNOOZE_DAYS), value: isoDay(Number($("open-list").dataset.snoozeDays || 7)) });
  const error = node("p", "", "field-error");
  error.id = `${id}-error`;
  input.setAttribute("aria-describedby", error.id);
  const buttons = node("div", undefined, "buttons");
  const cancel = button(t("reminders_cancel"), () => { form.remove(); item.querySelector(".snooze").hidden = false; });
  const save = node("button", t("reminders_snooze"), "primary");
  save.type = "submit";
  buttons.append(cancel, save);
  form.append(label, input, error, buttons);
  form.addEventListener("submit", (event) => { event.preventDefault(); snooze(reminder, form); });
  return form;
}

function openSnooze(reminder, item) {
  item.querySelector(".snooze").hidden = true;
  const form = snoozeForm(reminder, item);
  item.append(form);
  form.until.focus();
}

function card(reminder) {
  const item = node("li", undefined, "card reminder");
  item.dataset.reminderId = reminder.id;
  item.dataset.status = reminder.status;
  item.append(node("p", t(`reminders_kind_${reminder.kind}`), "reminder-kind"));
  const patient = node("a", reminder.patient_name, "reminder-patient");
  patient.href = `/patients/${reminder.patient_id}`;
  const when = node("p", whenLine(reminder), "reminder-when");
  const who = reminder.professional_name ? t("reminders_with", { name: reminder.professional_name }) : t("reminders_ward_only");
  item.append(patient, when, node("p", who, "note"));
  const actions = node("div", undefined, "actions");
  actions.append(button(t("reminders_done"), () => done(reminder, item), "done"),
    button(t("reminders_snooze"), () => openSnooze(reminder, item), "snooze"));
  item.append(actions);
  return item;
}

// --- actions ---------------------------------------------------------------------------------------------

function refused(error) {
  if (error instanceof HttpError && (error.status === 409 || error.status === 404)) {
    say(t("reminders_gone"), true);
    loadReminders().catch(showLoadError);
    return;
  }
  say(t("reminders_not_saved", { reason: error instanceof HttpError ? error.message : t("reminders_offline") }), true);
}

async function done(reminder, item) {
  item.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  try {
    await call(`/api/v1/reminders/${reminder.id}/done`, { method: "POST" });
  } catch (error) {
    item.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    refused(error);
    return;
  }
  item.remove();
  showEmpty();
  say(t("reminders_marked_done"));
}

async function snooze(reminder, form) {
  const input = form.until;
  const error = form.querySelector(".field-error");
  const showError = (text) => {
    error.textContent = text;
    if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  };
  if (!input.value) { showError(t("reminders_pick_date")); input.focus(); return; }
  // The same range the server checks (it decides in the ward's time zone), said in the page's language.
  if (input.value < input.min || input.value > input.max) {
    showError(t("reminders_snooze_range", { days: MAX_SNOOZE_DAYS }));
    input.focus();
    return;
  }
  showError("");
  try {
    await call(`/api/v1/reminders/${reminder.id}/snooze`, { method: "POST", body: { until: input.value } });
  } catch (failure) {
    const messages = failure instanceof HttpError && failure.status === 422 && failure.body && failure.body.errors;
    if (messages) {
      showError([].concat(messages.until || messages.json || failure.message).join(" "));
      input.focus();
    } else refused(failure);
    return;
  }
  say(t("reminders_snoozed", { date: shown(input.value) }));
  await loadReminders().catch(showLoadError);
}

// --- lists -----------------------------------------------------------------------------------------------

function showEmpty() {
  for (const [list, none, key] of [["open-list", "open-none", "reminders_none"],
    ["snoozed-list", "snoozed-none", "reminders_none_snoozed"]]) {
    $(none).textContent = t(key);
    $(none).hidden = $(list).children.length > 0;
  }
}

async function loadReminders() {
  const [open, snoozed] = await Promise.all([
    call("/api/v1/reminders?status=open"), call("/api/v1/reminders?status=snoozed")]);
  $("open-list").replaceChildren(...open.items.map(card));
  $("snoozed-list").replaceChildren(...snoozed.items.map(card));
  showEmpty();
  $("open").hidden = false;
  $("snoozed").hidden = false;
}

async function wardNames() {
  try {
    const wards = await call("/api/v1/wards?limit=500");
    return new Map(wards.items.map((ward) => [ward.id, ward.name]));
  } catch {
    return new Map(); // the ids will do
  }
}

async function loadDigests() {
  const [page, names] = await Promise.all([call("/api/v1/digests?limit=14"), wardNames()]);
  const lines = page.items.map((digest) => {
    const ward = names.get(digest.ward_id) || t("reminders_ward_n", { id: digest.ward_id });
    const key = digest.new_flags === 1 ? "reminders_digest_one" : "reminders_digest_line";
    const item = node("li", t(key, { ward, date: shown(digest.local_date), count: digest.new_flags }));
    item.dataset.digestId = digest.id;
    return item;
  });
  $("digest-list").replaceChildren(...(lines.length ? lines : [node("li", t("reminders_digest_none"), "note")]));
  $("digests").hidden = false;
}

function showLoadError(error) {
  if (error instanceof HttpError && error.status === 403) say(t("reminders_not_staff"), true);
  else if (error instanceof HttpError) say(t("reminders_failed", { reason: error.message }), true);
  else say(t("reminders_offline"), true);
}

// --- notifications on this phone -------------------------------------------------------------------------

// The service worker may never become ready (e.g. it failed to install): never wait for it for ever.
function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_resolve, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);
}

async function currentSubscription() {
  try {
    const registration = await withTimeout(navigator.serviceWorker.ready, 5000);
    return await registration.pushManager.getSubscription();
  } catch {
    return null;
  }
}

function showPush(state, text) {
  const toggle = $("push-toggle");
  $("push").dataset.state = state;
  $("push-state").textContent = text;
  toggle.hidden = state === "unsupported" || state === "denied";
  toggle.textContent = state === "on" ? t("reminders_push_disable") : t("reminders_push_enable");
  toggle.classList.toggle("primary", state !== "on");
  toggle.disabled = false;
}

async function pushProblem(error) {
  if (error instanceof HttpError && error.status === 503) return showPush("off", t("reminders_push_no_server"));
  if (error instanceof HttpError && error.status === 401) return showPush("off", t("reminders_login"));
  return showPush("off", t("reminders_push_failed"));
}

async function togglePush() {
  const toggle = $("push-toggle");
  const on = $("push").dataset.state === "on";
  toggle.disabled = true;
  $("push-state").textContent = t("reminders_push_working");
  try {
    if (on) {
      await withTimeout(disablePush(), 15000);
      showPush("off", t("reminders_push_stopped"));
      return;
    }
    const result = await withTimeout(enablePush(), 15000);
    if (result === "enabled") showPush("on", t("reminders_push_on"));
    else if (result === "denied") showPush(Notification.permission === "denied" ? "denied" : "off", t("reminders_push_denied"));
    else showPush("unsupported", t("reminders_push_unsupported"));
  } catch (error) {
    await pushProblem(error);
  }
}

async function setUpPush() {
  $("push-toggle").addEventListener("click", togglePush);
  $("push").hidden = false;
  if (!pushSupported()) return showPush("unsupported", t("reminders_push_unsupported"));
  if (Notification.permission === "denied") return showPush("denied", t("reminders_push_denied"));
  const subscription = await currentSubscription();
  return subscription ? showPush("on", t("reminders_push_on")) : showPush("off", t("reminders_push_off"));
}

// --- start -----------------------------------------------------------------------------------------------

async function start() {
  try {
    const me = await call("/api/v1/me");
    await loadReminders();
    say("");
    if (LEADERS.includes(me.role)) await loadDigests().catch(() => {});
    await setUpPush();
  } catch (error) {
    showLoadError(error);
  } finally {
    document.body.dataset.ready = "true"; // for tests: the page has shown what it could
  }
}

start();
