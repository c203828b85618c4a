// The board's dialogs: acknowledge or resolve a flag with a note, name a key person (the people the patient knows
// best first; "chosen with the patient" an explicit yes or no), list, add and end maintenance plans (saying which
// contacts count). A change is confirmed beside the card it was made on; nothing re-sorts until the next load.
// Refusals (409, 422, 403) are said in the dialog; a flag settled elsewhere reloads the board.
import { HttpError } from "./api.js";
import { flagReasons, t } from "./i18n.js";
import { $, button, node } from "./dom.js";
import { formatDay } from "./format.js";

let current = null; // what the open dialog acts on
let hooks = null; // { call, reloadBoard, refreshRow, say, professionals }


function reason(error) {
  if (!(error instanceof HttpError)) return t("no_network");
  const fields = error.body && error.body.errors ? Object.values(error.body.errors).flat().join(" ") : "";
  return fields || error.message;
}

function professionalOptions(select) {
  select.replaceChildren(new Option(t("board_choose"), ""), ...hooks.professionals().map((p) => new Option(
    `${p.name} · ${t(`prof_${p.profession}`)}`, p.id)));
}

// The people the patient has met most in the last year first (contacts, last contact), then the ward's others.
function knownFirstOptions(select, seen) {
  const known = node("optgroup");
  known.label = t("board_known_group");
  known.append(...seen.map(({ professional: p, contacts, last_contact_at: last }) => new Option(t("board_known_option", {
    name: p.name, profession: t(`prof_${p.profession}`), count: contacts, date: formatDay(last),
  }), p.id)));
  const ids = new Set(seen.map(({ professional }) => professional.id));
  const others = node("optgroup");
  others.label = t("board_others_group");
  others.append(...hooks.professionals().filter((p) => !ids.has(p.id)).map((p) => new Option(
    `${p.name} · ${t(`prof_${p.profession}`)}`, p.id)));
  select.replaceChildren(new Option(t("board_choose"), ""), ...[known, others].filter((group) => group.children.length));
}

// A settled flag, confirmed where it was: an acknowledged one stays (its buttons go), a resolved one leaves a line.
function settledInPlace(flag, action) {
  const item = document.querySelector(`li.flag[data-flag-id="${flag.id}"]`);
  const chip = document.querySelector(`.chip[data-flag-id="${flag.id}"]`);
  if (chip) chip.classList.add("settled");
  if (!item) return;
  const label = t(`board_flag_${flag.code}`);
  if (action === "resolve") {
    const done = node("li", t("board_confirm_resolve", { flag: label }), "flag-done");
    done.setAttribute("role", "status");
    item.replaceWith(done);
    return;
  }
  item.dataset.status = "acknowledged";
  item.querySelector(".flag-head").append(" ", node("span", `(${t("board_acknowledged")})`, "note status"));
  const ack = item.querySelector("button.ack");
  if (ack) ack.remove();
  const note = node("p", t("board_confirm_ack"), "confirm");
  note.setAttribute("role", "status");
  item.append(note);
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
  settledInPlace(flag, action);
}

export async function openPerson(entry, role) {
  current = { entry, role };
  $("person-dialog-title").textContent = t("board_name_title", {
    role: t(`patient_role_${role}`).toLowerCase(), patient: entry.patient.display_name,
  });
  professionalOptions($("person-professional"));
  $("person-chosen-row").hidden = role !== "safety_person";
  $("person-chosen-yes").checked = false; // no default: whether the patient chose is asked every time
  $("person-chosen-no").checked = false;
  $("person-dialog-message").textContent = "";
  $("person-dialog").showModal();
  if (entry[role]) $("person-professional").value = String(entry[role].professional_id);
  try {
    const known = await hooks.call(`/api/v1/patients/${entry.patient.id}/relationships?days=365`);
    const picked = $("person-professional").value; // kept if chosen while the list was loading
    knownFirstOptions($("person-professional"), known.professionals);
    $("person-professional").value = picked;
  } catch { /* the ward's professionals will do */ }
  document.body.dataset.personReady = String(entry.patient.id);
}

async function submitPerson(event) {
  event.preventDefault();
  const chosen = Number($("person-professional").value);
  if (!chosen) {
    $("person-dialog-message").textContent = t("choose");
    return;
  }
  const { entry, role } = current;
  const yes = $("person-chosen-yes").checked;
  if (role === "safety_person" && !yes && !$("person-chosen-no").checked) {
    $("person-dialog-message").textContent = t("board_choose_chosen");
    return;
  }
  const path = role === "safety_person" ? "safety-person" : "primary-contact";
  const body = { professional_id: chosen, chosen_by_patient: role === "safety_person" && yes };
  const name = $("person-professional").selectedOptions[0].textContent.split(" · ")[0];
  try {
    await hooks.call(`/api/v1/patients/${entry.patient.id}/${path}`, { method: "PUT", body });
  } catch (error) {
    return failedIn("person-dialog", error);
  }
  $("person-dialog").close();
  await hooks.refreshRow(entry.patient.id, t("board_person_saved", { role: t(`patient_role_${role}`), name }));
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
    item.append(node("span", t("board_plan_line", { name: professionalName(plan.professional_id), days: plan.interval_days })),
      " ", node("span", `(${t(`board_plan_counts_${plan.counts}`)})`, "note"));
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
  $("plan-counts-maintenance").checked = false; // no default: the team leader says which contacts count
  $("plan-counts-any").checked = false;
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
  const counts = document.querySelector('input[name="counts"]:checked');
  if (!counts) {
    $("plan-dialog-message").textContent = t("board_choose_counts");
    return;
  }
  try {
    await hooks.call(`/api/v1/patients/${current.entry.patient.id}/maintenance-plans`, {
      method: "POST", body: { professional_id: professionalId, interval_days: interval, counts: counts.value },
    });
    $("plan-dialog-message").textContent = t("board_saved");
    $("plan-professional").value = "";
    current.changed = true;
    await showPlans();
  } catch (error) {
    failedIn("plan-dialog", error);
  }
}

async function endPlan(plan) {
  try {
    await hooks.call(`/api/v1/maintenance-plans/${plan.id}/end`, { method: "POST" });
    current.changed = true;
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

// `given`: { call(path, options), reloadBoard(), refreshRow(patientId, message), say(text), professionals() }.
export function wireDialogs(given) {
  hooks = given;
  for (const dialog of document.querySelectorAll("dialog")) {
    dialog.querySelector(".cancel").addEventListener("click", () => dialog.close());
  }
  $("flag-form").addEventListener("submit", submitFlag);
  $("person-form").addEventListener("submit", submitPerson);
  $("plan-form").addEventListener("submit", submitPlan);
  $("plan-dialog").addEventListener("close", () => {
    if (current && current.changed) hooks.refreshRow(current.entry.patient.id, t("board_plans_saved"));
  });
}
