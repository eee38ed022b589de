/* /docs: Swagger UI's start-up, in a file of its own so that the page's
   Content-Security-Policy allows no inline script (hermit/api/headers.py). The OpenAPI
   document's address is the page's data-openapi-url. hermit's keys are API keys, so
   no OAuth2 redirect page is offered. */
"use strict";

(() => {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
