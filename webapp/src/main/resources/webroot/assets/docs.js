// The API page: Swagger UI renders the gateway's contract, and its "Try it out" calls go to the
// gateway that served the page. No validator badge: that would ask a server elsewhere.
window.SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#api-docs',
  deepLinking: true,
  validatorUrl: null,
  defaultModelsExpandDepth: 0,
});
