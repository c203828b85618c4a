// The board's dialogs: acknowledge or resolve a flag with a note, name a key person, list, add and end
// maintenance plans. Refusals (409, 422, 403) are said in the dialog; a conflict reloads the board.
import { HttpError } from "./api.js";
import { flagReasons, t } from "./i18n.js";
import { button, node } from "./dom.js";

const $ = (id) => document.getElementById(id);
let current = null; // what the open dialog acts on
let hooks = null; // { call, afterChange, reloadBoard, say, professionals }


function reason(error) {
  if (!(error instanceof HttpError)) return t("no_network");
  const fields = error.body && error.body.errors ? Object.values(error.body.errors).flat().join(" ") : "";
  return fields || error.message;
}

function professionalOptions(select) {
  select.replaceChildren(new Option(t("board_choose"), ""), ...hooks.professionals().map((p) => new Option(
    `${p.name} · ${t(`prof_${p.profession}`)}`, p.id)));
}

export function openFlag(flag, entry, action) {
  current = { flag, entry, action };
  const label = t(`board_flag_${flag.code}`);
  $("flag-dialog-title").textContent = t(action === "acknowledge" ? "board_ack_title" : "board_resolve_title", { flag: label });
  $("flag-dialog-detail").textContent = `${entry.patient.display_name}: ${flagReasons(flag)}`;
  $("flag-submit").textContent = action === "acknowledge" ? t("board_ack") : t("board_resolve");
  $("flag-note").value = "";
  $("flag-dialog-message").textContent = "";
  $("flag-dialog").showModal();
  $("flag-note").focus();
}

async function submitFlag(event) {
  event.preventDefault();
  const note = $("flag-note").value.trim();
  if (!note) {
    $("flag-dialog-message").textContent = t("board_note_needed");
    return;
  }
  const { flag, action } = current;
  try {
    await hooks.call(`/api/v1/flags/${flag.id}/${action}`, { method: "POST", body: { note } });
  } catch (error) {
    return failedIn("flag-dialog", error);
  }
  $("flag-dialog").close();
  await hooks.afterChange();
}

export function openPerson(entry, role) {
  current = { entry, role };
  $("person-dialog-title").textContent = t("board_name_title", {
    role: t(`patient_role_${role}`).toLowerCase(), patient: entry.patient.display_name,
  });
  professionalOptions($("person-professional"));
  if (entry[role]) $("person-professional").value = String(entry[role].professional_id);
  $("person-chosen-row").hidden = role !== "safety_person";
  $("person-chosen").checked = true;
  $("person-dialog-message").textContent = "";
  $("person-dialog").showModal();
}

async function submitPerson(event) {
  event.preventDefault();
  const chosen = Number($("person-professional").value);
  if (!chosen) {
    $("person-dialog-message").textContent = t("choose");
    return;
  }
  const { entry, role } = current;
  const path = role === "safety_person" ? "safety-person" : "primary-contact";
  const body = { professional_id: chosen, chosen_by_patient: role === "safety_person" && $("person-chosen").checked };
  try {
    await hooks.call(`/api/v1/patients/${entry.patient.id}/${path}`, { method: "PUT", body });
  } catch (error) {
    return failedIn("person-dialog", error);
  }
  $("person-dialog").close();
  await hooks.afterChange();
}

function professionalName(id) {
  const found = hooks.professionals().find((p) => p.id === id);
  return found ? found.name : t("board_unknown_professional", { id });
}

async function showPlans() {
  const { entry } = current;
  const plans = await hooks.call(`/api/v1/patients/${entry.patient.id}/maintenance-plans`);
  const active = plans.items.filter((plan) => plan.active);
  $("plan-list").replaceChildren(...(active.length ? active.map((plan) => {
    const item = node("li");
    item.dataset.planId = plan.id;
    item.append(node("span", t("board_plan_line", { name: professionalName(plan.professional_id), days: plan.interval_days })));
    const end = button(t("board_end"), () => endPlan(plan), "end-plan");
    end.setAttribute("aria-label", `${t("board_end")}: ${professionalName(plan.professional_id)}`);
    item.append(end);
    return item;
  }) : [node("li", t("board_no_plans"), "note")]));
}

export async function openPlans(entry) {
  current = { entry };
  $("plan-dialog-title").textContent = t("board_plan_title", { patient: entry.patient.display_name });
  professionalOptions($("plan-professional"));
  $("plan-interval").value = "182";
  $("plan-dialog-message").textContent = "";
  $("plan-list").replaceChildren();
  $("plan-dialog").showModal();
  try {
    await showPlans();
  } catch (error) {
    failedIn("plan-dialog", error);
  }
}

async function submitPlan(event) {
  event.preventDefault();
  const professionalId = Number($("plan-professional").value);
  const interval = Number($("plan-interval").value);
  if (!professionalId) {
    $("plan-dialog-message").textContent = t("choose");
    return;
  }
  if (!Number.isInteger(interval) || interval < 7 || interval > 730) {
    $("plan-dialog-message").textContent = t("board_interval_range");
    return;
  }
  try {
    await hooks.call(`/api/v1/patients/${current.entry.patient.id}/maintenance-plans`, {
      method: "POST", body: { professional_id: professionalId, interval_days: interval },
    });
    $("plan-dialog-message").textContent = "";
    $("plan-professional").value = "";
    await showPlans();
    hooks.say(t("board_saved"));
  } catch (error) {
    failedIn("plan-dialog", error);
  }
}

async function endPlan(plan) {
  try {
    await hooks.call(`/api/v1/maintenance-plans/${plan.id}/end`, { method: "POST" });
    await showPlans();
  } catch (error) {
    failedIn("plan-dialog", error);
  }
}

// A refused change: say why in the dialog. A flag already settled means the board is out of date, so it is
// reloaded; other dialogs reload the board when they close, never while a change may still be under way.
function failedIn(dialog, error) {
  const message = $(`${dialog}-message`);
  if (error instanceof HttpError && error.status === 409 && dialog === "flag-dialog") {
    message.textContent = `${t("board_conflict")} ${error.message}`;
    hooks.reloadBoard();
  } else if (error instanceof HttpError && error.status === 422) {
    message.textContent = t("board_invalid", { reason: reason(error) });
  } else {
    message.textContent = t("board_failed", { reason: reason(error) });
  }
}

// `given`: { call(path, options), afterChange(), reloadBoard(), say(text), professionals() }.
export function wireDialogs(given) {
  hooks = given;
  for (const dialog of document.querySelectorAll("dialog")) {
    dialog.querySelector(".cancel").addEventListener("click", () => dialog.close());
  }
  $("flag-form").addEventListener("submit", submitFlag);
  $("person-form").addEventListener("submit", submitPerson);
  $("plan-form").addEventListener("submit", submitPlan);
  $("plan-dialog").addEventListener("close", () => hooks.reloadBoard());
}
