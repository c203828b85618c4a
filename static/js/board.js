// The team leader's ward board: patients with open flags first; acknowledge or resolve flags with a note, name
// key people, set maintenance plans (board_dialogs.js); and the ward's continuity over time. Nurses see it
// read-only. Data comes from the API (which decides access); only the chosen ward's id goes into the address bar.
import { api, HttpError } from "./api.js";
import { withLogin } from "./login.js";
import { flagReasons, language, t } from "./i18n.js";
import { openFlag, openPerson, openPlans, wireDialogs } from "./board_dialogs.js";
import { button, node } from "./dom.js";

const $ = (id) => document.getElementById(id);
const STAFF = ["nurse", "team_leader", "admin"];
const LEADERS = ["team_leader", "admin"];
const dateFormat = new Intl.DateTimeFormat(language, { day: "numeric", month: "short", year: "numeric" });
const shortDate = new Intl.DateTimeFormat(language, { day: "numeric", month: "short" });
const day = (iso) => dateFormat.format(new Date(iso));
const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 });
let me = null;
let leader = false;
let wardId = null;
let professionals = [];

// Any API call, with one re-login on 401.
const call = (path, options) => withLogin(t("board_login"), () => api(path, options));

function say(text, problem = false) {
  const message = $("board-message");
  message.textContent = text;
  message.classList.toggle("problem", problem);
}

// --- the board -------------------------------------------------------------------------------------------

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

function card(entry) {
  const { patient, episode } = entry;
  const item = node("li", undefined, "card patient-card");
  item.dataset.patientId = patient.id;
  const heading = node("h2");
  const link = node("a", patient.display_name);
  link.href = `/patients/${patient.id}`;
  heading.append(link);
  item.append(heading, node("p", t("board_episode", { kind: t(`patient_kind_${episode.kind}`), date: day(episode.started_at) }), "note"));
  const flags = node("ul", undefined, "flags");
  flags.append(...entry.flags.map((flag) => flagItem(flag, entry)));
  item.append(entry.flags.length ? flags : node("p", t("board_no_flags"), "note"));
  const facts = node("div", undefined, "facts");
  facts.append(personLine(entry, "safety_person"), personLine(entry, "primary_contact"));
  const days = entry.days_since_last_contact;
  const last = days === null ? t("board_never") : days === 0 ? t("board_last_today")
    : days === 1 ? t("board_last_yesterday") : t("board_last_contact", { days });
  const kpc = entry.measures_90d && entry.measures_90d.kpc !== null ? entry.measures_90d.kpc.toFixed(2) : "–";
  facts.append(node("p", `${last} · ${t("board_kpc", { value: kpc })}`, "note"));
  item.append(facts);
  if (leader) {
    const actions = node("div", undefined, "actions");
    actions.append(button(t("board_plans"), () => openPlans(entry), "plans-button"));
    item.append(actions);
  }
  return item;
}

async function loadBoard() {
  const board = await call(`/api/v1/wards/${wardId}/board`);
  $("board").replaceChildren(...board.patients.map(card));
  say(board.patients.length ? "" : t("board_no_patients"));
  document.body.dataset.ready = "true";
}

// --- the ward picture ------------------------------------------------------------------------------------

function bar(value, kind) {
  const element = node("span", undefined, `bar ${kind}${value === null ? " none" : ""}`);
  if (value !== null) element.style.height = `${Math.max(value * 100, 1)}%`;
  return element;
}

async function loadHistory() {
  const history = await call(`/api/v1/wards/${wardId}/continuity-history?weeks=12`);
  const chart = $("history-chart");
  chart.style.setProperty("--weeks", history.items.length);
  chart.replaceChildren(...history.items.map((week) => {
    const column = node("span", undefined, "week");
    column.append(bar(week.safety_person_share, "safety"), bar(week.median_kpc, "kpc"));
    return column;
  }));
  const items = history.items;
  $("history-first").textContent = items.length ? shortDate.format(new Date(items[0].week_end)) : "";
  $("history-last").textContent = items.length ? shortDate.format(new Date(items[items.length - 1].week_end)) : "";
  $("history-table").tBodies[0].replaceChildren(...items.slice().reverse().map((week) => {
    const row = node("tr");
    const when = node("th", shortDate.format(new Date(week.week_end)));
    when.scope = "row";
    const share = week.safety_person_share === null ? "–"
      : `${week.with_safety_person} (${percent.format(week.safety_person_share)})`;
    row.append(when, node("td", String(week.patients), "number"), node("td", share, "number"),
      node("td", week.median_kpc === null ? "–" : week.median_kpc.toFixed(2), "number"));
    return row;
  }));
  $("history").hidden = false;
}

async function afterChange() {
  await loadBoard();
  say(t("board_saved"));
  loadHistory().catch(() => {});
}

// --- start -----------------------------------------------------------------------------------------------

const loadMe = () => call("/api/v1/me");

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
  loadHistory().catch(() => {});
}

async function start() {
  wireDialogs({
    call, afterChange, say, professionals: () => professionals, reloadBoard: () => loadBoard().catch(() => {}),
  });
  try {
    me = await loadMe();
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
    showWard();
  });
  await showWard();
}

start();
