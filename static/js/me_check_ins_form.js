// The two check-in forms: one on a person (six statements, never … always), one on life and care (eleven domains,
// 1–7, each with "I want more help with this"). A form carries a client_id from the moment it is opened, so that a
// double tap or a resend after a lost answer is stored once; answers stay in the form until the server has them.
import { api, HttpError } from "./api.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";

const FORMS = { relationship: "ci-relationship", dialog: "ci-dialog" };
let current = null; // { kind, professional_id, clientId }
let onSent = () => {};

const formOf = (kind) => $(FORMS[kind]);
const scales = (form) => [...form.querySelectorAll("fieldset.scale")];

// A question's group gets the class `invalid` (its error is in its aria-describedby); the text field gets
// aria-invalid.
function mark(target, on) {
  if (target.matches("fieldset")) target.classList.toggle("invalid", on);
  else if (on) target.setAttribute("aria-invalid", "true");
  else target.removeAttribute("aria-invalid");
}

function clearErrors(form) {
  for (const error of form.querySelectorAll(".field-error")) error.textContent = "";
  for (const field of form.querySelectorAll(".invalid, [aria-invalid]")) mark(field, false);
}

function setError(form, item, message) {
  const fieldset = form.querySelector(`fieldset[data-item="${CSS.escape(item)}"]`);
  const target = fieldset || (item === "what_would_help" ? $("ci-help") : form.querySelector(".share-choice"));
  if (!target) return null;
  const error = fieldset ? fieldset.querySelector(".field-error")
    : item === "what_would_help" ? $("ci-help-error") : form.querySelector(".form-error");
  error.textContent = message;
  mark(target, true);
  return target;
}

function focusFirstError(form) {
  const invalid = form.querySelector(".invalid, [aria-invalid]");
  const input = invalid?.matches("fieldset") ? invalid.querySelector("input") : invalid;
  (input || invalid)?.focus();
}

// The body the API takes, and the items with no answer.
function read(form, kind) {
  const scores = {};
  const missing = [];
  for (const fieldset of scales(form)) {
    const item = fieldset.dataset.item;
    const chosen = fieldset.querySelector("input[type=radio]:checked");
    if (chosen) scores[item] = Number(chosen.value);
    else missing.push(item);
  }
  const body = { kind, client_id: current.clientId, scores, share: form.share.value };
  if (kind === "relationship") {
    body.professional_id = current.professional_id;
    const text = $("ci-help").value.trim();
    if (text) body.what_would_help = text;
  } else {
    body.more_help = [...form.querySelectorAll("input[name=more_help]:checked")].map((box) => box.value);
  }
  return { body, missing };
}

// A 422's fields ("scores.safe", "what_would_help", "share") shown beside their questions.
function showProblem(form, error) {
  const errors = (error.body && error.body.errors) || {};
  let shown = 0;
  for (const [path, messages] of Object.entries(errors)) {
    const item = path.startsWith("scores.") ? path.slice("scores.".length) : path;
    if (setError(form, item, [].concat(messages).join(" "))) shown += 1;
  }
  return shown;
}

async function send(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const submit = form.querySelector("button[type=submit]");
  const status = form.querySelector(".send-status");
  if (submit.disabled || !current) return; // a second tap while the first is on its way
  clearErrors(form);
  const { body, missing } = read(form, current.kind);
  if (missing.length) {
    for (const item of missing) setError(form, item, t("ci_missing"));
    form.querySelector(".form-error").textContent = t("ci_fix");
    status.textContent = "";
    focusFirstError(form);
    return;
  }
  submit.disabled = true;
  status.textContent = "";
  try {
    const made = await api("/api/v1/me/check-ins", { method: "POST", body });
    close();
    onSent(made);
  } catch (error) {
    if (!(error instanceof HttpError)) status.textContent = t("ci_offline");
    else if (error.status === 422 && showProblem(form, error)) {
      form.querySelector(".form-error").textContent = t("ci_fix");
      focusFirstError(form);
    } else status.textContent = t("ci_failed", { reason: error.message });
  } finally {
    submit.disabled = false;
  }
}

export function close() {
  for (const kind of Object.keys(FORMS)) {
    const form = formOf(kind);
    form.reset();
    clearErrors(form);
    form.querySelector(".send-status").textContent = "";
    form.hidden = true;
  }
  current = null;
  $("ci-offers").hidden = false;
}

// Open the form for a relationship ({professional_id, name}) or for life and care; the offers step aside.
export function open(kind, person = null) {
  close();
  current = { kind, professional_id: person ? person.professional_id : null, clientId: crypto.randomUUID() };
  const form = formOf(kind);
  if (person) $("ci-rel-title").textContent = t("ci_about", { name: person.name });
  $("ci-offers").hidden = true;
  form.hidden = false;
  form.querySelector("h2").setAttribute("tabindex", "-1");
  form.querySelector("h2").focus();
  form.scrollIntoView({ block: "start" });
}

// Wire both forms; `sent(checkIn)` runs after the server has stored one.
export function setUp(sent) {
  onSent = sent;
  for (const kind of Object.keys(FORMS)) {
    const form = formOf(kind);
    form.addEventListener("submit", send);
    form.querySelector("button.cancel").addEventListener("click", close);
    // an answer given clears the mark on its question
    form.addEventListener("change", (event) => {
      const fieldset = event.target.closest("fieldset.scale");
      if (fieldset && event.target.type === "radio") {
        mark(fieldset, false);
        fieldset.querySelector(".field-error").textContent = "";
      }
    });
  }
}
