// Starts Swagger UI on /api/v1/docs (templates/swagger_ui.html): the page's settings come from data attributes,
// so that the page needs no inline script.
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui-container");
  const config = { url: root.dataset.specUrl, dom_id: "#swagger-ui-container" };
  Object.assign(config, JSON.parse(root.dataset.config || "{}"));
  window.ui = window.SwaggerUIBundle(config);
});
