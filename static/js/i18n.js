// The page's language for scripts: the server embeds its catalogue of JS strings in every page.
const catalogue = JSON.parse(document.getElementById("i18n")?.textContent || "{}");

// t("not_sent_yet", { reason }) → the translated string with {placeholders} filled in; the key if unknown.
export function t(key, params = {}) {
  const text = catalogue[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export const language = document.documentElement.lang || "en";
