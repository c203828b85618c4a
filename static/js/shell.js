// Every page: install the service worker and ask the browser to keep our storage under pressure; and when
// someone logs in on a page that was shown to a visitor (the form inline on /log), show their role's menu and
// Log out at once, without a reload (the server renders both for pages loaded after logging in).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
    console.warn("service worker not registered", error);
  });
}
if (navigator.storage && navigator.storage.persist) {
  navigator.storage.persisted().then((persisted) => persisted || navigator.storage.persist()).catch(() => {});
}

function showMenu(user) {
  const data = JSON.parse(document.getElementById("nav-data")?.textContent || "null");
  const bar = document.querySelector("header.bar");
  if (!data || !bar || !user) return;
  const links = data.links.filter((link) => link.roles.includes(user.role));
  if (links.length && !bar.querySelector("nav.nav")) {
    const nav = document.createElement("nav");
    nav.className = "nav";
    nav.setAttribute("aria-label", data.label);
    for (const link of links) {
      const a = document.createElement("a");
      a.href = link.path;
      a.textContent = link.label;
      if (link.path === location.pathname) a.setAttribute("aria-current", "page");
      nav.append(a);
    }
    bar.querySelector(".brand").after(nav);
  }
  const own = bar.querySelector("#logout");
  if (own) {
    own.hidden = false;
  } else if (!bar.querySelector("[data-logout], #logout-menu")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quiet";
    button.id = "logout-menu";
    button.textContent = data.log_out;
    button.addEventListener("click", () => import("./logout.js").then((module) => module.leave()));
    bar.append(button);
  }
}

document.addEventListener("wardtrack:login", (event) => showMenu(event.detail));
