// The patient's page: my safety person, my crisis plan by section, and who has read it.
// Everything is fetched from the API on each visit and only kept in the page: nothing is stored on the phone.
import { api, HttpError } from "./api.js";
import { withLogin } from "./login.js";
import { node as element } from "./dom.js";
import { language, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const LIST_LIMIT = 50;
const READ_LABELS = {
  "crisis_plan.read": "me_read_plan",
  "crisis_plan.versions.read": "me_read_versions",
  "emergency_access.grant": "me_read_emergency",
};
let readersCursor = null;

const dateTime = (iso) => new Date(iso).toLocaleString(language, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = (iso) => new Date(iso).toLocaleDateString(language, { dateStyle: "long" });

// A phone number as a tel: link; spaces and dashes are for reading only.
function telLink(phone, label, className) {
  const link = element("a", label, className);
  link.href = `tel:${phone.replace(/[^\d+]/g, "")}`;
  return link;
}

// 401 → the inline login form, then the same call again; other errors go to the caller.
const load = (path) => withLogin(t("me_login"), () => api(path));

async function showSafetyPerson() {
  try {
    const person = await load("/api/v1/me/safety-person");
    $("safety-name").textContent = person.name;
    $("safety-profession").textContent = t(`prof_${person.profession}`);
    $("safety-since").textContent = t("me_since", { date: dateOnly(person.since) });
    $("safety-chosen").hidden = !person.chosen_by_patient;
    if (person.work_phone) {
      const call = $("safety-call");
      call.href = `tel:${person.work_phone.replace(/[^\d+]/g, "")}`;
      call.textContent = t("me_call", { name: person.name });
      call.hidden = false;
    } else {
      $("safety-no-phone").textContent = t("me_no_phone", { name: person.name });
      $("safety-no-phone").hidden = false;
    }
    $("safety-card").hidden = false;
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 404)) throw error;
    $("safety-none").hidden = false;
  }
  $("safety").hidden = false;
}

function listOf(items) {
  const list = element("ul");
  for (const item of items) list.append(element("li", item));
  return list;
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

function paragraphs(text) {
  return text.split(/\n+/).filter(Boolean).map((line) => element("p", line));
}

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

async function showPlan() {
  let plan;
  try {
    plan = await load("/api/v1/me/crisis-plan");
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) $("plan-none").hidden = false;
    else if (error instanceof HttpError && error.status === 409) {
      $("plan-problem").textContent = t("me_plan_unreadable");
      $("plan-problem").hidden = false;
    } else throw error;
    $("plan").hidden = false;
    return;
  }
  for (const part of document.querySelectorAll(".plan-part")) {
    const value = plan[part.dataset.part];
    part.hidden = isEmpty(value);
    if (!part.hidden) part.querySelector(".plan-content").replaceChildren(...RENDER[part.dataset.kind](value));
  }
  const author = plan.created_by ? plan.created_by.name : "";
  $("plan-version").textContent = t("me_plan_version", {
    version: plan.version, name: author, date: dateOnly(plan.created_at),
  }) + (plan.reviewed_with_patient ? ` ${t("me_plan_reviewed")}` : "");
  $("plan-body").hidden = false;
  $("plan").hidden = false;
}

function readerLine(item) {
  const line = element("li");
  const time = element("time", dateTime(item.at));
  time.dateTime = item.at;
  const role = t(`me_role_${item.role}`);
  const what = t(READ_LABELS[item.action] || "me_read_record", { reason: item.reason || "" });
  line.append(time, element("span", `${item.who} (${role}) ${what}`));
  return line;
}

async function showReaders() {
  const query = `?limit=${LIST_LIMIT}${readersCursor ? `&cursor=${encodeURIComponent(readersCursor)}` : ""}`;
  const page = await load(`/api/v1/me/access-log${query}`);
  $("readers-list").append(...page.items.map(readerLine));
  readersCursor = page.next_cursor;
  $("readers-more").hidden = !readersCursor;
  $("readers-none").hidden = $("readers-list").children.length > 0;
  $("readers").hidden = false;
}

function explain(error) {
  const note = $("me-note");
  if (error instanceof HttpError && error.status === 403) note.textContent = t("me_not_patient");
  else if (error instanceof HttpError) note.textContent = error.message;
  else note.textContent = t("me_no_network");
}

async function start() {
  $("readers-more").addEventListener("click", () => showReaders().catch(explain));
  try {
    const user = await load("/api/v1/me");
    if (user.role !== "patient") throw new HttpError(403, null);
    await Promise.all([showSafetyPerson(), showPlan()]);
    await showReaders(); // after the plan: this visit's own read is never listed, others' are
  } catch (error) {
    explain(error);
  } finally {
    document.body.dataset.ready = "true"; // for tests: the page has shown what it could
  }
}

start();
