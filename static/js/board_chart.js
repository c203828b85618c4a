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
