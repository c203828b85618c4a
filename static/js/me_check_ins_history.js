// What I have sent: each check-in with its date, its score in words, who reads it, and a choice to change that
// (from the next read on). Shared with the relationships on /me (me_relationships.js): the words for a score and
// for a sharing choice.
import { api, HttpError } from "./api.js";
import { $, node } from "./dom.js";
import { t } from "./i18n.js";
import { formatDay as day } from "./format.js";

const PAGE = 20;
const number = (value) => value.toLocaleString(document.documentElement.lang || "en", { maximumFractionDigits: 1 });
let cursor = null;
let load = null;

export const scoreWords = (checkIn) => (checkIn.kind === "relationship"
  ? t("ci_score_rel", { score: number(checkIn.score) })
  : t("ci_score_dialog", { life: number(checkIn.life_mean), care: number(checkIn.treatment_mean) }));

export const shareWords = (checkIn) => t(`ci_share_${checkIn.share}`, { name: checkIn.professional_name || "" });

function domainName(item) {
  return $(`dialog-${item}-help`)?.closest("fieldset").querySelector("legend").textContent || item;
}

function shareControl(checkIn, words) {
  const box = node("div", undefined, "share-change");
  const id = `ci-share-${checkIn.id}`;
  const label = node("label", t("ci_share_change"));
  label.htmlFor = id;
  const select = node("select");
  select.id = id;
  select.append(...$("ci-share-options").content.cloneNode(true).children);
  if (checkIn.kind !== "relationship") select.querySelector('option[value="team_leader_and_person"]').remove();
  select.value = checkIn.share;
  const status = node("p", "", "note");
  status.setAttribute("role", "status");
  select.addEventListener("change", async () => {
    select.disabled = true;
    try {
      const changed = await api(`/api/v1/me/check-ins/${checkIn.id}`, { method: "PATCH",
        body: { share: select.value } });
      Object.assign(checkIn, changed);
      words.textContent = shareWords(checkIn);
      status.textContent = t("ci_share_saved", { who: shareWords(checkIn) });
    } catch (error) {
      select.value = checkIn.share;
      status.textContent = error instanceof HttpError ? t("ci_failed", { reason: error.message }) : t("ci_offline");
    } finally {
      select.disabled = false;
    }
  });
  box.append(label, select, status);
  return box;
}

function line(checkIn) {
  const item = node("li", undefined, "card check-in-line");
  item.dataset.id = checkIn.id;
  const title = checkIn.kind === "relationship" ? t("ci_history_rel", { name: checkIn.professional_name })
    : t("ci_history_dialog");
  const head = node("p", undefined, "check-in-head");
  head.append(node("strong", title), " ", node("span", day(checkIn.created_at), "note"));
  const score = node("p", scoreWords(checkIn), "check-in-score");
  item.append(head, score);
  if (checkIn.more_help && checkIn.more_help.length) {
    item.append(node("p", t("ci_more_help", { domains: checkIn.more_help.map(domainName).join(", ") })));
  }
  if (checkIn.what_would_help) item.append(node("p", checkIn.what_would_help, "check-in-text"));
  const words = node("p", shareWords(checkIn), "check-in-share");
  item.append(words, shareControl(checkIn, words));
  return item;
}

async function more() {
  const page = await load(`/api/v1/me/check-ins?limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  $("ci-list").append(...page.items.map(line));
  cursor = page.next_cursor;
  $("ci-more").hidden = !cursor;
  $("ci-history-none").hidden = $("ci-list").children.length > 0;
}

// A check-in just sent goes on top.
export function add(checkIn) {
  $("ci-list").prepend(line(checkIn));
  $("ci-history-none").hidden = true;
}

// `loader` is the page's API call that asks for a login on 401.
export async function show(loader) {
  load = loader;
  $("ci-more").addEventListener("click", more);
  await more();
  $("ci-history").hidden = false;
}
