// Who has read my plan and record: one line per visit (the same person within half an hour), newest first,
// and the full list, one entry per read, one tap away. Grouped here from GET /api/v1/me/access-log.
import { $, node as element } from "./dom.js";
import { language, t } from "./i18n.js";
import { formatDateTime as dateTime } from "./format.js";

const LIST_LIMIT = 50;
const VISIT_MS = 30 * 60 * 1000;
const READ_LABELS = {
  "crisis_plan.read": "me_read_plan",
  "crisis_plan.versions.read": "me_read_versions",
  "check_ins.read": "me_read_check_ins",
  "emergency_access.grant": "me_read_emergency",
  "episode.admit_outside": "me_log_admit_outside",
};
const entries = [];
let cursor = null;

const thisYear = new Date().getFullYear();
function visitTime(date) {
  const options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  if (date.getFullYear() !== thisYear) options.year = "numeric";
  return date.toLocaleString(language, options);
}
const names = new Intl.ListFormat(language, { style: "long", type: "conjunction" });
const what = (item) => t(READ_LABELS[item.action] || "me_read_record", { reason: item.reason || "" });
const role = (item) => t(`me_role_${item.role}`);

// Visits from entries newest first: an entry joins the person's latest visit while it lies within half an
// hour of that visit's earliest entry so far; otherwise it starts an earlier visit.
export function visits(items) {
  const found = [];
  const open = new Map();
  for (const item of items) {
    const key = `${item.who}\u0000${item.role}`;
    const at = new Date(item.at);
    const visit = open.get(key);
    if (visit && visit.start - at <= VISIT_MS) {
      visit.start = at;
      visit.items.unshift(item);
    } else {
      const started = { who: item.who, role: item.role, start: at, items: [item] };
      open.set(key, started);
      found.push(started);
    }
  }
  return found;
}

function visitLine(visit) {
  const actions = [...new Set(visit.items.map(what))]; // in the order they happened
  const line = element("li");
  const time = element("time", visitTime(visit.start));
  time.dateTime = visit.start.toISOString();
  // "{who}, {role}, {what}, {date}" in the page's language, with the date as a <time> where the text puts it
  const [before, after = ""] = t("me_log_visit", {
    who: visit.who, role: role(visit.items[0]), what: names.format(actions), date: "\u0000",
  }).split("\u0000");
  line.append(before, time, after);
  return line;
}

function entryLine(item) {
  const line = element("li");
  const time = element("time", dateTime(item.at));
  time.dateTime = item.at;
  line.append(time, element("span", `${item.who} (${role(item)}) ${what(item)}`));
  return line;
}

function render() {
  $("readers-visits").replaceChildren(...visits(entries).map(visitLine));
  $("readers-list").replaceChildren(...entries.map(entryLine));
  $("readers-all-title").textContent = t("me_log_full", { count: entries.length + (cursor ? "+" : "") });
  $("readers-all").hidden = entries.length === 0;
  $("readers-none").hidden = entries.length > 0;
  $("readers-more").hidden = !cursor;
}

async function more(load) {
  const query = `?limit=${LIST_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
  const page = await load(`/api/v1/me/access-log${query}`);
  entries.push(...page.items);
  cursor = page.next_cursor;
  render();
}

// Load the first page and show the section; "Show more" loads the next and groups again.
export async function showReaders(load) {
  $("readers-more").addEventListener("click", () => more(load).catch(() => {}));
  await more(load);
  $("readers").hidden = false;
}
