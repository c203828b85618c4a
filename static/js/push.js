// Web push for this browser: enablePush() asks for permission, subscribes with the server's VAPID key and
// registers the subscription; disablePush() undoes both. Pages call them from a user gesture (a button).
import { api } from "./api.js";

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

// Resolves to "enabled", "denied" (the user said no) or "unsupported"; rejects on network or HTTP errors.
export async function enablePush() {
  if (!pushSupported()) return "unsupported";
  if ((await Notification.requestPermission()) !== "granted") return "denied";
  const registration = await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    const { public_key: key } = await api("/api/v1/push/vapid-public-key");
    subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: keyBytes(key),
    });
  }
  await api("/api/v1/push/subscriptions", { method: "POST", body: subscription.toJSON() });
  return "enabled";
}

// Stops push messages to this browser (the server forgets the subscription too).
export async function disablePush() {
  if (!pushSupported()) return;
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) return;
  await api("/api/v1/push/subscriptions", { method: "DELETE", body: { endpoint: subscription.endpoint } })
    .catch((error) => { if (error.status !== 404) throw error; });
  await subscription.unsubscribe();
}
