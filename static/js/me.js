// The patient's page: my safety person, whom to call when they do not answer, the emergency numbers, my crisis
// plan by section, my suggestions for it and who has read it. Everything is fetched from the API on each visit;
// the safety person and the plan are kept on the phone only when the patient chooses so (keep.js).
import { api, HttpError } from "./api.js";
import { withLogin } from "./login.js";
import { $, node as element } from "./dom.js";
import { language, t } from "./i18n.js";
import * as keep from "./keep.js";
import { formatDateTime as dateTime, telHref } from "./format.js";

const dateOnly = (iso) => new Date(iso).toLocaleDateString(language, { dateStyle: "long" });
const UNREADABLE = "unreadable";

// A phone number as a tel: link.
function telLink(phone, label, className) {
  const link = element("a", label, className);
  link.href = telHref(phone);
  return link;
}

// 401 → the inline login form, then the same call again; other errors go to the caller.
const load = (path) => withLogin(t("me_login"), () => api(path));
// A 404 means "none yet": null.
const orNone = (promise) => promise.catch((error) => {
  if (error instanceof HttpError && error.status === 404) return null;
  throw error;
});

function showSafetyPerson(person) {
  $("safety-card").hidden = !person;
  $("safety-none").hidden = Boolean(person);
  if (person) {
    $("safety-name").textContent = person.name;
    $("safety-profession").textContent = t(`prof_${person.profession}`);
    $("safety-since").textContent = t("me_since", { date: dateOnly(person.since) });
    $("safety-chosen").hidden = !person.chosen_by_patient;
    const call = $("safety-call");
    call.hidden = !person.work_phone;
    $("safety-no-phone").hidden = Boolean(person.work_phone);
    if (person.work_phone) {
      call.href = telHref(person.work_phone);
      call.textContent = t("me_call", { name: person.name });
    } else {
      $("safety-no-phone").textContent = t("me_no_phone", { name: person.name });
    }
  }
  $("safety").hidden = false;
}

function contactsOf(items) {
  const list = element("ul", undefined, "plan-contacts");
  for (const contact of items) {
    const item = element("li");
    item.append(element("span", contact.name, "contact-name"));
    if (contact.when) item.append(element("span", t("me_when_prefix", { when: contact.when }), "note"));
    if (contact.phone) item.append(telLink(contact.phone, contact.phone, "button call-small"));
    list.append(item);
  }
  return list;
}

// When the safety person does not answer: the plan's people, then its services, then the emergency numbers.
function showNoAnswer(person, plan) {
  const usable = plan && plan !== UNREADABLE ? plan : {};
  for (const [id, contacts] of [["fallback-people", usable.support_contacts], ["fallback-services",
    usable.professional_contacts]]) {
    $(id).hidden = !(contacts && contacts.length);
    $(id).querySelector(".fallback-contacts").replaceChildren(...($(id).hidden ? [] : [contactsOf(contacts)]));
  }
  $("no-answer-title").textContent = t("me_no_answer", { name: person ? person.name : "" });
  $("no-answer").hidden = !person;
}

const listOf = (items) => {
  const list = element("ul");
  for (const item of items) list.append(element("li", item));
  return list;
};
const paragraphs = (text) => text.split(/\n+/).filter(Boolean).map((line) => element("p", line));

function admission(agreement) {
  if (!agreement.agreed) return [element("p", t("me_pca_not_agreed"))];
  const parts = [element("p", t("me_pca_agreed", {
    days: agreement.max_days_per_stay, gap: agreement.min_days_between_stays,
  }))];
  if (agreement.valid_until) parts.push(element("p", t("me_pca_until", { date: dateOnly(agreement.valid_until) })));
  if (agreement.how_to_ask) parts.push(...paragraphs(agreement.how_to_ask));
  return parts;
}

const RENDER = { list: (v) => [listOf(v)], contacts: (v) => [contactsOf(v)], text: paragraphs, admission };
const isEmpty = (value) => value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length);

function showPlan(plan) {
  $("plan-none").hidden = plan !== null;
  $("plan-problem").hidden = plan !== UNREADABLE;
  $("plan-problem").textContent = plan === UNREADABLE ? t("me_plan_unreadable") : "";
  $("plan-body").hidden = !plan || plan === UNREADABLE;
  if (plan && plan !== UNREADABLE) {
    for (const part of document.querySelectorAll(".plan-part")) {
      const value = plan[part.dataset.part];
      part.hidden = isEmpty(value);
      part.querySelector(".plan-content").replaceChildren(...(part.hidden ? [] : RENDER[part.dataset.kind](value)));
    }
    const author = plan.created_by ? plan.created_by.name : "";
    $("plan-version").textContent = t("me_plan_version", {
      version: plan.version, name: author, date: dateOnly(plan.created_at),
    }) + (plan.reviewed_with_patient ? ` ${t("me_plan_reviewed")}` : "");
  }
  $("plan").hidden = false;
}

function show(person, plan) {
  showSafetyPerson(person);
  showPlan(plan);
  showNoAnswer(person, plan);
}

async function fetchPlan() {
  try {
    return await orNone(load("/api/v1/me/crisis-plan"));
  } catch (error) {
    if (error instanceof HttpError && error.status === 409) return UNREADABLE;
    throw error;
  }
}

// The choice to keep the safety person and plan on this phone; `fresh` is what the page has just fetched,
// or null when offline (then the choice can only be turned off).
function offerKeep(patientId, fresh) {
  const toggle = $("keep-toggle");
  toggle.checked = keep.isKept(patientId);
  toggle.disabled = !fresh && !toggle.checked;
  if (toggle.checked && fresh) keep.keep(patientId, fresh); // refresh what is kept with what was just read
  toggle.onchange = async () => {
    if (toggle.checked && fresh) {
      keep.keep(patientId, fresh);
      $("keep-status").textContent = t("me_keep_on");
    } else if (toggle.checked) {
      toggle.checked = false;
      $("keep-status").textContent = t("me_keep_offline");
    } else {
      await keep.forget();
      $("keep-status").textContent = t("me_keep_off");
      if (!fresh) location.reload(); // offline: what was shown from the phone is gone now
    }
  };
  $("keep").hidden = false;
}

function explain(error, stored) {
  const note = $("me-note");
  if (error instanceof HttpError && error.status === 403) note.textContent = t("me_not_patient");
  else if (error instanceof HttpError) note.textContent = error.message;
  else if (stored) note.textContent = t("me_offline_kept", { date: dateTime(stored.saved_at) });
  else note.textContent = t("me_offline_nothing");
}

async function start() {
  const stored = keep.kept();
  if (stored) { // shown at once, also offline and before logging in; replaced by the fresh data below
    show(stored.safety_person, stored.plan);
    $("me-note").textContent = t("me_kept_shown", { date: dateTime(stored.saved_at) });
  }
  try {
    const user = await load("/api/v1/me");
    if (user.role !== "patient") throw new HttpError(403, null);
    const [safetyPerson, plan] = await Promise.all([orNone(load("/api/v1/me/safety-person")), fetchPlan()]);
    show(safetyPerson, plan);
    $("me-note").textContent = "";
    offerKeep(user.patient_id, { safetyPerson, plan });
    const [suggest, log, relationships] = await Promise.all([import("./me_suggest.js"), import("./me_log.js"),
      import("./me_relationships.js")]);
    await Promise.all([suggest.showSuggestions(load), relationships.showRelationships(load)]);
    await log.showReaders(load); // after the plan: this visit's own read is never listed, others' are
  } catch (error) {
    if (stored && error instanceof HttpError && error.status === 403) {
      for (const id of ["safety", "plan"]) $(id).hidden = true; // someone else's session: not theirs to see
    } else if (stored && !(error instanceof HttpError)) {
      offerKeep(stored.patient_id, null);
    }
    explain(error, stored);
  } finally {
    document.body.dataset.ready = "true"; // for tests: the page has shown what it could
  }
}

start();
