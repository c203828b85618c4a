// A patient's page for staff: key people, the relationship timeline, the measures, open flags and the crisis
// plan, all fetched from the API (which decides access). Nothing is stored on the device.
import { api, HttpError } from "./api.js";
import { withLogin } from "./login.js";
import { $, node } from "./dom.js";
import { flagReasons, language, t } from "./i18n.js";
import { formatDay as day, telHref } from "./format.js";
import { arrange, drawTimeline } from "./timeline.js";
import { showMeasures } from "./patient_measures.js";
import { peopleOf, showDialog, showRatings } from "./patient_checkins.js";

const patientId = Number($("patient").dataset.patientId);
const thisYear = new Intl.DateTimeFormat(language, { day: "numeric", month: "short" });
// A short date for the table: the year only when it is not this one.
const compact = (iso) => {
  const at = new Date(iso);
  return at.getFullYear() === new Date().getFullYear() ? thisYear.format(at) : day(at);
};
const profession = (code) => t(`prof_${code}`);
let period = 90;
let lastTimeline = null;
let keyPeople = [];
let unfolded = false; // the folded tail of the picture opened by a tap
let checkIns = null; // the check-ins the patient shares with the caller, newest first


// GET with one re-login on 401; other errors go to the caller.
const get = (path) => withLogin(t("patient_login"), () => api(path));

function showPatient(patient) {
  $("patient-name").textContent = patient.display_name;
  document.title = `${patient.display_name} · wardtrack`;
  const episode = patient.active_episode;
  $("patient-episode").textContent = episode ? t("patient_episode", {
    kind: t(`patient_kind_${episode.kind}`), date: day(episode.started_at), legal: t(`patient_legal_${episode.legal_status}`),
  }) : t("patient_no_episode");
  keyPeople = patient.key_people;
  const people = new Map(patient.key_people.map((person) => [person.kind, person]));
  for (const cell of $("key-people").querySelectorAll("dd")) {
    const person = people.get(cell.dataset.role);
    cell.replaceChildren();
    if (!person) {
      cell.append(node("span", t("patient_nobody"), "note"));
      continue;
    }
    const { professional } = person;
    cell.append(node("strong", professional.name), ` · ${profession(professional.profession)} · `,
      node("span", t("patient_since", { date: day(person.since) }), "note"));
    if (person.kind === "safety_person" && person.chosen_by_patient) cell.append(node("span", ` · ${t("patient_chosen")}`, "note"));
    if (professional.work_phone) {
      const call = node("a", professional.work_phone);
      call.href = telHref(professional.work_phone);
      cell.append(" ", call);
    }
  }
}

const contactsLabel = (count) => t(count === 0 ? "patient_contacts_none" : count === 1 ? "patient_contacts_one"
  : "patient_contacts_n", { count });

function foldLabel(folded) {
  const most = Math.max(...folded.map((row) => row.contacts.length));
  const count = folded.length;
  if (most <= 1) return t("patient_fold_once", { count });
  if (most === 2) return t("patient_fold_twice", { count });
  return t("patient_fold_more", { count, times: most });
}

function showTimeline(data) {
  lastTimeline = data;
  const { rows, folded } = arrange(data, keyPeople);
  const all = [...rows, ...folded];
  const met = all.filter((row) => row.contacts.length);
  const fresh = met.filter((row) => !row.known_before).length;
  const summary = met.length
    ? t("patient_timeline_summary", { contacts: data.contacts, people: met.length, new: fresh })
    : t("patient_no_contacts");
  $("timeline-summary").textContent = data.truncated ? `${summary} ${t("patient_truncated", { count: data.contacts })}` : summary;
  const container = $("timeline");
  const fold = $("timeline-fold");
  fold.hidden = !folded.length;
  fold.setAttribute("aria-expanded", String(unfolded));
  fold.textContent = unfolded ? t("patient_fold_hide") : foldLabel(folded);
  if (all.length) {
    drawTimeline(container, data, unfolded ? all : rows, {
      title: t("patient_timeline_title", { days: data.window_days }), desc: summary, profession, newLabel: t("patient_new"),
      role: (code) => t(`patient_role_${code}`), contacts: contactsLabel,
    }, language);
  } else {
    container.replaceChildren();
  }
  showCheckIns(all);
  const used = new Set(all.map((row) => row.profession));
  for (const item of $("timeline-legend").children) item.hidden = !used.has(item.dataset.profession);
  $("timeline-table").tBodies[0].replaceChildren(...all.map((row) => {
    const line = document.createElement("tr");
    const roles = row.roles.map((role) => t(`patient_role_${role}`));
    if (!row.known_before) roles.push(t("patient_new"));
    const name = node("th", roles.length ? `${row.name} (${roles.join(", ")})` : row.name);
    name.scope = "row";
    const first = row.contacts.length ? compact(row.contacts[0]) : "–";
    const last = row.contacts.length ? compact(row.contacts[row.contacts.length - 1]) : "–";
    line.append(name, node("td", profession(row.profession)), node("td", String(row.contacts.length)),
      node("td", first, "date"), node("td", last, "date"));
    return line;
  }));
}

// The ratings beside the people of the picture (in its order) and the life-and-care profile.
function showCheckIns(rows = lastTimeline ? [...Object.values(arrange(lastTimeline, keyPeople))].flat() : []) {
  if (!checkIns) return;
  showRatings($("ratings"), $("ratings-none"), checkIns, peopleOf(rows, keyPeople));
  showDialog($("dialog"), checkIns);
}

async function loadCheckIns() {
  checkIns = (await get(`/api/v1/patients/${patientId}/check-ins?limit=500`)).items;
  showCheckIns();
}

function showFlags(page) {
  const list = $("flags");
  const open = page.items.filter((flag) => flag.status !== "resolved");
  if (!open.length) {
    list.replaceChildren(node("li", t("patient_no_flags"), "note"));
    return;
  }
  list.replaceChildren(...open.map((flag) => {
    const item = node("li", undefined, `flag severity-${flag.severity}`);
    item.dataset.flagId = flag.id;
    const head = node("p", undefined, "flag-head");
    head.append(node("span", t(`board_sev_${flag.severity}`), `badge severity-${flag.severity}`), " ",
      node("strong", t(`board_flag_${flag.code}`)));
    if (flag.status === "acknowledged") head.append(" ", node("span", `(${t("patient_flag_ack")})`, "note"));
    item.append(head, node("p", flagReasons(flag), "flag-detail"));
    if (flag.acknowledge_note) item.append(node("p", flag.acknowledge_note, "note"));
    return item;
  }));
}

function listOf(values, render = (value) => value) {
  const list = document.createElement("ul");
  list.append(...values.map((value) => {
    const item = document.createElement("li");
    item.append(...[].concat(render(value)));
    return item;
  }));
  return list;
}

function phone(number) {
  const link = node("a", number);
  link.href = telHref(number);
  return link;
}

const RENDER = {
  support_contacts: (items) => listOf(items, (c) => (c.phone ? [`${c.name}: `, phone(c.phone)] : c.name)),
  professional_contacts: (items) => listOf(items, (c) => [c.name, ...(c.phone ? [": ", phone(c.phone)] : []),
    ...(c.when ? [` (${c.when})`] : [])]),
  patient_controlled_admission: (agreement) => {
    const parts = [node("p", agreement.agreed
      ? t("patient_pca_agreed", { days: agreement.max_days_per_stay, between: agreement.min_days_between_stays })
      : t("patient_pca_not_agreed"))];
    if (agreement.valid_until) parts.push(node("p", t("patient_pca_until", { date: day(agreement.valid_until) })));
    if (agreement.how_to_ask) parts.push(node("p", agreement.how_to_ask, "text"));
    return parts;
  },
};

function showPlan(plan) {
  if (!plan) {
    $("plan-meta").textContent = t("patient_no_plan");
    $("plan-write").textContent = t("patient_plan_write_first");
    return;
  }
  $("plan-meta").textContent = `${t("patient_plan_version", {
    version: plan.version, date: day(plan.created_at), who: plan.created_by?.name || "",
  })} · ${plan.reviewed_with_patient ? t("patient_plan_reviewed") : t("patient_plan_not_reviewed")}`;
  for (const section of $("plan").querySelectorAll("[data-field]")) {
    const value = plan[section.dataset.field];
    const empty = value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length);
    section.hidden = empty;
    if (empty) continue;
    const render = RENDER[section.dataset.field]
      || (Array.isArray(value) ? listOf : (text) => node("p", text, "text"));
    section.querySelector(".content").replaceChildren(...[].concat(render(value)));
  }
  $("plan-more").hidden = ![...$("plan-more").querySelectorAll("[data-field]")].some((section) => !section.hidden);
}

async function loadPlan() {
  try {
    showPlan(await get(`/api/v1/patients/${patientId}/crisis-plan`));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.status === 404) showPlan(null);
    else $("plan-meta").textContent = error.status === 409 ? t("patient_plan_unreadable") : t("patient_load_failed", { reason: error.message });
  }
}

async function loadTimeline() {
  showTimeline(await get(`/api/v1/patients/${patientId}/timeline?days=${period}`));
}

function failed(error) {
  const message = $("page-message");
  if (!(error instanceof HttpError)) message.textContent = t("patient_offline");
  else if (error.status === 404) message.textContent = t("patient_not_found");
  else message.textContent = t("patient_load_failed", { reason: error.message });
  message.classList.add("problem");
  $("patient").hidden = true;
}

async function start() {
  for (const radio of document.querySelectorAll('input[name="period"]')) {
    radio.addEventListener("change", () => { period = Number(radio.value); loadTimeline().catch(failed); });
  }
  let resizeTimer = null;
  $("timeline-fold").addEventListener("click", () => {
    unfolded = !unfolded;
    if (lastTimeline) showTimeline(lastTimeline);
  });
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => lastTimeline && showTimeline(lastTimeline), 200);
  });
  try {
    const patient = await get(`/api/v1/patients/${patientId}`);
    $("page-message").textContent = "";
    $("patient").hidden = false;
    showPatient(patient);
    await Promise.all([
      get("/api/v1/me").then((me) => { $("plan-write").hidden = !["nurse", "team_leader"].includes(me.role); }),
      loadTimeline(),
      get(`/api/v1/patients/${patientId}/continuity?days=90`).then((measures) => showMeasures($("measures"), $("measures-reading"), measures)),
      get(`/api/v1/patients/${patientId}/flags?status=unresolved&limit=100`).then(showFlags),
      loadPlan(),
      loadCheckIns(),
    ]);
    document.body.dataset.ready = "true";
  } catch (error) {
    failed(error);
    document.body.dataset.ready = "error";
  }
}

start();
