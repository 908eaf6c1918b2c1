// /api/v1/docs/: starts Swagger UI (drf-spectacular-sidecar's files, loaded before this one)
// on the schema named by #swagger-ui's data-schema-url, with drf-spectacular's
// SWAGGER_UI_SETTINGS from data-settings. A file, not drf-spectacular's inline script: the
// Content-Security-Policy runs no inline script. The API is read-only and has no accounts,
// so nothing here adds credentials or a CSRF token to the requests "Try it out" makes.
(function () {
  "use strict";

  const element = document.getElementById("swagger-ui");
  if (!element || !window.SwaggerUIBundle) return;
  window.ui = SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    ...JSON.parse(element.dataset.settings || "{}"),
  });
})();
