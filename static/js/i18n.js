// The page's language for scripts: the server embeds its catalogue of JS strings in every page.
const catalogue = JSON.parse(document.getElementById("i18n")?.textContent || "{}");

// t("not_sent_yet", { reason }) → the translated string with {placeholders} filled in; the key if unknown.
export function t(key, params = {}) {
  const text = catalogue[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export const language = document.documentElement.lang || "en";

// Why a flag holds, in the page's language: each of flag.reasons ({key, params}, language-neutral) worded with
// t(`reason_${key}`); ISO dates, name lists, contact kinds and 0–1 shares are formatted here. A flag stored
// before reasons existed, or with a reason this page does not know, shows the server's English `detail`.
const isoDate = new Intl.DateTimeFormat(language, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const share = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 });
const names = new Intl.ListFormat(language, { style: "long", type: "conjunction" });
const lowerFirst = (text) => text.charAt(0).toLocaleLowerCase(language) + text.slice(1);

function reasonParams(params = {}) {
  const shown = { ...params };
  if (typeof params.date === "string") shown.date = isoDate.format(new Date(`${params.date}T00:00:00Z`));
  if (Array.isArray(params.names)) shown.names = names.format(params.names.map(String));
  if (typeof params.share === "number") shown.share = share.format(params.share);
  if (typeof params.kind === "string") shown.kind = lowerFirst(t(`kind_${params.kind}`));
  if (params.ward === undefined && params.ward_id !== undefined) shown.ward = t("board_ward_n", { id: params.ward_id });
  return shown;
}

export function flagReasons(flag) {
  const reasons = Array.isArray(flag.reasons) ? flag.reasons : [];
  if (!reasons.length || reasons.some(({ key }) => !(`reason_${key}` in catalogue))) return flag.detail;
  return reasons.map(({ key, params }) => `${t(`reason_${key}`, reasonParams(params))}.`).join(" ");
}
