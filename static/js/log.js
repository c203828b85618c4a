// The nurse's contact log: pick a patient, who, kind and time; save into the outbox; send when possible.
// One tap is one contact (Save waits for the answer; a form sent again keeps its client_id), the time is "now"
// unless changed (log_time.js), each contact's fate is shown beside the button (log_status.js), and Who and
// Kind return to "me" and the default after a save. The ward's list is kept for the shift (wardlist.js).
import { api, HttpError } from "./api.js";
import { askLogin } from "./login.js";
import { leave } from "./logout.js";
import * as outbox from "./outbox.js";
import * as wardlist from "./wardlist.js";
import { t, language } from "./i18n.js";
import { bindQuickAdd } from "./log_quick.js";
import { bindTime, checkBackdate, chosenTime, iso, resetTime } from "./log_time.js";
import * as states from "./log_status.js";
import { describe } from "./log_status.js";
import { $ } from "./dom.js";

const EXPIRED = t("expired");
const DEFAULT_KIND = "conversation";
const DEFAULT_HOURS = 72;
let me = null;
let chosen = null; // the patient picked, as listed
let draft = null; // the client_id of the contact on the form, kept until a new contact starts
let confirmed = false; // the nurse confirmed a time far back for this contact
let saving = false;
let searchTimer = null;
const patients = new Map(); // id → patient, from the lists this page has shown (memory only)
const wards = new Map(); // id → { name, hours }

const names = {
  patient: (id) => patients.get(id)?.display_name,
  professional: (id) => $("professional").querySelector(`option[value="${id}"]`)?.dataset.name,
  isMe: (id) => Boolean(me && me.professional_id === id),
};
const clock = new Intl.DateTimeFormat(language, { hour: "2-digit", minute: "2-digit" });

async function refreshCount() {
  const waiting = await outbox.all();
  $("waiting").textContent = String(waiting.length);
  $("waiting").dataset.count = String(waiting.length);
  $("net-state").textContent = navigator.onLine ? "" : t("offline_note");
  $("waiting-list").replaceChildren(...waiting.map((item) => {
    const line = document.createElement("li");
    line.textContent = `${describe(item, names)} · ${clock.format(new Date(item.occurred_at))}`;
    return line;
  }));
}

async function sessionEnded() {
  await wardlist.clear(); // the list is kept only for a live session
  return askLogin(EXPIRED);
}

// Who I am, as ids only; kept in IndexedDB so that the page still knows after a reload offline.
async function loadMe() {
  try {
    const user = await api("/api/v1/me");
    const ids = { id: user.id, role: user.role, ward_ids: user.ward_ids, professional_id: user.professional_id };
    await outbox.setMeta("me", ids);
    return ids;
  } catch (error) {
    const cached = await outbox.getMeta("me").catch(() => null);
    if (error instanceof HttpError && error.status === 401) {
      // Someone who was logged in here before has seen their session end; a first visit is simply asked to log
      // in, with nothing else of the page in the way.
      if (cached) await sessionEnded();
      else await firstLogin();
      return loadMe();
    }
    if (cached) return cached;
    throw error;
  }
}

async function firstLogin() {
  const parts = [$("contact-form"), document.querySelector(".outbox")];
  for (const part of parts) part.hidden = true;
  await askLogin(t("login_to_log"));
  for (const part of parts) part.hidden = false;
}

async function loadWards() {
  const select = $("ward");
  const kept = new Map(((await outbox.getMeta("wards").catch(() => null)) || []).map((w) => [w.id, w]));
  for (const id of me.ward_ids) wards.set(id, kept.get(id) || { id, name: t("ward_n", { id }), hours: DEFAULT_HOURS });
  try {
    const page = await api("/api/v1/wards?limit=500");
    for (const w of page.items) {
      if (wards.has(w.id)) wards.set(w.id, { id: w.id, name: w.name, hours: w.contact_backdate_hours || DEFAULT_HOURS });
    }
    await outbox.setMeta("wards", [...wards.values()]); // ward names and settings only
  } catch { /* offline: what this device kept */ }
  select.replaceChildren(...me.ward_ids.map((id) => new Option(wards.get(id).name, id)));
  $("ward-row").hidden = me.ward_ids.length < 2;
}

function meOption(name) {
  const option = new Option(name ? t("me_suffix", { name }) : t("me"), me.professional_id);
  option.dataset.name = name || t("me");
  return option;
}

async function loadProfessionals() {
  const select = $("professional");
  const mine = me.professional_id;
  select.replaceChildren(...(mine ? [meOption()] : [new Option(t("choose"), "")]));
  try {
    const page = await api(`/api/v1/professionals?ward_id=${$("ward").value}&limit=500`);
    select.replaceChildren(...page.items.map((p) => {
      if (p.id === mine) return meOption(p.name);
      const option = new Option(p.name, p.id);
      option.dataset.name = p.name;
      return option;
    }));
    if (!mine) select.prepend(new Option(t("choose"), ""));
    resetWho();
  } catch { /* offline: "Me" only */ }
}

function resetWho() {
  $("professional").value = me.professional_id ? String(me.professional_id) : "";
}

function remember(list) {
  for (const p of list) {
    patients.set(p.id, { ...patients.get(p.id), ...p, episode_start: p.active_episode?.started_at || patients.get(p.id)?.episode_start });
  }
}

async function loadPatients() {
  const q = $("search").value.trim();
  const wardId = Number($("ward").value);
  try {
    // Recent first: the patients last seen on this ward are the ones a nurse most likely logs next.
    const page = await api(`/api/v1/wards/${wardId}/patients?order=recent&limit=100${q ? `&q=${encodeURIComponent(q)}` : ""}`);
    remember(page.items);
    if (!q) await wardlist.save(wardId, page.items);
    showPatients(page.items, page.items.length ? "" : t("no_patient"));
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) return sessionEnded().then(loadPatients);
    const kept = await wardlist.load(wardId);
    if (!kept) return showPatients([], t("patients_need_network"));
    remember(kept);
    const found = kept.filter((p) => p.display_name.toLocaleLowerCase(language).includes(q.toLocaleLowerCase(language)));
    showPatients(found, found.length ? t("log_list_kept") : t("no_patient"));
  }
}

function showPatients(list, note) {
  $("patients").replaceChildren(...list.map(patientButton));
  $("patients-note").textContent = note;
}

// Options straight inside the listbox (no list items between), as ARIA wants them. Beside the name, what
// tells two patients of one name apart: the room or bed, and the identifier's last characters.
function patientButton(patient) {
  const button = document.createElement("button");
  button.type = "button";
  button.role = "option";
  button.dataset.patientId = patient.id;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = patient.display_name;
  button.append(name);
  const detail = [patient.location, patient.identifier_tail && t("log_id_tail", { tail: patient.identifier_tail })]
    .filter(Boolean).join(" · ");
  if (detail) {
    const small = document.createElement("span");
    small.className = "detail";
    small.textContent = detail;
    button.append(" ", small);
  }
  button.setAttribute("aria-selected", String(chosen?.id === patient.id));
  button.addEventListener("click", () => {
    chosen = patients.get(patient.id) || patient;
    confirmed = false;
    hideConfirm();
    states.say("");
    for (const other of $("patients").querySelectorAll("button")) other.setAttribute("aria-selected", String(other === button));
  });
  return button;
}

function askConfirm(text) {
  $("confirm-text").textContent = text;
  $("confirm-time").hidden = false;
  $("save").hidden = true; // one way on: confirm, or change the time
  $("confirm-yes").focus();
}

function hideConfirm() {
  $("confirm-time").hidden = true;
  $("save").hidden = false;
}

// A new contact starts: a new client_id next time, no patient, Who "me", the default kind and the time now.
function newContact() {
  draft = null;
  confirmed = false;
  chosen = null;
  hideConfirm();
  for (const button of $("patients").querySelectorAll("button")) button.setAttribute("aria-selected", "false");
  resetWho();
  $("kind").value = DEFAULT_KIND;
  resetTime();
}

function setSaving(on) {
  saving = on;
  $("save").disabled = on;
  $("save").setAttribute("aria-busy", String(on));
}

async function save(event) {
  event.preventDefault();
  if (saving) return;
  const when = chosenTime();
  if (!chosen || !$("professional").value || !when || Number.isNaN(when.getTime())) {
    states.say(t("choose_patient_who_time"));
    return;
  }
  const ward = wards.get(Number($("ward").value));
  const check = checkBackdate(when, { limitHours: ward?.hours || DEFAULT_HOURS, episodeStart: chosen.episode_start,
                                      patientName: chosen.display_name });
  if (check.refuse) return states.say(check.refuse);
  if (check.ask && !confirmed) return askConfirm(check.ask);
  draft = draft || crypto.randomUUID();
  const item = { client_id: draft, patient_id: chosen.id, professional_id: Number($("professional").value),
                 occurred_at: iso(when), kind: $("kind").value, ward_id: Number($("ward").value),
                 recorded_at: iso(new Date()), confirm_backdated: confirmed || undefined };
  setSaving(true);
  try {
    await outbox.add(item);
    hideConfirm();
    await refreshCount();
    if (!navigator.onLine) {
      states.show(item, "waiting", names);
      return newContact();
    }
    states.show(item, "sending", names);
    const outcome = await sendNow();
    const refused = outcome?.rejected.find((r) => r.client_id === item.client_id);
    if (refused && refused.result.status === 422 && refused.result.errors?.occurred_at) {
      askConfirm(t("log_confirm_server"));  // the form stays as it was, with its client_id
    } else if (!refused) {
      if (!outcome?.saved.some((r) => r.client_id === item.client_id)) states.show(item, "waiting", names);
      newContact();
    }
  } finally {
    setSaving(false);
  }
}

function showOutcome({ saved, rejected }) {
  for (const item of saved) {
    states.show(item, "saved", names, { contactId: item.result.contact?.id, savedAt: Date.now() });
  }
  for (const item of rejected) states.show(item, "rejected", names, { reason: states.reason(item.result) });
}

const sendBatch = (items) => api("/api/v1/contacts/batch", { method: "POST", body: { contacts: items } })
  .then((data) => data.results);

// Send what waits; resolves to the outcome ({saved, rejected}) or null when nothing could be sent now.
async function sendNow() {
  try {
    if (!navigator.onLine) return null;
    const outcome = await outbox.flush(sendBatch);
    showOutcome(outcome);
    return outcome;
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) {
      await sessionEnded();
      return sendNow();
    }
    if (error instanceof HttpError) states.say(t("log_not_sent_yet"));
    return null;
  } finally {
    await refreshCount();
  }
}

function bind() {
  bindTime();
  $("contact-form").addEventListener("submit", save);
  $("confirm-yes").addEventListener("click", () => { confirmed = true; $("contact-form").requestSubmit(); });
  $("confirm-no").addEventListener("click", () => { hideConfirm(); $("when").focus(); });
  $("send-now").addEventListener("click", sendNow);
  $("logout").addEventListener("click", leave);
  bindQuickAdd();
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadPatients, 250); });
  $("ward").addEventListener("change", () => { loadProfessionals(); loadPatients(); });
  window.addEventListener("online", () => {
    refreshCount();
    sendNow();
    loadPatients(); // the kept list is refreshed when the network returns
    if ($("professional").options.length < 2) loadProfessionals();
  });
  window.addEventListener("offline", refreshCount);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") sendNow(); });
}

async function start() {
  bind();
  await wardlist.expire();
  await refreshCount();
  try {
    me = await loadMe();
  } catch {
    $("patients-note").textContent = t("offline_unknown");
    return;
  }
  if (me.role === "patient" || me.role === "admin") { // the installed app starts here: go to the role's own page
    location.replace(JSON.parse($("login-form").dataset.homes || "{}")[me.role] || "/");
    return;
  }
  $("logout").hidden = false;
  await loadWards();
  await Promise.all([loadProfessionals(), loadPatients()]);
  document.body.dataset.ready = "true"; // for tests and for styling: the form is usable now
  sendNow();
}

start();
