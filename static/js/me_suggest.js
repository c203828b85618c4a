// My suggestions for my crisis plan: write one and send it; see whether the staff have answered with a new version.
// Sending needs the network; the text stays in the form until it is sent, and is never stored on the phone.
import { api, HttpError } from "./api.js";
import { $, node as element } from "./dom.js";
import { language, t } from "./i18n.js";

const dateOnly = (iso) => new Date(iso).toLocaleDateString(language, { dateStyle: "medium" });

function sectionName(code) {
  const option = code ? $("suggest-section").querySelector(`option[value="${CSS.escape(code)}"]`) : null;
  return option ? option.textContent : t("me_suggest_whole_plan");
}

function suggestionLine(item) {
  const line = element("li", undefined, "card suggestion");
  line.append(element("p", sectionName(item.section), "suggestion-section"));
  line.append(...(item.text || "").split(/\n+/).filter(Boolean).map((text) => element("p", text)));
  const status = item.status === "answered"
    ? t("me_suggest_answered", { version: item.answered_version })
    : t("me_suggest_open", { date: dateOnly(item.created_at) });
  line.append(element("p", status, `note suggestion-status ${item.status}`));
  return line;
}

function list(items, prepend = false) {
  const lines = items.map(suggestionLine);
  if (prepend) $("suggest-list").prepend(...lines);
  else $("suggest-list").replaceChildren(...lines);
  $("suggest-list-title").hidden = $("suggest-list").children.length === 0;
}

async function send(event) {
  event.preventDefault();
  const form = $("suggest-form");
  const button = $("suggest-send");
  const status = $("suggest-status");
  if (button.disabled) return;
  if (!form.text.value.trim()) {
    status.textContent = t("me_suggest_empty");
    form.text.focus();
    return;
  }
  button.disabled = true;
  const body = { text: form.text.value };
  if (form.section.value) body.section = form.section.value;
  try {
    const created = await api("/api/v1/me/crisis-plan/suggestions", { method: "POST", body });
    list([created], true);
    form.reset();
    status.textContent = t("me_suggest_sent");
  } catch (error) {
    if (!(error instanceof HttpError)) status.textContent = t("me_suggest_offline");
    else status.textContent = t("me_suggest_failed", { reason: error.message });
  } finally {
    button.disabled = false;
  }
}

// Show the form and my suggestions; `load` is the page's API call that asks for a login on 401.
export async function showSuggestions(load) {
  $("suggest-form").addEventListener("submit", send);
  const page = await load("/api/v1/me/crisis-plan/suggestions?limit=20");
  list(page.items);
  $("suggest").hidden = false;
}
