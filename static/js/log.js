// The nurse's contact log: pick a patient, who, kind and time; save into the outbox; send when possible.
import { api, HttpError } from "./api.js";
import { askLogin } from "./login.js";
import { leave } from "./logout.js";
import * as outbox from "./outbox.js";
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const EXPIRED = t("expired");
const REASONS = { 404: t("reason_404"), 409: t("reason_409"), 422: t("reason_422") };
let me = null;
let chosenPatient = null;
let searchTimer = null;

const pad = (n) => String(n).padStart(2, "0");

// datetime-local wants "YYYY-MM-DDTHH:MM" in local time.
function localNow() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// "2026-11-21T10:15" read as local time → "2026-11-21T10:15:00+01:00" (the API refuses naive times).
function withOffset(value) {
  const offset = -new Date(value).getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

async function refreshCount() {
  const waiting = await outbox.count();
  $("waiting").textContent = String(waiting);
  $("waiting").dataset.count = String(waiting);
  $("net-state").textContent = navigator.onLine ? "" : t("offline_note");
}

// Who I am, as ids only; kept in IndexedDB so that the page still knows after a reload offline.
async function loadMe() {
  try {
    const user = await api("/api/v1/me");
    const ids = { id: user.id, role: user.role, ward_ids: user.ward_ids, professional_id: user.professional_id };
    await outbox.setMeta("me", ids);
    return ids;
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) {
      await askLogin(t("login_to_log"));
      return loadMe();
    }
    const cached = await outbox.getMeta("me");
    if (cached) return cached;
    throw error;
  }
}

async function loadWards() {
  const select = $("ward");
  select.replaceChildren(...me.ward_ids.map((id) => new Option(t("ward_n", { id }), id)));
  $("ward-row").hidden = me.ward_ids.length < 2;
  try {
    const wards = await api("/api/v1/wards?limit=500");
    const names = new Map(wards.items.map((w) => [w.id, w.name]));
    for (const option of select.options) option.textContent = names.get(Number(option.value)) || option.textContent;
  } catch { /* the ids will do */ }
}

async function loadProfessionals() {
  const select = $("professional");
  const mine = me.professional_id;
  select.replaceChildren(...(mine ? [new Option(t("me"), mine)] : [new Option(t("choose"), "")]));
  try {
    const page = await api(`/api/v1/professionals?ward_id=${$("ward").value}&limit=500`);
    select.replaceChildren(...page.items.map((p) => new Option(p.id === mine ? t("me_suffix", { name: p.name }) : p.name, p.id)));
    if (!mine) select.prepend(new Option(t("choose"), ""));
    select.value = mine ? String(mine) : "";
  } catch { /* offline: "Me" only */ }
}

async function loadPatients() {
  const list = $("patients");
  const q = $("search").value.trim();
  try {
    // Recent first: the patients last seen on this ward are the ones a nurse most likely logs next.
    const page = await api(`/api/v1/wards/${$("ward").value}/patients?order=recent&limit=50${q ? `&q=${encodeURIComponent(q)}` : ""}`);
    list.replaceChildren(...page.items.map(patientButton));
    $("patients-note").textContent = page.items.length ? "" : t("no_patient");
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) return askLogin(EXPIRED).then(loadPatients);
    $("patients-note").textContent = t("patients_need_network");
  }
}

// Options straight inside the listbox (no list items between), as ARIA wants them.
function patientButton(patient) {
  const button = document.createElement("button");
  button.type = "button";
  button.role = "option";
  button.dataset.patientId = patient.id;
  button.textContent = patient.display_name;
  button.setAttribute("aria-selected", String(chosenPatient === patient.id));
  button.addEventListener("click", () => {
    chosenPatient = patient.id;
    $("form-message").textContent = "";
    for (const other of $("patients").querySelectorAll("button")) {
      other.setAttribute("aria-selected", String(other === button));
    }
  });
  return button;
}

async function save(event) {
  event.preventDefault();
  const message = $("form-message");
  if (!chosenPatient || !$("professional").value || !$("when").value) {
    message.textContent = t("choose_patient_who_time");
    return;
  }
  await outbox.add({
    client_id: crypto.randomUUID(), patient_id: chosenPatient, professional_id: Number($("professional").value),
    occurred_at: withOffset($("when").value), kind: $("kind").value, ward_id: Number($("ward").value),
  });
  chosenPatient = null;
  for (const button of $("patients").querySelectorAll("button")) button.setAttribute("aria-selected", "false");
  $("when").value = localNow();
  await refreshCount(); // the count first, so that "Saved" never shows beside a count without the new contact
  message.textContent = navigator.onLine ? t("saved") : t("saved_offline");
  sendNow();
}

// Quick-add: a professional without a login (an on-call doctor, a locum) added to the chosen ward and
// chosen at once. Online only: the server gives the new professional's id, which the contact needs.
const QUICK_FIELDS = ["name", "profession", "work_phone"];

function quickAddOpen(open) {
  $("quick-add").hidden = !open;
  $("quick-add-toggle").setAttribute("aria-expanded", String(open));
  if (open) {
    quickAddNetwork();
    $("qa-name").focus();
  }
}

function quickAddNetwork() {
  $("qa-offline").hidden = navigator.onLine;
  $("qa-save").disabled = !navigator.onLine;
}

const QUICK_WORDS = { work_phone: "log_quick_phone" };

function quickAddErrors(errors = {}) {
  for (const field of QUICK_FIELDS) {
    // The page's own words where it has them: the server's are in English.
    const messages = errors[field] && (QUICK_WORDS[field] ? [t(QUICK_WORDS[field])] : errors[field]);
    $(`qa-${field}-error`).textContent = messages ? [].concat(messages).join(" ") : "";
    $(`qa-${field}`).toggleAttribute("aria-invalid", Boolean(messages));
  }
  const others = Object.entries(errors).filter(([field]) => !QUICK_FIELDS.includes(field));
  $("qa-message").textContent = others.map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`).join(" ");
}

async function quickAdd() {
  quickAddErrors();
  const name = $("qa-name").value.trim();
  if (!name) {
    quickAddErrors({ name: [t("log_quick_name")] });
    return;
  }
  if (!navigator.onLine) return quickAddNetwork();
  const body = { name, profession: $("qa-profession").value, ward_ids: [Number($("ward").value)] };
  const phone = $("qa-work_phone").value.trim();
  if (phone) body.work_phone = phone;
  let created;
  try {
    created = await api("/api/v1/professionals", { method: "POST", body });
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) return askLogin(EXPIRED).then(quickAdd);
    if (error instanceof HttpError && error.status === 422 && error.body && error.body.errors) {
      return quickAddErrors(error.body.errors);
    }
    $("qa-message").textContent = error instanceof HttpError ? error.message : t("log_quick_offline");
    return;
  }
  const select = $("professional");
  select.append(new Option(created.name, created.id));
  select.value = String(created.id);
  for (const field of ["qa-name", "qa-work_phone"]) $(field).value = "";
  quickAddOpen(false);
  $("quick-add-toggle").focus();
  $("form-message").textContent = t("log_quick_added", { name: created.name });
}

function bindQuickAdd() {
  $("quick-add-toggle").addEventListener("click", () => quickAddOpen($("quick-add").hidden));
  $("qa-cancel").addEventListener("click", () => { quickAddOpen(false); $("quick-add-toggle").focus(); });
  $("qa-save").addEventListener("click", quickAdd);
  // Enter in the small form adds the professional instead of saving the contact around it.
  $("quick-add").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.tagName === "INPUT") {
      event.preventDefault();
      quickAdd();
    }
  });
  window.addEventListener("online", quickAddNetwork);
  window.addEventListener("offline", quickAddNetwork);
}

function showRejected(rejected) {
  for (const item of rejected) {
    const line = document.createElement("li");
    const errors = item.result.errors ? ` (${JSON.stringify(item.result.errors)})` : "";
    const reason = REASONS[item.result.status] || t("reason_status", { status: item.result.status });
    line.textContent = t("not_saved", {
      kind: item.kind, time: item.occurred_at.slice(0, 16).replace("T", " "), patient: item.patient_id, reason,
    }) + errors;
    $("rejected").append(line);
  }
}

const sendBatch = (items) => api("/api/v1/contacts/batch", { method: "POST", body: { contacts: items } })
  .then((data) => data.results);

async function sendNow() {
  try {
    if (navigator.onLine) showRejected((await outbox.flush(sendBatch)).rejected);
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) {
      await askLogin(EXPIRED);
      return sendNow();
    }
    $("form-message").textContent = error instanceof HttpError ? t("not_sent_yet", { reason: error.message }) : "";
  } finally {
    await refreshCount();
  }
}

async function start() {
  $("when").value = localNow();
  $("contact-form").addEventListener("submit", save);
  $("send-now").addEventListener("click", sendNow);
  $("logout").addEventListener("click", leave);
  $("logout").hidden = false;
  bindQuickAdd();
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadPatients, 250); });
  $("ward").addEventListener("change", () => { loadProfessionals(); loadPatients(); });
  window.addEventListener("online", () => { refreshCount(); sendNow(); });
  window.addEventListener("offline", refreshCount);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sendNow(); });
  await refreshCount();
  try {
    me = await loadMe();
  } catch {
    $("patients-note").textContent = t("offline_unknown");
    return;
  }
  if (me.role === "patient") { // the installed app starts here: a patient's own page is /me
    location.replace("/me");
    return;
  }
  await loadWards();
  await Promise.all([loadProfessionals(), loadPatients()]);
  document.body.dataset.ready = "true"; // for tests and for styling: the form is usable now
  sendNow();
}

start();
