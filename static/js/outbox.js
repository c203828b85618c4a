// The outbox: contacts logged on this device, kept in IndexedDB until the server has answered for them.
// Only ids, codes and times are stored here — never a patient's name. `confirm_backdated` is kept only when
// the nurse confirmed a time far back.
const DB_NAME = "wardtrack";
const FIELDS = ["client_id", "patient_id", "professional_id", "occurred_at", "kind", "ward_id", "recorded_at"];

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("outbox", { keyPath: "client_id" });
      request.result.createObjectStore("meta");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// One transaction; the connection is closed afterwards so that deleteDatabase() is never blocked.
async function run(store, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = work(tx.objectStore(store));
    tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  });
}

export const add = (item) => run("outbox", "readwrite", (s) => s.put(pick(item)));
export const all = () => run("outbox", "readonly", (s) => s.getAll());
export const count = () => run("outbox", "readonly", (s) => s.count());
export const getMeta = (key) => run("meta", "readonly", (s) => s.get(key));
export const setMeta = (key, value) => run("meta", "readwrite", (s) => s.put(value, key));
const remove = (ids) => run("outbox", "readwrite", (s) => { ids.forEach((id) => s.delete(id)); });

function pick(item) {
  const kept = Object.fromEntries(FIELDS.map((name) => [name, item[name]]));
  if (item.confirm_backdated === true) kept.confirm_backdated = true;
  return kept;
}

export function clearAll() {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

let running = null;

// Send everything waiting; send(items) resolves to the batch's per-item results or throws
// (network down, 401, ...), in which case the items simply stay. Concurrent calls share one run.
export function flush(send) {
  if (!running) running = sendAll(send).finally(() => { running = null; });
  return running;
}

async function sendAll(send) {
  const rejected = [];
  const saved = []; // each with the server's answer: its status and the stored contact (with its id)
  let sent = 0;
  for (let round = 0; round < 20; round += 1) { // contacts saved during a round go in the next one
    const items = (await all()).slice(0, 500);
    if (!items.length) break;
    const byId = new Map(items.map((item) => [item.client_id, item]));
    const results = await send(items);
    const answered = results.filter((r) => byId.has(r.client_id));
    for (const result of answered) {
      if (result.status >= 400) rejected.push({ ...byId.get(result.client_id), result });
      else {
        sent += 1;
        saved.push({ ...byId.get(result.client_id), result });
      }
    }
    // 2xx: stored. 409/422/404: the server will never take it as it is, so it leaves too (and is shown).
    await remove(answered.map((r) => r.client_id));
    if (!answered.length) break;
  }
  return { sent, saved, rejected };
}
