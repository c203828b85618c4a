// The ward's patient list kept on this phone for the shift, so that logging goes on after a reload offline.
// Per patient only the id, the display name and the room or bed: nothing clinical. A list is kept at most
// MAX_AGE (12 hours), refreshed whenever the page loads it from the server, and wiped at logout, when the
// session is found ended (a 401) and when it expires (README, security model).
const DB_NAME = "wardtrack-wardlist";
export const MAX_AGE = 12 * 60 * 60 * 1000;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("wards", { keyPath: "ward_id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction("wards", mode);
    const request = work(tx.objectStore("wards"));
    tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  });
}

const minimal = (patient) => ({ id: patient.id, display_name: patient.display_name, location: patient.location || null });

// Keep the ward's list (replacing the one before), stamped with the time it was read from the server.
export function save(wardId, patients) {
  return run("readwrite", (store) => store.put({ ward_id: wardId, saved_at: Date.now(), patients: patients.map(minimal) }))
    .catch(() => {});
}

// The kept list of a ward, or null when there is none or it is older than MAX_AGE (then it is wiped).
export async function load(wardId) {
  const kept = await run("readonly", (store) => store.get(wardId)).catch(() => null);
  if (!kept) return null;
  if (Date.now() - kept.saved_at > MAX_AGE) {
    await run("readwrite", (store) => { store.delete(wardId); });
    return null;
  }
  return kept.patients;
}

// Wipe every list that has expired; called when a page starts.
export async function expire() {
  const all = await run("readonly", (store) => store.getAll()).catch(() => []);
  const old = all.filter((kept) => Date.now() - kept.saved_at > MAX_AGE).map((kept) => kept.ward_id);
  if (old.length) await run("readwrite", (store) => { old.forEach((id) => store.delete(id)); }).catch(() => {});
}

// Wipe everything: logout, or a session found ended.
export function clear() {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
