// The ward's continuity week by week on the board: one measure at a time (the share of patients with a safety
// person, or the median KPC), on a 0–100 % scale. A week with no data (no patients, or nobody had a contact) is
// drawn hatched over the whole height, so that it never looks like a zero; a zero is a solid line on the floor.
import { language, t } from "./i18n.js";
import { $, node } from "./dom.js";

const shortDate = new Intl.DateTimeFormat(language, { day: "numeric", month: "short" });
const percent = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 });
const CAPTIONS = { safety_person_share: "board_history_safety", median_kpc: "board_history_kpc" };
let weeks = [];

function measure() {
  const checked = document.querySelector('input[name="history-measure"]:checked');
  return checked ? checked.value : "safety_person_share";
}

function column(week, key) {
  const value = week[key];
  const state = value === null ? "none" : value === 0 ? "zero" : "value";
  const element = node("span", undefined, `week ${state}`);
  element.dataset.state = state;
  element.dataset.week = week.week_end.slice(0, 10);
  const bar = node("span", undefined, "bar");
  if (state === "value") bar.style.height = `${Math.max(value * 100, 2)}%`;
  element.append(bar);
  const when = shortDate.format(new Date(week.week_end));
  element.title = `${when}: ${value === null ? t("board_no_data") : percent.format(value)}`;
  return element;
}

function draw() {
  const key = measure();
  const chart = $("history-chart");
  chart.style.setProperty("--weeks", weeks.length);
  chart.dataset.measure = key;
  chart.replaceChildren(...weeks.map((week) => column(week, key)));
  $("history-caption").textContent = t(CAPTIONS[key]);
}

function table() {
  $("history-table").tBodies[0].replaceChildren(...weeks.slice().reverse().map((week) => {
    const row = node("tr");
    const when = node("th", shortDate.format(new Date(week.week_end)));
    when.scope = "row";
    const share = week.safety_person_share === null ? t("board_no_data")
      : `${week.with_safety_person} (${percent.format(week.safety_person_share)})`;
    const kpc = week.median_kpc === null ? t("board_no_data") : percent.format(week.median_kpc);
    row.append(when, node("td", String(week.patients), "number"), node("td", share, "number"), node("td", kpc, "number"));
    return row;
  }));
}

// history: the answer of GET /api/v1/wards/{id}/continuity-history.
export function showHistory(history) {
  weeks = history.items;
  draw();
  table();
  $("history-first").textContent = weeks.length ? shortDate.format(new Date(weeks[0].week_end)) : "";
  $("history-last").textContent = weeks.length ? shortDate.format(new Date(weeks[weeks.length - 1].week_end)) : "";
  $("history").hidden = false;
}

export function wireChart() {
  for (const input of document.querySelectorAll('input[name="history-measure"]')) input.addEventListener("change", draw);
}

// The ward's anonymous check-in figures by ISO week (GET /api/v1/wards/{id}/check-in-summary): the mean
// relationship score (0–4), and the life and care means (1–7), as lines over the weeks with check-ins. A week with
// too few patients is withheld by the API and drawn as a hatched gap that breaks the lines, never as a value.
const SVG = "http://www.w3.org/2000/svg";
const WEEK = 7 * 24 * 3600 * 1000;
const CHART_HEIGHT = 120;
const LEFT = 20;
const TOP = 6;
const BOTTOM = 18;

function svgEl(name, attributes = {}, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

// The Monday (UTC) of an ISO week such as "2026-W49".
export function mondayOf(isoWeek) {
  const [year, week] = isoWeek.split("-W").map(Number);
  const january4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(january4).getUTCDay() + 6) % 7; // Monday 0
  return new Date(january4 - weekday * 24 * 3600 * 1000 + (week - 1) * WEEK);
}

const weekDate = new Intl.DateTimeFormat(language, { day: "numeric", month: "short", timeZone: "UTC" });
const mean = (value) => (value === null || value === undefined ? "–" : value.toFixed(2));

function lineChart(container, weeks, series, [low, high], ticks, titleId) {
  const width = Math.max(260, Math.floor(container.clientWidth || 320));
  const plot = width - LEFT - 4;
  const first = mondayOf(weeks[0].week).getTime();
  const slots = Math.round((mondayOf(weeks[weeks.length - 1].week).getTime() - first) / WEEK) + 1;
  const slot = plot / slots;
  const index = (week) => Math.round((mondayOf(week.week).getTime() - first) / WEEK);
  const x = (week) => LEFT + (index(week) + 0.5) * slot;
  const y = (value) => TOP + ((high - value) / (high - low)) * (CHART_HEIGHT - TOP - BOTTOM);
  const svg = svgEl("svg", { width, height: CHART_HEIGHT, viewBox: `0 0 ${width} ${CHART_HEIGHT}`, role: "img",
    "aria-labelledby": titleId, class: "ci-chart" });
  for (const tick of ticks) {
    svg.append(svgEl("line", { x1: LEFT, x2: width, y1: y(tick), y2: y(tick), class: "gridline" }),
      svgEl("text", { x: LEFT - 4, y: y(tick) + 4, class: "tick", "text-anchor": "end" }, String(tick)));
  }
  for (const week of weeks.filter((item) => item.suppressed)) {
    svg.append(svgEl("rect", { x: LEFT + index(week) * slot, y: TOP, width: Math.max(slot, 4),
      height: CHART_HEIGHT - TOP - BOTTOM, class: "withheld", "data-week": week.week }));
  }
  for (const { key, className } of series) {
    const segments = [[]];
    for (const week of weeks) {
      if (week.suppressed) segments.push([]); // a withheld week breaks the line
      else if (week[key] !== null && week[key] !== undefined) segments[segments.length - 1].push(week);
    }
    for (const segment of segments.filter((points) => points.length > 1)) {
      svg.append(svgEl("polyline", { class: `series ${className}`, "data-series": key,
        points: segment.map((week) => `${x(week).toFixed(1)},${y(week[key]).toFixed(1)}`).join(" ") }));
    }
    for (const week of segments.flat()) {
      svg.append(svgEl("circle", { cx: x(week).toFixed(1), cy: y(week[key]).toFixed(1), r: 3,
        class: `dot ${className}`, "data-series": key, "data-week": week.week, "data-value": week[key] }));
    }
  }
  const axis = CHART_HEIGHT - 4;
  svg.append(svgEl("text", { x: LEFT, y: axis, class: "tick" }, weekDate.format(mondayOf(weeks[0].week))),
    svgEl("text", { x: width, y: axis, class: "tick", "text-anchor": "end" },
      weekDate.format(mondayOf(weeks[weeks.length - 1].week))));
  container.replaceChildren(svg);
}

let summary = null;

function drawCheckIns() {
  const weeks = summary ? summary.weeks : [];
  $("check-ins-none").hidden = weeks.length > 0;
  $("check-ins-none").textContent = weeks.length ? "" : t("board_ci_none");
  $("check-ins-charts").hidden = !weeks.length;
  if (!weeks.length) return;
  lineChart($("ci-relationship"), weeks, [{ key: "relationship_mean", className: "relationship" }], [0, 4],
    [0, 1, 2, 3, 4], "ci-relationship-title");
  lineChart($("ci-dialog"), weeks, [{ key: "life_mean", className: "life" }, { key: "treatment_mean", className: "treatment" }],
    [1, 7], [1, 4, 7], "ci-dialog-title");
  $("check-ins-table").tBodies[0].replaceChildren(...weeks.slice().reverse().map((week) => {
    const row = node("tr");
    row.dataset.week = week.week;
    const when = node("th", t("board_ci_week", { date: weekDate.format(mondayOf(week.week)) }));
    when.scope = "row";
    row.append(when);
    if (week.suppressed) {
      const cell = node("td", t("board_ci_withheld"), "withheld-cell");
      cell.colSpan = 4;
      row.append(cell);
    } else {
      row.append(node("td", String(week.patients), "number"), node("td", mean(week.relationship_mean), "number"),
        node("td", mean(week.life_mean), "number"), node("td", mean(week.treatment_mean), "number"));
    }
    return row;
  }));
}

// The answer of GET /api/v1/wards/{id}/check-in-summary; drawn again when the width changes.
export function showCheckInSummary(answer) {
  summary = answer;
  $("check-ins-threshold").textContent = t("board_ci_threshold", { count: answer.min_patients });
  $("ci-relationship-title").textContent = t("board_ci_relationship");
  $("ci-dialog-title").textContent = t("board_ci_dialog");
  $("check-ins").hidden = false;
  drawCheckIns();
}

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => summary && drawCheckIns(), 200);
});
