// Swagger UI for /api/v1/docs/: started from this file, not an inline script, so the page
// keeps the site's strict Content Security Policy. It reads the schema the page names.
window.addEventListener("load", function () {
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
