// My relationships on /me: each of my key people, and anyone else I have rated, with a small line of my check-ins on
// them (0–4), the latest in plain words and who reads it; and how many check-ins are waiting, with the way to them.
import { $, node } from "./dom.js";
import { t } from "./i18n.js";
import { formatDay as day } from "./format.js";
import { sparkline } from "./patient_checkins.js";
import { shareWords } from "./me_check_ins_history.js";

const number = (value) => value.toLocaleString(document.documentElement.lang || "en", { maximumFractionDigits: 1 });

function relationship(person, ratings) {
  const item = node("li", undefined, "card relationship");
  item.dataset.professionalId = person.professional_id;
  const name = node("p");
  name.append(node("strong", person.name));
  if (person.roles.length) name.append(", ", person.roles.map((role) => t(`ci_role_${role}`)).join(", "));
  item.append(name);
  if (!ratings.length) {
    item.append(node("p", t("ci_trend_none"), "note"));
    return item;
  }
  const latest = ratings[ratings.length - 1];
  let words = t("ci_trend_latest", { score: number(latest.score), date: day(latest.created_at) });
  if (ratings.length > 1) words += ` ${t("ci_trend_was", { score: number(ratings[ratings.length - 2].score) })}`;
  item.append(sparkline(ratings), node("p", words), node("p", shareWords(latest), "note"));
  return item;
}

// `load` is the page's API call that asks for a login on 401.
export async function showRelationships(load) {
  const [people, due, mine] = await Promise.all([load("/api/v1/me/check-ins/people"),
    load("/api/v1/me/check-ins/due"), load("/api/v1/me/check-ins?limit=100")]);
  const byPerson = new Map();
  for (const checkIn of mine.items.slice().reverse()) { // oldest first
    if (checkIn.kind !== "relationship") continue;
    if (!byPerson.has(checkIn.professional_id)) byPerson.set(checkIn.professional_id, []);
    byPerson.get(checkIn.professional_id).push(checkIn);
  }
  const shown = people.items.filter((person) => person.roles.length || byPerson.has(person.professional_id));
  $("relationships-list").replaceChildren(...shown.map((person) =>
    relationship(person, byPerson.get(person.professional_id) || [])));
  $("relationships-due").textContent = due.items.length ? t("ci_due_count", { count: due.items.length })
    : t("ci_due_nothing");
  $("relationships").hidden = false;
}
