// The continuity measures with a plain verdict each: a band (high, medium, low) from the documented cut-offs
// (docs/measures.md) and one line saying what it means, plus one reading of KPC and COC together, so that
// "KPC 0.89 beside COC 0.07" reads as one picture: known people, but many of them.
import { t } from "./i18n.js";

// [high from, medium from] per measure (a value ≥ the first is high, ≥ the second medium, else low); KPC's
// "high > 74 %" is ≥ 0.745 as the page rounds it, kept as ≥ 0.75 on the 0–1 scale the API returns.
export const BANDS = { upc: [0.75, 0.5], coc: [0.7, 0.3], secon: [0.7, 0.3], kpc: [0.75, 0.3] };

export function band(measure, value) {
  if (value === null || value === undefined) return null;
  const [high, medium] = BANDS[measure];
  const rounded = Math.round(value * 100) / 100; // the verdict agrees with the two decimals shown
  return rounded >= high ? "high" : rounded >= medium ? "medium" : "low";
}

const decimals = (value) => value.toFixed(2);
function range(measure, level) {
  const [high, medium] = BANDS[measure];
  if (level === "high") return `≥ ${decimals(high)}`;
  if (level === "medium") return `${decimals(medium)}–${decimals(high - 0.01)}`;
  return `< ${decimals(medium)}`;
}

/** One line for KPC and COC together, or "" when either is undefined. */
export function reading(measures) {
  const kpc = band("kpc", measures.kpc);
  const coc = band("coc", measures.coc);
  if (!kpc || !coc) return "";
  if (kpc === "low") return t("patient_reading_low");
  return t(`patient_reading_${kpc}_${coc === "high" ? "few" : "many"}`);
}

export function showMeasures(list, readingLine, measures) {
  for (const item of list.querySelectorAll("[data-measure]")) {
    const key = item.dataset.measure;
    const value = measures[key];
    const shown = value === null ? t("patient_undefined")
      : key in BANDS ? value.toFixed(2) : String(value); // a share always with two decimals, a count as it is
    item.querySelector(".value").textContent = shown;
    const verdict = item.querySelector(".verdict");
    if (!(key in BANDS)) continue;
    const level = band(key, value);
    item.dataset.band = level || "none";
    verdict.textContent = level
      ? `${t(`patient_band_${level}`)} (${range(key, level)}): ${t(`patient_verdict_${key}_${level}`)}`
      : t("patient_measure_too_few");
  }
  readingLine.textContent = reading(measures);
  readingLine.hidden = !readingLine.textContent;
}
