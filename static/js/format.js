// Words and links for values the pages show: dates in the page's language, phone numbers as tel: links.
import { language } from "./i18n.js";

const dayFormat = new Intl.DateTimeFormat(language, { day: "numeric", month: "short", year: "numeric" });

// A day as "3 Dec 2026" in the page's language; `when` is a Date or an ISO string.
export const formatDay = (when) => dayFormat.format(new Date(when));

// A moment as the medium date and short time of the page's language, from an ISO string.
export const formatDateTime = (iso) =>
  new Date(iso).toLocaleString(language, { dateStyle: "medium", timeStyle: "short" });

// A phone number as a tel: link's address; spaces, dashes and brackets are for reading only.
export const telHref = (phone) => `tel:${phone.replace(/[^\d+]/g, "")}`;
