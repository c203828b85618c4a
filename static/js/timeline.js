// The relationship picture: who does this patient really have a relationship with? An inline SVG with one row
// per professional and a mark per contact, coloured by profession (the profession is written in each row, so
// colour is never the only cue). The designated people (safety person, primary contact, therapist) are pinned
// on top with their role as a badge, the rest sorted by contacts in the window; on a phone the tail of people
// met only once or twice folds into one line, so that the picture fits one screen. Labels are never cut: a
// label that does not fit on one line wraps onto the next. No library.
const SVG = "http://www.w3.org/2000/svg";
const LINE = 17;     // one line of a label
const BAND = 18;     // the band of marks under the label
const GAP = 8;       // between rows
const AXIS = 22;     // month labels at the bottom
const PAD = 6;
const ROLE_ORDER = ["safety_person", "primary_contact", "therapist", "attending_doctor"];
// On a 740 px high phone the picture gets about 430 px: about 9 rows of one line each.
export const MAX_ROWS = 9;
export const TAIL_CONTACTS = 2;

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// Month starts between since and until, for the grid and its labels.
function monthStarts(since, until) {
  const starts = [];
  const at = new Date(since.getFullYear(), since.getMonth() + 1, 1);
  while (at <= until) {
    starts.push(new Date(at));
    at.setMonth(at.getMonth() + 1);
  }
  return starts;
}

/**
 * The rows in the order they are drawn: designated people first (by role), then by contacts in the window
 * (more first), then by the latest contact. `keyPeople`: the patient's designations ({kind, professional}).
 * Returns { rows, folded }: `folded` is the tail that fits no screen (people met at most twice first, and if
 * that is not enough the fewest-contact rows), empty when everything fits.
 */
export function arrange(data, keyPeople = []) {
  const byId = new Map(data.professionals.map((row) => [row.professional_id, { ...row, roles: [] }]));
  for (const person of keyPeople) {
    const id = person.professional.id;
    if (!byId.has(id)) {
      byId.set(id, { professional_id: id, name: person.professional.name, profession: person.professional.profession,
        known_before: true, contacts: [], roles: [] });
    }
    byId.get(id).roles.push(person.kind);
  }
  const rank = (row) => Math.min(...row.roles.map((role) => ROLE_ORDER.indexOf(role)));
  const last = (row) => (row.contacts.length ? new Date(row.contacts[row.contacts.length - 1]).getTime() : 0);
  const pinned = [...byId.values()].filter((row) => row.roles.length).sort((a, b) => rank(a) - rank(b));
  const rest = [...byId.values()].filter((row) => !row.roles.length)
    .sort((a, b) => b.contacts.length - a.contacts.length || last(b) - last(a) || a.name.localeCompare(b.name));
  for (const row of pinned) row.roles.sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b));
  if (pinned.length + rest.length <= MAX_ROWS) return { rows: [...pinned, ...rest], folded: [] };
  let keep = rest.filter((row) => row.contacts.length > TAIL_CONTACTS);
  keep = keep.slice(0, Math.max(MAX_ROWS - pinned.length - 1, 0)); // one line is left for the fold itself
  return { rows: [...pinned, ...keep], folded: rest.slice(keep.length) };
}

// Break `words` into lines no wider than `room`, measured with a probe <text> in the drawn SVG.
function wrap(probe, words, room) {
  const lines = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    probe.textContent = candidate;
    if (line && probe.getComputedTextLength() > room) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Draw `rows` (from arrange) of `data` (the /timeline response) into `container`.
 * `labels`: { title, desc, profession(code) → text, newLabel, role(code) → text, contacts(n) → text },
 * `language`: for month names.
 */
export function drawTimeline(container, data, rows, labels, language = "en") {
  const since = new Date(data.since);
  const until = new Date(data.until);
  const width = Math.max(260, Math.floor(container.clientWidth || 320));
  const span = until - since || 1;
  const x = (at) => PAD + ((at - since) / span) * (width - 2 * PAD);
  const svg = el("svg", {
    width, height: 10, viewBox: `0 0 ${width} 10`, role: "img", "aria-labelledby": "timeline-svg-title timeline-svg-desc",
    class: "timeline-svg", "data-rows": rows.length,
  });
  svg.append(el("title", { id: "timeline-svg-title" }, labels.title), el("desc", { id: "timeline-svg-desc" }, labels.desc));
  container.replaceChildren(svg); // drawn first, so that text can be measured
  const probe = el("text", { class: "label", x: -999, y: -999 });
  svg.append(probe);

  const markWidth = data.window_days > 120 ? 2 : 3;
  let top = 0;
  const groups = rows.map((row) => {
    const group = el("g", { class: `row${row.roles.length ? " pinned" : ""}`, "data-professional-id": row.professional_id,
      "aria-hidden": "true" });
    // The badges first on the first line, then the name and what it says about them, wrapped as needed.
    let left = PAD;
    for (const role of row.roles) {
      const text = labels.role(role);
      probe.setAttribute("class", "badge-text");
      probe.textContent = text;
      const w = probe.getComputedTextLength() + 10;
      group.append(el("rect", { x: left, y: top + 2, width: w, height: LINE - 1, rx: 3, class: `role-badge role-${role}` }),
        el("text", { x: left + 5, y: top + LINE - 4, class: "badge-text" }, text));
      left += w + 6;
    }
    probe.setAttribute("class", "label");
    const facts = [labels.profession(row.profession), labels.contacts(row.contacts.length)];
    if (!row.known_before) facts.push(labels.newLabel);
    // Each fact ("· 11 contacts") wraps as a whole; a name may break between its words.
    const words = [...row.name.split(" "), ...facts.map((fact) => `·\u00a0${fact.replace(/ /g, "\u00a0")}`)];
    const firstRoom = width - left - PAD;
    const lines = wrap(probe, words, firstRoom);
    if (lines.length > 1) { // everything after the first line may use the full width
      const rest = wrap(probe, lines.slice(1).join(" ").split(" "), width - 2 * PAD);
      lines.splice(1, lines.length - 1, ...rest);
    }
    lines.forEach((line, index) => {
      group.append(el("text", { x: index === 0 ? left : PAD, y: top + (index + 1) * LINE - 4, class: "label" }, line));
    });
    const bandTop = top + lines.length * LINE + 2;
    group.append(el("rect", { x: 0, y: bandTop, width, height: BAND - 2, class: "band" }));
    for (const at of row.contacts) {
      group.append(el("rect", {
        x: Math.min(x(new Date(at)) - markWidth / 2, width - markWidth), y: bandTop + 1, width: markWidth,
        height: BAND - 4, rx: 1, class: `mark prof-${row.profession}`,
      }));
    }
    top = bandTop + BAND + GAP;
    return group;
  });
  probe.remove();
  const bottom = Math.max(top - GAP, 0);

  const grid = el("g", { class: "grid", "aria-hidden": "true" });
  const monthName = new Intl.DateTimeFormat(language, { month: "short" });
  const months = monthStarts(since, until);
  const every = months.length > 6 ? 2 : 1; // a year at 360 px: every other month keeps labels apart
  months.forEach((start, index) => {
    const at = x(start);
    grid.append(el("line", { x1: at, x2: at, y1: 0, y2: bottom, class: "gridline" }));
    if (index % every === 0 && at < width - 24) {
      grid.append(el("text", { x: at + 2, y: bottom + 15, class: "axis" }, monthName.format(start)));
    }
  });
  svg.append(grid, ...groups);
  const height = bottom + AXIS;
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  return svg;
}
