// What happened to each contact, beside the Save button: sending…, saved (kind · patient · who), waiting
// (offline) or not saved with the reason in plain words; Undo for 10 minutes after a contact is saved.
// The newest line is also announced (#form-message is a live region). Names come from the page's memory.
import { api, HttpError } from "./api.js";
import { $, node } from "./dom.js";
import { t } from "./i18n.js";

export const UNDO_MS = 10 * 60 * 1000;
const SHOWN = 4; // the newest lines kept in view
const lines = new Map(); // client_id → { item, element }

// "Conversation · Geir Aas · by you", from codes and ids, with the page's own labels and names.
export function describe(item, names) {
  const kind = $("kind").querySelector(`option[value="${item.kind}"]`)?.textContent.trim() || t("log_kind_other");
  const patient = names.patient(item.patient_id) || t("log_patient_unknown");
  const who = names.isMe(item.professional_id) ? t("log_by_you")
    : t("log_by", { name: names.professional(item.professional_id) || t("log_someone") });
  return `${kind} · ${patient} · ${who}`;
}

// The server's answer in plain words: never its JSON, codes or ids.
export function reason(result) {
  const errors = (result && result.errors) || {};
  if (result.status === 422 && errors.occurred_at) return t("log_reason_time");
  if (result.status === 422 && errors.professional_id) return t("log_reason_professional");
  if (result.status === 422 && errors.ward_id) return t("log_reason_ward");
  const plain = { 401: t("log_reason_401"), 403: t("log_reason_403"), 404: t("reason_404"), 409: t("reason_409"), 422: t("reason_422") };
  return plain[result.status] || t("log_reason_other");
}

// The newest line, announced by the live region beside the button; shown there only once (the list shows it).
function announce(text) {
  $("form-message").textContent = text;
  $("form-message").classList.add("echo");
}

// Any other message beside the button (a missing choice, a professional added): shown and announced.
export function say(text) {
  $("form-message").textContent = text;
  $("form-message").classList.remove("echo");
}

// Show (or update) the line of one contact; state is sending, saved, waiting, rejected or undone.
export function show(item, state, names, extra = {}) {
  let line = lines.get(item.client_id);
  if (!line) {
    line = { item, element: node("li") };
    lines.set(item.client_id, line);
    $("contact-states").prepend(line.element);
    for (const [id, old] of [...lines].slice(0, -SHOWN)) { old.element.remove(); lines.delete(id); }
  }
  Object.assign(line, extra);
  const what = describe(item, names);
  const text = {
    sending: t("log_state_sending", { what }), saved: t("log_state_saved", { what }),
    waiting: t("log_state_waiting", { what }), undone: t("log_state_undone", { what }),
    undo_failed: t("log_state_undo_failed", { what, reason: extra.reason || "" }),
    in_error: t("log_state_in_error", { what }),
    rejected: t("log_state_rejected", { what, reason: extra.reason || "" }),
  }[state];
  line.element.className = `state state-${state}`;
  line.element.replaceChildren(node("span", text));
  if ((state === "saved" || state === "undo_failed") && line.contactId) addUndo(line, names);
  announce(text);
}

// Undo for 10 minutes; after that "Entered in error…", which asks why.
function addUndo(line, names) {
  const left = UNDO_MS - (Date.now() - line.savedAt);
  if (left <= 0) return addInError(line, names);
  const undo = node("button", t("log_undo"), "quiet undo");
  undo.type = "button";
  undo.setAttribute("aria-label", t("log_undo_label", { what: describe(line.item, names) }));
  undo.addEventListener("click", () => retract(line, names, undo, "undone by the author", "undone"));
  line.element.append(undo);
  setTimeout(() => { if (undo.isConnected) { undo.remove(); addInError(line, names); } }, left);
}

function addInError(line, names) {
  const what = describe(line.item, names);
  const open = node("button", t("log_in_error"), "quiet undo");
  open.type = "button";
  open.setAttribute("aria-label", t("log_in_error_label", { what }));
  open.addEventListener("click", () => {
    // Not a <form>: this sits inside the contact form, whose submit must not fire.
    const form = node("div", undefined, "in-error");
    const id = `why-${line.item.client_id}`;
    const label = node("label", t("log_in_error_why"));
    label.htmlFor = id;
    const input = node("input");
    Object.assign(input, { id, required: true, maxLength: 500, autocomplete: "off" });
    const submit = node("button", t("log_in_error_confirm"));
    submit.type = "button";
    form.append(label, input, submit);
    const send = () => { if (input.value.trim()) retract(line, names, submit, input.value.trim(), "in_error"); };
    submit.addEventListener("click", send);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter here marks this contact; it does not save a new one
        send();
      }
    });
    open.replaceWith(form);
    input.focus();
  });
  line.element.append(open);
}

async function retract(line, names, button, why, done) {
  button.disabled = true;
  try {
    await api(`/api/v1/contacts/${line.contactId}/retract`, { method: "POST", body: { reason: why } });
    show(line.item, done, names);
  } catch (error) {
    const why = error instanceof HttpError ? reason({ status: error.status, errors: error.body?.errors }) : t("log_undo_offline");
    show(line.item, "undo_failed", names, { reason: why });
  }
}
