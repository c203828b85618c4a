// The crisis-plan form: fill it from a version, read it back into a plan body with the same checks the server
// makes (phone numbers, lengths, ranges), show errors beside their fields, and describe a section in words for
// the merge view. Field paths are the body's own: "support_contacts.0.phone", "patient_controlled_admission.…".
import { node } from "./dom.js";
import { t } from "./i18n.js";

const article = document.getElementById("cp");
const MAX_ITEMS = Number(article.dataset.maxItems || 30);
const [PHONE_MIN, PHONE_MAX] = (article.dataset.phoneDigits || "3,15").split(",").map(Number);
const MAX_LINE = 200;
const MAX_TEXT = 4000;
// The same rule as wardtrack/crisisplans/schemas.py: digits with separators between them, an optional + first.
const PHONE_SHAPE = /^\+?[0-9(][0-9 ()-]*[0-9]$/;

export const sections = [...document.querySelectorAll("#cp-form [data-field]")]
  .map((element) => ({ field: element.dataset.field, kind: element.dataset.kind, element }));
export const label = (field) => t(`cp_section_${field}`);

export function phoneProblem(number) {
  if (number.length > 30 || !PHONE_SHAPE.test(number)) return t("cp_phone_shape");
  const digits = (number.match(/\d/g) || []).length;
  if (digits < PHONE_MIN || digits > PHONE_MAX) return t("cp_phone_digits", { min: PHONE_MIN, max: PHONE_MAX, count: digits });
  const count = (ch) => number.split(ch).length - 1;
  if (/[ ()-]{3,}|--|\(\)/.test(number) || count("(") !== count(")")) return t("cp_phone_shape");
  return null;
}

// A value as the server keeps it, for comparing: empty lists, empty text and nulls are all "nothing".
function canonical(value) {
  if (value === null || value === undefined || value === "") return undefined;
  if (Array.isArray(value)) return value.length ? value.map(canonical) : undefined;
  if (typeof value === "object") {
    const entries = Object.keys(value).sort().map((key) => [key, canonical(value[key])]).filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}
export const same = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function contactRow(list, kind, contact = {}) {
  const row = document.getElementById("contact-row").content.firstElementChild.cloneNode(true);
  const field = list.closest("[data-field]").dataset.field;
  const index = list.children.length;
  const id = `cp-${field}-${index}-${Math.random().toString(36).slice(2, 7)}`;
  for (const part of ["name", "phone", "when"]) {
    const input = row.querySelector(`input.${part}`);
    const text = row.querySelector(`.${part}-label`);
    const error = row.querySelector(`.${part}-error`);
    if (part === "when" && kind !== "services") {
      input.remove(); text.remove(); error.remove();
      continue;
    }
    input.id = `${id}-${part}`;
    error.id = `${id}-${part}-error`;
    input.setAttribute("aria-describedby", error.id);
    text.htmlFor = input.id;
    text.textContent = t(`cp_${part}`);
    input.value = contact[part] || "";
    if (part === "phone") input.addEventListener("change", () => checkPhone(input));
  }
  row.querySelector(".row-title").textContent = t(kind === "services" ? "cp_service" : "cp_person", { n: index + 1 });
  const remove = row.querySelector(".remove");
  remove.textContent = t("cp_remove");
  remove.addEventListener("click", () => {
    row.remove();
    renumber(list, kind);
  });
  list.append(row);
  return row;
}

function renumber(list, kind) {
  [...list.children].forEach((row, index) => {
    row.querySelector(".row-title").textContent = t(kind === "services" ? "cp_service" : "cp_person", { n: index + 1 });
  });
}

function checkPhone(input) {
  const problem = input.value.trim() ? phoneProblem(input.value.trim()) : null;
  setError(input, problem);
  return problem;
}

function setError(input, message) {
  const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  const error = ids.length ? document.getElementById(ids[ids.length - 1])
    : input.closest(".cp-section")?.querySelector(".field-error");
  if (error) error.textContent = message || "";
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

export function clearErrors() {
  for (const input of document.querySelectorAll("#cp-form [aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const error of document.querySelectorAll("#cp-form .field-error")) error.textContent = "";
}

export function setupForm() {
  for (const { kind, element } of sections) {
    if (kind === "people" || kind === "services") {
      const list = element.querySelector(".contact-rows");
      element.querySelector(".add").addEventListener("click", () => contactRow(list, kind).querySelector("input").focus());
    }
  }
  for (const radio of document.querySelectorAll('input[name="pca"]')) radio.addEventListener("change", showAdmission);
}

function showAdmission() {
  const chosen = document.querySelector('input[name="pca"]:checked')?.value || "";
  document.querySelector(".pca-details").hidden = chosen === "";
}

const form = () => document.getElementById("cp-form");

/** Put `plan` (a version, or null) into the form; "reviewed with the patient" is left unanswered. */
export function fill(plan) {
  const value = (field) => (plan ? plan[field] : undefined);
  for (const { field, kind, element } of sections) {
    const current = value(field);
    if (kind === "list") element.querySelector("textarea").value = (current || []).join("\n");
    else if (kind === "text") element.querySelector("textarea").value = current || "";
    else if (kind === "people" || kind === "services") {
      const list = element.querySelector(".contact-rows");
      list.replaceChildren();
      for (const contact of current || []) contactRow(list, kind, contact);
      if (!list.children.length) contactRow(list, kind);
    } else fillAdmission(current);
  }
}

function fillAdmission(agreement) {
  const f = form();
  const choice = agreement ? (agreement.agreed ? "yes" : "no") : "";
  for (const radio of f.querySelectorAll('input[name="pca"]')) radio.checked = radio.value === choice;
  const ward = agreement?.ward_id ? String(agreement.ward_id) : "";
  if (ward && ![...f.pca_ward.options].some((option) => option.value === ward)) {
    f.pca_ward.append(new Option(t("ward_n", { id: ward }), ward));
  }
  f.pca_ward.value = ward;
  f.pca_days.value = agreement?.max_days_per_stay ?? 5;
  f.pca_between.value = agreement?.min_days_between_stays ?? 14;
  f.pca_until.value = agreement?.valid_until || "";
  f.pca_how.value = agreement?.how_to_ask || "";
  showAdmission();
}

function readList(textarea, field, errors) {
  const lines = textarea.value.split("\n").map((line) => line.trim()).filter(Boolean);
  if (lines.length > MAX_ITEMS) errors.push([textarea, t("cp_too_many", { max: MAX_ITEMS })]);
  const long = lines.findIndex((line) => line.length > MAX_LINE);
  if (long >= 0) errors.push([textarea, t("cp_line_too_long", { line: long + 1, max: MAX_LINE })]);
  return lines.length ? lines : undefined;
}

function readContacts(element, kind, errors) {
  const contacts = [];
  for (const row of element.querySelectorAll(".contact-row")) {
    const read = (part) => row.querySelector(`input.${part}`)?.value.trim() || "";
    const contact = { name: read("name"), phone: read("phone"), when: read("when") };
    if (!contact.name && !contact.phone && !contact.when) continue;
    if (!contact.name) errors.push([row.querySelector("input.name"), t("cp_name_needed")]);
    if (contact.phone) {
      const problem = phoneProblem(contact.phone);
      if (problem) errors.push([row.querySelector("input.phone"), problem]);
    }
    for (const part of ["name", "when"]) {
      if (contact[part].length > MAX_LINE) errors.push([row.querySelector(`input.${part}`), t("cp_text_too_long", { max: MAX_LINE })]);
    }
    contacts.push(Object.fromEntries(Object.entries(contact).filter(([key, v]) => v && (key !== "when" || kind === "services"))));
  }
  return contacts.length ? contacts : undefined;
}

function readAdmission(errors) {
  const f = form();
  const choice = f.querySelector('input[name="pca"]:checked')?.value || "";
  if (!choice) return undefined;
  const whole = (input, min, max) => {
    const number = Number(input.value);
    if (!Number.isInteger(number) || input.value.trim() === "" || number < min || number > max) {
      errors.push([input, t("cp_days_range", { min, max })]);
    }
    return number;
  };
  const agreement = { agreed: choice === "yes", max_days_per_stay: whole(f.pca_days, 1, 14),
    min_days_between_stays: whole(f.pca_between, 0, 365) };
  if (f.pca_ward.value) agreement.ward_id = Number(f.pca_ward.value);
  if (f.pca_until.value) agreement.valid_until = f.pca_until.value;
  const how = f.pca_how.value.trim();
  if (how.length > 1000) errors.push([f.pca_how, t("cp_text_too_long", { max: 1000 })]);
  if (how) agreement.how_to_ask = how;
  return agreement;
}

/** The form as a plan body (content only) and the problems found: [[input, message], …]. */
export function collect() {
  const body = {};
  const errors = [];
  for (const { field, kind, element } of sections) {
    let value;
    if (kind === "list") value = readList(element.querySelector("textarea"), field, errors);
    else if (kind === "text") {
      const textarea = element.querySelector("textarea");
      value = textarea.value.trim() || undefined;
      if (value && value.length > MAX_TEXT) errors.push([textarea, t("cp_text_too_long", { max: MAX_TEXT })]);
    } else if (kind === "people" || kind === "services") value = readContacts(element, kind, errors);
    else value = readAdmission(errors);
    if (value !== undefined) body[field] = value;
  }
  return { body, errors };
}

export function showErrors(errors) {
  for (const [input, message] of errors) setError(input, message);
  errors[0]?.[0].focus();
}

// The input a server error path names ("support_contacts.0.phone", "note", "patient_controlled_admission.x").
const ADMISSION_INPUTS = { max_days_per_stay: "pca_days", min_days_between_stays: "pca_between", how_to_ask: "pca_how",
  valid_until: "pca_until", ward_id: "pca_ward" };
export function inputFor(path) {
  const [field, index, part] = path.split(".");
  const section = sections.find((s) => s.field === field);
  if (!section) return null;
  if (section.kind === "list" || section.kind === "text") return section.element.querySelector("textarea");
  if (section.kind === "admission") return form()[ADMISSION_INPUTS[index]] || form().querySelector('input[name="pca"]');
  const row = section.element.querySelectorAll(".contact-row")[Number(index)];
  return row?.querySelector(`input.${part || "name"}`) || null;
}

/** A section's value in words, one line each, for the merge view. */
export function describe(field, value) {
  const kind = sections.find((s) => s.field === field)?.kind;
  if (canonical(value) === undefined) return [t("cp_empty")];
  if (kind === "list") return value;
  if (kind === "text") return [value];
  if (kind === "people" || kind === "services") {
    return value.map((c) => [c.name, c.phone, c.when].filter(Boolean).join(" · "));
  }
  const lines = [value.agreed ? t("cp_pca_yes", { days: value.max_days_per_stay, between: value.min_days_between_stays })
    : t("cp_pca_no")];
  if (value.valid_until) lines.push(value.valid_until);
  if (value.how_to_ask) lines.push(value.how_to_ask);
  return lines;
}

export const list = (lines) => {
  const element = node("ul", undefined, "preview");
  element.append(...lines.map((line) => node("li", line)));
  return element;
};

/** Append a line (a patient's suggestion) to a list or text section; false when the section takes no free text. */
export function appendTo(field, text) {
  const section = sections.find((s) => s.field === field);
  if (!section || !(section.kind === "list" || section.kind === "text")) return false;
  const textarea = section.element.querySelector("textarea");
  const joiner = section.kind === "list" ? "\n" : "\n\n";
  textarea.value = textarea.value.trim() ? `${textarea.value.trimEnd()}${joiner}${text.trim()}` : text.trim();
  textarea.focus();
  return true;
}
