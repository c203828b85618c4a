// My check-ins: what is waiting for me (the API's due list), a check-in on anyone I may rate or on my life and
// care whenever I like, a message on this phone when one is waiting (web push), and what I have sent, with who
// reads each. Sending needs the network; nothing about the patient is kept on the phone.
import { HttpError, api } from "./api.js";
import { withLogin } from "./login.js";
import { $, button, node } from "./dom.js";
import { t } from "./i18n.js";
import * as forms from "./me_check_ins_form.js";
import * as history from "./me_check_ins_history.js";
import { disablePush, enablePush, pushSupported } from "./push.js";

const load = (path) => withLogin(t("ci_login"), () => api(path));

function roleWords(roles) {
  return roles.map((role) => t(`ci_role_${role}`)).join(", ");
}

function offer(item, people) {
  const entry = node("li", undefined, "card offer");
  const person = item.kind === "relationship"
    ? people.find((p) => p.professional_id === item.professional_id) || { ...item, roles: [item.role] } : null;
  const title = person ? t("ci_about", { name: person.name }) : t("ci_dialog_offer");
  entry.append(node("p", title, "offer-title"));
  if (person && person.roles.length) entry.append(node("p", roleWords(person.roles), "note"));
  entry.append(node("p", t(`ci_occasion_${item.occasion}`), "note"));
  const start = button(t("ci_start_now"), () => forms.open(item.kind, person), "primary");
  start.setAttribute("aria-label", `${t("ci_start_now")}: ${title}`);
  entry.append(start);
  return entry;
}

function showOffers(due, people) {
  $("ci-due").replaceChildren(...due.map((item) => offer(item, people)));
  $("ci-due-none").hidden = due.length > 0;
  const select = $("ci-person");
  select.replaceChildren(...people.map((person) => {
    const option = node("option", person.roles.length ? `${person.name} (${roleWords(person.roles)})` : person.name);
    option.value = person.professional_id;
    return option;
  }));
  select.disabled = !people.length;
  $("ci-person-start").disabled = !people.length;
  if (!people.length) select.append(node("option", t("ci_no_one")));
  $("ci-person-start").onclick = () => {
    const person = people.find((p) => String(p.professional_id) === select.value);
    if (person) forms.open("relationship", person);
  };
  $("ci-dialog-start").onclick = () => forms.open("dialog");
  $("ci-offers").hidden = false;
}

// The choice to be told on this phone when a check-in is waiting.
async function offerPush() {
  if (!pushSupported()) return;
  const toggle = $("ci-push-toggle");
  const registration = await navigator.serviceWorker.ready;
  toggle.checked = Notification.permission === "granted" && Boolean(await registration.pushManager.getSubscription());
  toggle.onchange = async () => {
    const status = $("ci-push-status");
    toggle.disabled = true;
    try {
      if (toggle.checked) {
        const result = await enablePush();
        toggle.checked = result === "enabled";
        status.textContent = t(result === "enabled" ? "ci_push_on" : `ci_push_${result}`);
      } else {
        await disablePush();
        status.textContent = t("ci_push_off");
      }
    } catch (error) {
      toggle.checked = !toggle.checked;
      status.textContent = t(error instanceof HttpError && error.status === 503 ? "ci_push_no_server" : "ci_push_failed");
    } finally {
      toggle.disabled = false;
    }
  };
  $("ci-push").hidden = false;
}

async function start() {
  try {
    const user = await load("/api/v1/me");
    if (user.role !== "patient") throw new HttpError(403, null);
    const [due, people] = await Promise.all([load("/api/v1/me/check-ins/due"), load("/api/v1/me/check-ins/people")]);
    forms.setUp((made) => {
      history.add(made);
      due.items = due.items.filter((item) => item.kind !== made.kind
        || (made.kind === "relationship" && item.professional_id !== made.professional_id));
      showOffers(due.items, people.items);
      $("ci-note").textContent = t("ci_sent");
      $("ci-note").scrollIntoView({ block: "center" });
    });
    showOffers(due.items, people.items);
    await history.show(load);
    offerPush().catch(() => {}); // the page works without it
  } catch (error) {
    if (error instanceof HttpError && error.status === 403) $("ci-note").textContent = t("me_not_patient");
    else if (error instanceof HttpError) $("ci-note").textContent = error.message;
    else $("ci-note").textContent = t("ci_offline_page");
  } finally {
    document.body.dataset.ready = "true"; // for tests: the page has shown what it could
  }
}

start();
