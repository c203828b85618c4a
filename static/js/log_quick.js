// Quick-add on the log page: a professional without a login (an on-call doctor, a locum) added to the chosen
// ward and chosen at once. Online only: the server gives the new professional's id, which the contact needs.
import { api, HttpError } from "./api.js";
import { askLogin } from "./login.js";
import { t } from "./i18n.js";
import { $ } from "./dom.js";

const EXPIRED = t("expired");

const QUICK_FIELDS = ["name", "profession", "work_phone"];

function quickAddOpen(open) {
  $("quick-add").hidden = !open;
  $("quick-add-toggle").setAttribute("aria-expanded", String(open));
  if (open) {
    quickAddNetwork();
    $("qa-name").focus();
  }
}

function quickAddNetwork() {
  $("qa-offline").hidden = navigator.onLine;
  $("qa-save").disabled = !navigator.onLine;
}

const QUICK_WORDS = { work_phone: "log_quick_phone" };

function quickAddErrors(errors = {}) {
  for (const field of QUICK_FIELDS) {
    // The page's own words where it has them: the server's are in English.
    const messages = errors[field] && (QUICK_WORDS[field] ? [t(QUICK_WORDS[field])] : errors[field]);
    $(`qa-${field}-error`).textContent = messages ? [].concat(messages).join(" ") : "";
    $(`qa-${field}`).toggleAttribute("aria-invalid", Boolean(messages));
  }
  const others = Object.entries(errors).filter(([field]) => !QUICK_FIELDS.includes(field));
  $("qa-message").textContent = others.map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`).join(" ");
}

async function quickAdd() {
  quickAddErrors();
  const name = $("qa-name").value.trim();
  if (!name) {
    quickAddErrors({ name: [t("log_quick_name")] });
    return;
  }
  if (!navigator.onLine) return quickAddNetwork();
  const body = { name, profession: $("qa-profession").value, ward_ids: [Number($("ward").value)] };
  const phone = $("qa-work_phone").value.trim();
  if (phone) body.work_phone = phone;
  let created;
  try {
    created = await api("/api/v1/professionals", { method: "POST", body });
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) return askLogin(EXPIRED).then(quickAdd);
    if (error instanceof HttpError && error.status === 422 && error.body && error.body.errors) {
      return quickAddErrors(error.body.errors);
    }
    $("qa-message").textContent = error instanceof HttpError ? error.message : t("log_quick_offline");
    return;
  }
  const select = $("professional");
  select.append(new Option(created.name, created.id));
  select.value = String(created.id);
  for (const field of ["qa-name", "qa-work_phone"]) $(field).value = "";
  quickAddOpen(false);
  $("quick-add-toggle").focus();
  $("form-message").textContent = t("log_quick_added", { name: created.name });
  $("form-message").classList.remove("echo"); // shown, not only announced (log_status.js)
}

export function bindQuickAdd() {
  $("quick-add-toggle").addEventListener("click", () => quickAddOpen($("quick-add").hidden));
  $("qa-cancel").addEventListener("click", () => { quickAddOpen(false); $("quick-add-toggle").focus(); });
  $("qa-save").addEventListener("click", quickAdd);
  // Enter in the small form adds the professional instead of saving the contact around it.
  $("quick-add").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.tagName === "INPUT") {
      event.preventDefault();
      quickAdd();
    }
  });
  window.addEventListener("online", quickAddNetwork);
  window.addEventListener("offline", quickAddNetwork);
}
