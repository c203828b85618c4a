// The relationship timeline: an inline SVG with one row per professional and a mark per contact, coloured by
// profession (with the profession written in each row, so colour is never the only cue). No library.
const SVG = "http://www.w3.org/2000/svg";
const ROW = 42;      // height of one professional's row: a label line and a band of marks
const AXIS = 22;     // month labels at the bottom
const PAD = 6;

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
 * Draw `data` (the /timeline response) into `container`.
 * `labels`: { title, desc, profession(code) → text, newLabel }, `language`: for month names.
 */
export function drawTimeline(container, data, labels, language = "en") {
  const since = new Date(data.since);
  const until = new Date(data.until);
  const width = Math.max(260, Math.floor(container.clientWidth || 320));
  const rows = data.professionals;
  const height = rows.length * ROW + AXIS + 4;
  const span = until - since || 1;
  const x = (at) => PAD + ((at - since) / span) * (width - 2 * PAD);
  const svg = el("svg", {
    width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "timeline-svg-title timeline-svg-desc",
    class: "timeline-svg", "data-rows": rows.length,
  });
  svg.append(el("title", { id: "timeline-svg-title" }, labels.title), el("desc", { id: "timeline-svg-desc" }, labels.desc));

  const grid = el("g", { class: "grid", "aria-hidden": "true" });
  const monthName = new Intl.DateTimeFormat(language, { month: "short" });
  const months = monthStarts(since, until);
  const every = months.length > 6 ? 2 : 1; // a year at 360 px: every other month keeps labels apart
  months.forEach((start, index) => {
    const at = x(start);
    grid.append(el("line", { x1: at, x2: at, y1: 0, y2: rows.length * ROW, class: "gridline" }));
    if (index % every === 0 && at < width - 24) {
      grid.append(el("text", { x: at + 2, y: rows.length * ROW + 15, class: "axis" }, monthName.format(start)));
    }
  });
  svg.append(grid);

  const markWidth = data.window_days > 120 ? 2 : 3;
  rows.forEach((row, index) => {
    const top = index * ROW;
    const group = el("g", { class: "row", "data-professional-id": row.professional_id, "aria-hidden": "true" });
    const label = `${row.name} · ${labels.profession(row.profession)}${row.known_before ? "" : ` · ${labels.newLabel}`}`;
    group.append(el("rect", { x: 0, y: top + 22, width, height: 16, class: "band" }));
    group.append(el("text", { x: PAD, y: top + 15, class: "label" }, label));
    for (const at of row.contacts) {
      group.append(el("rect", {
        x: Math.min(x(new Date(at)) - markWidth / 2, width - markWidth), y: top + 23, width: markWidth, height: 14,
        rx: 1, class: `mark prof-${row.profession}`,
      }));
    }
    svg.append(group);
  });
  container.replaceChildren(svg);
  return svg;
}
