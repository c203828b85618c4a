// The crisis-plan editor: a nurse or team leader writes a new version with the patient beside them. The page
// reads the latest version with its ETag and saves with If-Match; when someone else saved meanwhile (412), it
// fetches theirs, keeps what only one of the two changed, and lets the writer choose section by section where
// both did, then saves against the newer version. The patient's open suggestions are shown when the server has
// them, and can be marked answered after a save. Nothing is stored on the device.
import { api, HttpError } from "./api.js";
import { askLogin, withLogin } from "./login.js";
import { $, button, node } from "./dom.js";
import { language, t } from "./i18n.js";
import {
  appendTo, clearErrors, collect, describe, fill, inputFor, label, list, same, sections, setupForm, showErrors,
} from "./crisis_plan_form.js";

const patientId = Number($("cp").dataset.patientId);
const planPath = `/api/v1/patients/${patientId}/crisis-plan`;
const when = new Intl.DateTimeFormat(language, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const at = (iso) => when.format(new Date(iso));
const WRITERS = ["nurse", "team_leader"];
const names = new Intl.ListFormat(language, { style: "long", type: "conjunction" });

let base = null;      // the version the form started from (null: no plan yet)
let etag = null;      // its ETag, sent as If-Match
let saving = false;
let suggestions = null; // null: the server has no suggestions yet
let savedVersion = null;
let dirty = false;    // typed since the last save: leaving the page asks first

const get = (path) => withLogin(t("cp_login"), () => api(path));

// A request that also returns the ETag (api.js keeps headers to itself); one fresh CSRF token on a 403.
let csrf = null;
async function call(path, { method = "GET", body, ifMatch } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") {
      if (!csrf) csrf = await fetch("/api/v1/auth/csrf", { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : {})).then((data) => data.csrf_token || null);
      if (csrf) headers["X-CSRF-Token"] = csrf;
      headers["Content-Type"] = "application/json";
      if (ifMatch) headers["If-Match"] = ifMatch;
    }
    const response = await fetch(path, { method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await response.json().catch(() => null);
    if (response.status === 401 && attempt === 0) {
      await askLogin(t("cp_login"));
      csrf = null;
      continue;
    }
    if (response.status === 403 && method !== "GET" && attempt === 0) {
      csrf = null;
      continue;
    }
    return { status: response.status, data, etag: response.headers.get("ETag") };
  }
}

function showBase() {
  $("cp-base").textContent = base ? t("cp_base", { version: base.version, date: at(base.created_at),
    who: base.created_by?.name || "" }) : t("cp_base_none");
  $("cp-save").textContent = t("cp_save_as", { version: base ? base.version + 1 : 1 });
}

async function loadPlan() {
  const answer = await call(planPath);
  if (answer.status === 200) {
    base = answer.data;
    etag = answer.etag;
  } else if (answer.status === 404) {
    base = null;
    etag = null;
  } else if (answer.status === 409) { // the latest does not decrypt: start empty, replace it knowingly
    base = null;
    etag = "*";
    $("cp-status").textContent = t("cp_unreadable");
  } else {
    throw new HttpError(answer.status, answer.data);
  }
  fill(base);
  showBase();
}

async function loadVersions() {
  const page = await get(`${planPath}/versions?limit=50`);
  const items = page.items.map((version) => {
    const item = node("li", t("cp_version_line", { version: version.version, date: at(version.created_at),
      who: version.created_by?.name || "", role: t(`cp_author_${version.created_by?.role}`) }));
    item.append(" · ", node("span", t(version.reviewed_with_patient ? "cp_reviewed_yes" : "cp_reviewed_no"),
      version.reviewed_with_patient ? "is-reviewed" : "note"));
    return item;
  });
  $("cp-versions").replaceChildren(...items);
  $("cp-no-versions").hidden = items.length > 0;
}

async function loadSuggestions() {
  try {
    suggestions = (await get(`${planPath}/suggestions?status=open&limit=100`)).items;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return; // not on this server (yet)
    throw error;
  }
  showSuggestions();
}

function showSuggestions() {
  $("cp-suggestions").hidden = false;
  const open = suggestions.filter((s) => s.status === "open" || s.answered_here);
  if (!open.length) {
    $("cp-suggestion-list").replaceChildren(node("li", t("cp_no_suggestions"), "note"));
    return;
  }
  $("cp-suggestion-list").replaceChildren(...open.map((suggestion) => {
    const item = node("li", undefined, "suggestion");
    const section = suggestion.section ? label(suggestion.section) : t("cp_suggestion_general");
    item.append(node("p", t("cp_suggestion_line", { date: at(suggestion.created_at), section }), "note"),
      node("p", suggestion.text ?? "", "suggestion-text"));
    const actions = node("div", undefined, "suggestion-actions");
    const status = node("p", "", "status");
    status.setAttribute("role", "status");
    if (suggestion.answered_here) {
      status.textContent = t("cp_suggestion_answered");
    } else {
      if (suggestion.section && suggestion.text && canAppend(suggestion.section)) {
        actions.append(button(t("cp_suggestion_copy"), () => {
          appendTo(suggestion.section, suggestion.text);
          status.textContent = t("cp_suggestion_copied", { section });
        }));
      }
      if (savedVersion) actions.append(button(t("cp_suggestion_answer", { version: savedVersion }), () => answer(suggestion, status)));
    }
    item.append(actions, status);
    return item;
  }));
}

const canAppend = (field) => ["list", "text"].includes(sections.find((s) => s.field === field)?.kind);

async function answer(suggestion, status) {
  try {
    await api(`${planPath}/suggestions/${suggestion.id}/answer`, { method: "POST", body: { version: savedVersion } });
    suggestion.status = "answered";
    suggestion.answered_here = true;
    showSuggestions();
  } catch (error) {
    status.textContent = error instanceof HttpError ? t("cp_not_saved", { reason: error.message }) : t("cp_not_saved_offline");
  }
}

async function loadWards(select) {
  const page = await get("/api/v1/wards?limit=500");
  select.append(...page.items.map((ward) => new Option(ward.name, String(ward.id))));
}

function reviewedChoice() {
  const chosen = document.querySelector('input[name="reviewed"]:checked');
  return chosen ? chosen.value === "yes" : null;
}

function flatten(errors, prefix = "") {
  return Object.entries(errors || {}).flatMap(([key, value]) => (Array.isArray(value)
    ? [[`${prefix}${key}`, value.join(" ")]] : flatten(value, `${prefix}${key}.`)));
}

async function save(event) {
  event.preventDefault();
  if (saving) return;
  clearErrors();
  const status = $("cp-status");
  const { body, errors } = collect();
  const reviewed = reviewedChoice();
  if (reviewed === null) errors.push([document.querySelector('input[name="reviewed"]'), t("cp_choose_reviewed")]);
  if (errors.length) {
    status.textContent = t("cp_check_fields");
    status.classList.add("problem");
    showErrors(errors);
    return;
  }
  status.classList.remove("problem");
  saving = true;
  $("cp-save").disabled = true;
  status.textContent = t("cp_saving");
  try {
    const answer = await call(planPath, { method: "PUT", body: { ...body, reviewed_with_patient: reviewed }, ifMatch: etag });
    if (answer.status === 201) {
      base = answer.data;
      etag = answer.etag;
      savedVersion = base.version;
      dirty = false;
      for (const radio of document.querySelectorAll('input[name="reviewed"]')) radio.checked = false;
      showBase();
      status.textContent = t("cp_saved", { version: base.version });
      await loadVersions();
      if (suggestions) showSuggestions();
    } else if (answer.status === 412 || answer.status === 428) {
      status.textContent = "";
      await conflict(body);
    } else if (answer.status === 422) {
      const problems = flatten(answer.data?.errors).map(([path, message]) => [inputFor(path), t("cp_server_field", { reason: message })]);
      status.textContent = t("cp_check_fields");
      status.classList.add("problem");
      showErrors(problems.filter(([input]) => input));
    } else {
      status.textContent = t("cp_not_saved", { reason: answer.data?.detail || answer.status });
    }
  } catch (error) {
    status.textContent = error instanceof HttpError ? t("cp_not_saved", { reason: error.message }) : t("cp_not_saved_offline");
  } finally {
    saving = false;
    $("cp-save").disabled = !$("cp-merge").hidden;
  }
}

// Someone saved meanwhile: take what only they changed, keep what only I changed, ask where both did.
async function conflict(mine) {
  const latest = await call(planPath);
  if (latest.status !== 200) throw new HttpError(latest.status, latest.data);
  const theirs = latest.data;
  const merged = {};
  const asks = [];
  const taken = [];
  for (const { field } of sections) {
    const [was, mineNow, theirsNow] = [base?.[field], mine[field], theirs[field]];
    if (same(mineNow, theirsNow) || same(was, theirsNow)) merged[field] = mineNow;
    else if (same(was, mineNow)) {
      merged[field] = theirsNow;
      taken.push(label(field));
    } else asks.push(field);
  }
  const who = theirs.created_by?.name || "";
  const words = { who, version: theirs.version, time: at(theirs.created_at) };
  const apply = () => {
    for (const field of asks) {
      const choice = document.querySelector(`input[name="merge-${field}"]:checked`)?.value;
      merged[field] = choice === "theirs" ? theirs[field] : mine[field];
    }
    base = theirs;
    etag = latest.etag;
    fill(merged);
    showBase();
    $("cp-merge").hidden = true;
    $("cp-save").disabled = false;
    $("cp-status").textContent = t("cp_merged", { version: theirs.version });
    $("cp-status").scrollIntoView({ block: "center" });
  };
  $("cp-merge-intro").textContent = t(asks.length ? "cp_conflict_intro" : "cp_conflict_none", words);
  $("cp-merge-taken").textContent = taken.length ? t("cp_taken", { sections: names.format(taken) }) : "";
  $("cp-merge-sections").replaceChildren(...asks.map((field) => {
    const set = node("fieldset", undefined, "merge-section");
    set.append(node("legend", label(field)), node("p", t("cp_both_changed"), "note"));
    for (const [value, text, content] of [["mine", t("cp_keep_mine"), mine[field]],
      ["theirs", t("cp_take_theirs", { who }), theirs[field]]]) {
      const choice = node("label", undefined, `merge-choice ${value}`);
      const radio = node("input");
      Object.assign(radio, { type: "radio", name: `merge-${field}`, value, checked: value === "mine" });
      const words = node("span", undefined, "merge-words");
      words.append(node("strong", text), list(describe(field, content)));
      choice.append(radio, words);
      set.append(choice);
    }
    return set;
  }));
  $("cp-merge-apply").onclick = apply;
  $("cp-merge").hidden = false;
  $("cp-save").disabled = true;
  $("cp-merge").focus();
  $("cp-merge").scrollIntoView({ block: "start" });
}

function failed(error) {
  const message = $("cp-message");
  if (!(error instanceof HttpError)) message.textContent = t("cp_offline");
  else if (error.status === 404) message.textContent = t("cp_not_found");
  else message.textContent = t("cp_load_failed", { reason: error.message });
  message.classList.add("problem");
  $("cp").hidden = true;
}

async function start() {
  setupForm();
  $("cp-form").addEventListener("submit", save);
  $("cp-form").addEventListener("input", () => { dirty = true; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });
  try {
    const me = await get("/api/v1/me");
    const patient = await get(`/api/v1/patients/${patientId}`);
    $("cp-patient").textContent = patient.display_name;
    document.title = `${document.title.split(" · ")[0]}: ${patient.display_name} · wardtrack`;
    await loadWards($("cp-form").pca_ward);
    await loadPlan();
    await Promise.all([loadVersions(), loadSuggestions()]);
    $("cp-message").textContent = "";
    $("cp").hidden = false;
    if (!WRITERS.includes(me.role)) {
      $("cp-message").textContent = t("cp_read_only");
      for (const control of $("cp-form").elements) control.disabled = true;
    }
    document.body.dataset.ready = "true";
  } catch (error) {
    failed(error);
    document.body.dataset.ready = "error";
  }
}

start();
