// The patient's own check-ins on the staff patient page, only those the patient shares with the caller (the API
// decides which): for each person in the relationship picture, the trend of the patient's ratings of that
// relationship (0–4, a small SVG line), the latest score and its date, and who the patient shares each score with;
// and the life-and-care profile (1–7), the latest check-in against the one before. Nothing is drawn for what the
// caller may not see: no empty trend that could read as a score of 0.
import { t } from "./i18n.js";
import { formatDay as day } from "./format.js";
import { node } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
const ROLE_ORDER = ["safety_person", "primary_contact", "therapist", "attending_doctor"];
const WIDTH = 120;
const HEIGHT = 32;
const PAD = 4;
const score = (value) => value.toFixed(2);

function el(name, attributes = {}) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

// Who the patient shares a check-in with, in plain words; `name` is the rated professional's.
export function shareWords(checkIn, name) {
  return checkIn.share === "team_leader_and_person" ? t("patient_ci_share_person", { name })
    : t("patient_ci_share_leader");
}

// A sparkline of relationship scores (oldest first) on the 0–4 scale, spread over their own dates; one check-in is
// one dot. The floor and the top of the scale are drawn faintly so that a low score reads as low, not as missing.
export function sparkline(items) {
  const svg = el("svg", { width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: "sparkline",
    "aria-hidden": "true" });
  const times = items.map((item) => new Date(item.created_at).getTime());
  const first = times[0];
  const span = times[times.length - 1] - first;
  const x = (at) => (span ? PAD + ((at - first) / span) * (WIDTH - 2 * PAD) : WIDTH - PAD - 2);
  const y = (value) => PAD + ((4 - value) / 4) * (HEIGHT - 2 * PAD);
  svg.append(el("line", { x1: 0, x2: WIDTH, y1: y(4), y2: y(4), class: "scale" }),
    el("line", { x1: 0, x2: WIDTH, y1: y(0), y2: y(0), class: "scale" }));
  const points = items.map((item, index) => [x(times[index]), y(item.score)]);
  if (points.length > 1) {
    svg.append(el("polyline", { points: points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" "),
      class: "trend" }));
  }
  points.forEach(([px, py], index) => {
    svg.append(el("circle", { cx: px.toFixed(1), cy: py.toFixed(1), r: index === points.length - 1 ? 3.5 : 2,
      class: index === points.length - 1 ? "latest" : "point" }));
  });
  return svg;
}

function ratingItem(person, items) {
  const latest = items[items.length - 1];
  const item = node("li", undefined, "rating");
  item.dataset.professionalId = person.id;
  const head = node("p", undefined, "rating-head");
  head.append(node("strong", person.name));
  for (const role of person.roles) head.append(" ", node("span", t(`patient_role_${role}`), `role-chip role-${role}`));
  const trend = node("div", undefined, "rating-trend");
  const line = sparkline(items);
  const latestLine = node("p", undefined, "rating-latest");
  latestLine.append(node("strong", t("patient_ci_latest", { score: score(latest.score) }), "rating-score"), " ",
    node("span", day(latest.created_at), "rating-date"));
  const words = node("p", shareWords(latest, person.name), "rating-share");
  const text = node("div", undefined, "rating-text");
  text.append(latestLine, words);
  trend.append(line, text);
  // Every score with its own sharing choice, newest first: the text equivalent of the line.
  const all = document.createElement("details");
  all.className = "rating-all";
  all.append(node("summary", t("patient_ci_all", { count: items.length })));
  const list = node("ul", undefined, "rating-list");
  list.append(...items.slice().reverse().map((checkIn) => node("li", t("patient_ci_row", {
    date: day(checkIn.created_at), score: score(checkIn.score), share: shareWords(checkIn, person.name),
  }))));
  all.append(list);
  item.append(head, trend, all);
  return item;
}

/**
 * The ratings of each relationship, into `list` (a <ul>), with `none` (a <p>) saying so when there are none the
 * caller may see. `checkIns`: the API's items (newest first); `people`: Map professional id → { id, name, roles }
 * in the order of the relationship picture (others follow by their latest check-in).
 */
export function showRatings(list, none, checkIns, people) {
  const byPerson = new Map();
  for (const checkIn of checkIns.filter((item) => item.kind === "relationship" && item.score !== null).reverse()) {
    if (!byPerson.has(checkIn.professional_id)) byPerson.set(checkIn.professional_id, []);
    byPerson.get(checkIn.professional_id).push(checkIn); // oldest first
  }
  const order = [...people.keys()];
  const rank = (id) => (order.includes(id) ? order.indexOf(id) : order.length);
  const latest = (id) => new Date(byPerson.get(id).at(-1).created_at).getTime();
  const ids = [...byPerson.keys()].sort((a, b) => rank(a) - rank(b) || latest(b) - latest(a));
  list.replaceChildren(...ids.map((id) => ratingItem(
    people.get(id) || { id, name: t("board_unknown_professional", { id }), roles: [] }, byPerson.get(id))));
  list.hidden = !ids.length;
  none.hidden = Boolean(ids.length);
  none.textContent = ids.length ? "" : t("patient_ci_none");
}

/** The people of the relationship picture in its order: rows from timeline.arrange, then any other key people. */
export function peopleOf(rows, keyPeople) {
  const people = new Map();
  for (const row of rows) people.set(row.professional_id, { id: row.professional_id, name: row.name, roles: row.roles });
  const sorted = keyPeople.slice().sort((a, b) => ROLE_ORDER.indexOf(a.kind) - ROLE_ORDER.indexOf(b.kind));
  for (const person of sorted) {
    const { id, name } = person.professional;
    if (!people.has(id)) people.set(id, { id, name, roles: [] });
    if (!people.get(id).roles.includes(person.kind)) people.get(id).roles.push(person.kind);
  }
  return people;
}

const signed = (change) => (change > 0 ? `+${change}` : change < 0 ? `−${-change}` : "0");
const signedMean = (change) => (Math.abs(change) < 0.005 ? "0.00"
  : change > 0 ? `+${change.toFixed(2)}` : `−${(-change).toFixed(2)}`);

function trendClass(change) {
  return change > 0 ? "up" : change < 0 ? "down" : "same";
}

/**
 * The life-and-care profile into `section` (its table rows carry data-item): the latest dialog check-in the
 * caller may see against the one before it, each domain's bar 1–7, the change, and the more-help ticks.
 */
export function showDialog(section, checkIns) {
  const dialogs = checkIns.filter((item) => item.kind === "dialog"); // newest first
  const [now, before] = dialogs;
  const meta = section.querySelector(".dialog-meta");
  const table = section.querySelector("table");
  table.hidden = !now;
  section.querySelector(".dialog-key").hidden = !now;
  if (!now) {
    meta.textContent = t("patient_ci_dialog_none");
    return;
  }
  meta.textContent = before
    ? t("patient_ci_dialog_meta", { date: day(now.created_at), before: day(before.created_at), share: shareWords(now) })
    : t("patient_ci_dialog_first", { date: day(now.created_at), share: shareWords(now) });
  table.classList.toggle("single", !before);
  for (const row of table.tBodies[0].rows) {
    const key = row.dataset.item;
    if (!key) continue;
    const mean = key.endsWith("_mean");
    const value = mean ? now[key] : now.scores[key];
    const previous = before ? (mean ? before[key] : before.scores[key]) : null;
    const bars = row.querySelector(".bars");
    const bar = (level, kind) => {
      const element = node("span", undefined, `dialog-bar ${kind} level-${Math.round(level)}`);
      element.dataset.value = String(level);
      return element;
    };
    bars.replaceChildren(bar(value, "latest"), ...(previous === null ? [] : [bar(previous, "previous")]));
    row.querySelector("td.now").textContent = mean ? value.toFixed(2) : String(value);
    row.querySelector("td.before").textContent = previous === null ? "–" : mean ? previous.toFixed(2) : String(previous);
    const change = row.querySelector("td.change");
    const delta = previous === null ? null : value - previous;
    change.textContent = delta === null ? "–" : mean ? signedMean(delta) : signed(delta);
    change.className = `change number ${delta === null ? "" : trendClass(Math.abs(delta) < 0.005 ? 0 : delta)}`.trim();
    const help = row.querySelector(".help");
    if (help) {
      const asked = now.more_help.includes(key);
      row.classList.toggle("more-help", asked);
      help.replaceChildren(...(asked ? [node("span", t("patient_ci_more_help"), "help-badge")] : []));
    }
  }
}
