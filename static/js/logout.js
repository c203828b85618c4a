// Logging out from any page: warn about contacts still waiting, end the session, then clear this device
// (the outbox, the ward's patient list and the cached pages) so that the next person on a shared phone finds nothing of ours.
import { logout } from "./api.js";
import * as outbox from "./outbox.js";
import * as wardlist from "./wardlist.js";
import { t } from "./i18n.js";
import { afterLogout as keepPatientShell } from "./keep.js";

// Resolves false when the user chose to stay because contacts are still waiting.
export async function leave() {
  const waiting = await outbox.count().catch(() => 0);
  if (waiting && !window.confirm(t("confirm_logout", { count: waiting }))) return false;
  try { await logout(); } catch { /* offline or already ended: clear this device anyway */ }
  await Promise.all([outbox.clearAll(), wardlist.clear()]);
  if (window.caches) await Promise.all((await caches.keys()).map((key) => caches.delete(key)));
  await keepPatientShell(); // a patient's own choice to keep their safety person and plan offline (keep.js)
  location.assign("/login");
  return true;
}

// The navigation's "Log out" button (pages with a button of their own bind it themselves).
for (const button of document.querySelectorAll("[data-logout]")) {
  button.addEventListener("click", leave);
}
