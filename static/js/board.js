// The team leader's ward board, triage first: a summary (patients, open flags by kind, a filter by kind), then one
// compact row per patient with a chip per open flag; a tap opens the row's details: the flags (acknowledged ones
// folded under their own heading), key people, maintenance plans with their next due date. Acknowledging or
// resolving confirms beside the card and re-sorts nothing until the next load (board_dialogs.js). Then the ward's
// continuity over time (board_chart.js). Nurses see it read-only. Data comes from the API, which decides access.
import { api, HttpError } from "./api.js";
import { withLogin } from "./login.js";
import { flagReasons, language, t } from "./i18n.js";
import { openFlag, openPerson, openPlans, wireDialogs } from "./board_dialogs.js";
import { showCheckInSummary, showHistory, wireChart } from "./board_chart.js";
import { $, button, node } from "./dom.js";
import { formatDay as day } from "./format.js";

const STAFF = ["nurse", "team_leader", "admin"];
const LEADERS = ["team_leader", "admin"];
const RANK = { high: 3, medium: 2, low: 1 };
let me = null;
let leader = false;
let wardId = null;
let professionals = [];
let filter = "";
const entries = new Map(); // patient id → board entry, as last loaded

const call = (path, options) => withLogin(t("board_login"), () => api(path, options));
const open = (entry) => entry.flags.filter((flag) => flag.status === "open");
const acknowledged = (entry) => entry.flags.filter((flag) => flag.status === "acknowledged");
const top = (flags) => Math.max(0, ...flags.map((flag) => RANK[flag.severity]));

function say(text, problem = false) {
  const message = $("board-message");
  message.textContent = text;
  message.classList.toggle("problem", problem);
}

// --- one flag, one person line, the plans ------------------------------------------------------------------

function flagItem(flag, entry) {
  const item = node("li", undefined, `flag severity-${flag.severity}`);
  item.dataset.flagId = flag.id;
  item.dataset.status = flag.status;
  const head = node("p", undefined, "flag-head");
  head.append(node("span", t(`board_sev_${flag.severity}`), `badge severity-${flag.severity}`), " ",
    node("strong", t(`board_flag_${flag.code}`)));
  if (flag.status === "acknowledged") head.append(" ", node("span", `(${t("board_acknowledged")})`, "note status"));
  item.append(head, node("p", flagReasons(flag), "flag-detail"));
  if (leader) {
    const actions = node("div", undefined, "actions");
    if (flag.status === "open") actions.append(button(t("board_ack"), () => openFlag(flag, entry, "acknowledge"), "ack"));
    actions.append(button(t("board_resolve"), () => openFlag(flag, entry, "resolve"), "resolve"));
    item.append(actions);
  }
  return item;
}

function personLine(entry, role) {
  const person = entry[role];
  const line = node("div", undefined, "person-line");
  line.dataset.role = role;
  const label = t(`patient_role_${role}`);
  const text = node("span", t("board_person", { role: label, name: person ? person.name : t("patient_nobody") }));
  if (person && person.days_since_last_contact !== null) {
    const days = person.days_since_last_contact;
    const ago = days === 0 ? t("board_met_today") : days === 1 ? t("board_met_yesterday") : t("board_days_ago", { days });
    text.append(" ", node("span", `(${ago})`, "note"));
  }
  line.append(text);
  if (leader) {
    const name = button(person ? t("board_change") : t("board_name"), () => openPerson(entry, role), "name");
    name.setAttribute("aria-label", `${person ? t("board_change") : t("board_name")}: ${label}`);
    line.append(name);
  }
  return line;
}

function plansList(entry) {
  const list = node("ul", undefined, "plan-dues");
  list.append(...entry.maintenance_plans.map((plan) => {
    const item = node("li", undefined, plan.overdue ? "overdue" : "");
    item.dataset.planId = plan.id;
    item.append(node("span", t("board_plan_line", { name: plan.professional_name, days: plan.interval_days })), " ",
      node("span", t(plan.overdue ? "board_plan_overdue" : "board_plan_due", { date: day(plan.due_at) }), "due"),
      " ", node("span", `(${t(`board_plan_counts_${plan.counts}`)})`, "note"));
    return item;
  }));
  return list;
}

// --- one row per patient -----------------------------------------------------------------------------------

function chip(flag) {
  const element = node("span", undefined, `chip severity-${flag.severity}`);
  element.dataset.flagId = flag.id;
  element.append(node("span", `${t(`board_sev_${flag.severity}`)}: `, "visually-hidden"), t(`board_chip_${flag.code}`));
  return element;
}

function details(entry) {
  const { patient, episode } = entry;
  const panel = node("div", undefined, "row-detail");
  panel.id = `detail-${patient.id}`;
  const link = node("a", t("board_open_page"), "page-link");
  link.href = `/patients/${patient.id}`;
  panel.append(node("p", t("board_episode", { kind: t(`patient_kind_${episode.kind}`), date: day(episode.started_at) }),
    "note"), link);
  const flags = node("ul", undefined, "flags open-flags");
  flags.append(...open(entry).map((flag) => flagItem(flag, entry)));
  panel.append(open(entry).length ? flags : node("p", t("board_no_flags"), "note"));
  if (acknowledged(entry).length) {
    const fold = node("details", undefined, "acknowledged");
    const list = node("ul", undefined, "flags");
    list.append(...acknowledged(entry).map((flag) => flagItem(flag, entry)));
    fold.append(node("summary", t("board_acked_heading", { count: acknowledged(entry).length })), list);
    panel.append(fold);
  }
  const facts = node("div", undefined, "facts");
  facts.append(personLine(entry, "safety_person"), personLine(entry, "primary_contact"));
  const days = entry.days_since_last_contact;
  const last = days === null ? t("board_never") : days === 0 ? t("board_last_today")
    : days === 1 ? t("board_last_yesterday") : t("board_last_contact", { days });
  const kpc = entry.measures_90d && entry.measures_90d.kpc !== null ? entry.measures_90d.kpc.toFixed(2) : "–";
  facts.append(node("p", `${last} · ${t("board_kpc", { value: kpc })}`, "note"));
  panel.append(facts);
  if (entry.maintenance_plans.length) panel.append(node("h3", t("board_plans")), plansList(entry));
  if (leader) {
    const actions = node("div", undefined, "actions");
    actions.append(button(t("board_plans"), () => openPlans(entry), "plans-button"));
    panel.append(actions);
  }
  panel.append(node("p", "", "confirm"));
  panel.lastChild.setAttribute("role", "status");
  return panel;
}

function row(entry, expanded = false) {
  const { patient, episode } = entry;
  const item = node("li", undefined, `card patient-card row severity-${["none", "low", "medium", "high"][top(open(entry))]}`);
  item.dataset.patientId = patient.id;
  item.dataset.codes = open(entry).map((flag) => flag.code).join(" ");
  const head = node("button", undefined, "row-head");
  head.type = "button";
  head.setAttribute("aria-expanded", String(expanded));
  head.setAttribute("aria-controls", `detail-${patient.id}`);
  const days = Math.max(0, Math.floor((Date.now() - new Date(episode.started_at)) / 86400000));
  const title = node("span", undefined, "row-title");
  title.append(node("span", patient.display_name, "row-name"),
    node("span", t("board_row_episode", { kind: t(`patient_kind_${episode.kind}`), days }), "row-meta"));
  const chips = node("span", undefined, "chips");
  chips.append(...open(entry).map(chip));
  if (acknowledged(entry).length) chips.append(node("span", t("board_chip_acked", { count: acknowledged(entry).length }), "chip acked"));
  if (!entry.flags.length) chips.append(node("span", t("board_no_flags"), "chip none"));
  head.append(title, chips);
  const panel = details(entry);
  panel.hidden = !expanded;
  head.addEventListener("click", () => {
    const now = head.getAttribute("aria-expanded") !== "true";
    head.setAttribute("aria-expanded", String(now));
    panel.hidden = !now;
  });
  item.append(head, panel);
  return item;
}

// --- the summary and the filter ----------------------------------------------------------------------------

function applyFilter() {
  let shown = 0;
  for (const item of $("board").children) {
    const visible = !filter || item.dataset.codes.split(" ").includes(filter);
    item.hidden = !visible;
    shown += visible;
  }
  for (const choice of $("filters").children) choice.setAttribute("aria-pressed", String(choice.dataset.code === filter));
  say(filter ? t("board_showing", { shown, total: entries.size }) : "");
}

function filterButton(code, text) {
  const choice = button(text, () => { filter = code; applyFilter(); }, "filter");
  choice.dataset.code = code;
  return choice;
}

function summary(list) {
  const flags = list.flatMap(open);
  const counts = new Map();
  const worst = new Map();
  for (const flag of flags) {
    counts.set(flag.code, (counts.get(flag.code) || 0) + 1);
    worst.set(flag.code, Math.max(worst.get(flag.code) || 0, RANK[flag.severity]));
  }
  const high = flags.filter((flag) => flag.severity === "high").length;
  $("summary-line").textContent = t("board_summary", { patients: list.length, flags: flags.length, high });
  // The kinds with a high flag first, then the commonest.
  const kinds = [...counts].sort((a, b) => worst.get(b[0]) - worst.get(a[0]) || b[1] - a[1] || a[0].localeCompare(b[0]));
  $("filters").replaceChildren(filterButton("", t("board_filter_all", { count: list.length })),
    ...kinds.map(([code, count]) => filterButton(code, t("board_filter_code", { label: t(`board_chip_${code}`), count }))));
  if (filter && !counts.has(filter)) filter = "";
  $("summary").hidden = false;
}

// Most urgent first: by the highest open severity, then the number of open flags, then name.
const urgency = (a, b) => top(open(b)) - top(open(a)) || open(b).length - open(a).length
  || a.patient.display_name.localeCompare(b.patient.display_name, language);

async function loadBoard() {
  const board = await call(`/api/v1/wards/${wardId}/board`);
  entries.clear();
  for (const entry of board.patients) entries.set(entry.patient.id, entry);
  const list = board.patients.slice().sort(urgency);
  summary(list);
  $("board").replaceChildren(...list.map((entry) => row(entry)));
  applyFilter();
  if (!list.length) say(t("board_no_patients"));
  document.body.dataset.ready = "true";
}

// A change to one patient (a key person, a plan): fetch the board and redraw only that row, where it is.
async function refreshRow(patientId, message) {
  const board = await call(`/api/v1/wards/${wardId}/board`);
  const entry = board.patients.find((candidate) => candidate.patient.id === patientId);
  const old = $("board").querySelector(`li.patient-card[data-patient-id="${patientId}"]`);
  if (!entry || !old) return;
  entries.set(patientId, entry);
  const fresh = row(entry, true);
  fresh.hidden = old.hidden;
  old.replaceWith(fresh);
  if (message) fresh.querySelector(".confirm").textContent = message;
}

// --- start -----------------------------------------------------------------------------------------------

async function loadWards() {
  let names = new Map();
  try {
    const wards = await call("/api/v1/wards?limit=500");
    names = new Map(wards.items.map((ward) => [ward.id, ward.name]));
  } catch { /* the ids will do */ }
  const ids = me.ward_ids.length ? me.ward_ids : [...names.keys()]; // admins: every ward
  const select = $("ward");
  select.replaceChildren(...ids.map((id) => new Option(names.get(id) || t("board_ward_n", { id }), id)));
  $("ward-row").hidden = ids.length < 2;
  const asked = Number(new URLSearchParams(location.search).get("ward"));
  wardId = ids.includes(asked) ? asked : ids[0];
  select.value = String(wardId);
  return ids.length > 0;
}

async function loadProfessionals() {
  if (!leader) return;
  const page = await call(`/api/v1/professionals?ward_id=${wardId}&limit=500`);
  professionals = page.items;
}

async function showWard() {
  say(t("board_loading"));
  try {
    await Promise.all([loadBoard(), loadProfessionals()]);
  } catch (error) {
    say(error instanceof HttpError ? t("patient_load_failed", { reason: error.message }) : t("patient_offline"), true);
    return;
  }
  call(`/api/v1/wards/${wardId}/continuity-history?weeks=12`).then(showHistory).catch(() => {});
  call(`/api/v1/wards/${wardId}/check-in-summary`).then(showCheckInSummary).catch(() => { $("check-ins").hidden = true; });
}

async function start() {
  wireChart();
  wireDialogs({
    call, say, professionals: () => professionals, reloadBoard: () => loadBoard().catch(() => {}),
    refreshRow: (id, message) => refreshRow(id, message).catch(() => {}),
  });
  try {
    me = await call("/api/v1/me");
  } catch {
    say(t("patient_offline"), true);
    return;
  }
  if (!STAFF.includes(me.role)) {
    say(t("board_not_staff"), true);
    document.body.dataset.ready = "true";
    return;
  }
  leader = LEADERS.includes(me.role);
  if (!leader) {
    $("read-only").textContent = t("board_read_only");
    $("read-only").hidden = false;
  }
  if (!(await loadWards())) {
    say(t("board_not_staff"), true);
    return;
  }
  $("ward").addEventListener("change", () => {
    wardId = Number($("ward").value);
    history.replaceState(null, "", `/board?ward=${wardId}`);
    filter = "";
    showWard();
  });
  await showWard();
}

start();
