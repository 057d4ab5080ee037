package io.swarmshop.invoices;

import io.swarmshop.http.Idempotency;
import io.swarmshop.http.JsonBody;
import io.swarmshop.http.JsonRequests;
import io.swarmshop.http.PageRequest;
import io.swarmshop.http.Problem;
import io.swarmshop.http.Problem.FieldError;
import io.swarmshop.http.RequestIds;
import io.swarmshop.http.Responses;
import io.swarmshop.http.Tokens;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /invoices}: issue an invoice, list them newest first (optionally for one customer), read one.
 * Invoices are immutable. The routes only read requests and answer; {@link InvoiceIssuer} decides.
 */
final class InvoiceRoutes {
  private final InvoiceRepository repository;
  private final InvoiceIssuer issuer;

  private InvoiceRoutes(InvoiceRepository repository, InvoiceIssuer issuer) {
    this.repository = repository;
    this.issuer = issuer;
  }

  static void mount(Router router, InvoiceRepository repository, InvoiceIssuer issuer) {
    InvoiceRoutes routes = new InvoiceRoutes(repository, issuer);
    JsonRequests.accepting(router.post("/invoices")).handler(routes::create);
    router.get("/invoices").handler(routes::list);
    router.get("/invoices/:id").handler(routes::get);
  }

  private void create(RoutingContext ctx) {
    String idempotencyKey = idempotencyKey(ctx);
    Order order = Order.read(JsonBody.parse(ctx.body().buffer()));
    issuer.issue(order, idempotencyKey, RequestIds.of(ctx))
      .onSuccess(issued -> {
        if (issued.replayed()) {
          ctx.response().putHeader(Idempotency.REPLAYED_HEADER, "true");
        }
        Responses.created(ctx, "/invoices/" + issued.invoice().id(), issued.invoice().toJson());
      })
      .onFailure(ctx::fail);
  }

  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(Idempotency.KEY_HEADER);
    if (key != null && !Tokens.isKey(key)) {
      throw Problem.invalid(List.of(new FieldError(Idempotency.KEY_HEADER, Tokens.KEY_RULE)));
    }
    return key;
  }

  private void list(RoutingContext ctx) {
    PageRequest request = PageRequest.from(ctx);
    String customerId = ctx.request().getParam("customerId");
    if (customerId != null && !Tokens.isId(customerId)) {
      throw Problem.invalid(List.of(new FieldError("customerId", Tokens.ID_RULE)));
    }
    repository.page(customerId, request)
      .onSuccess(page -> Responses.json(ctx, 200, Responses.page(page.items(), page.nextPosition(), Invoice::toJson)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String id = Responses.pathId(ctx, "invoice");
    repository.get(id)
      .onSuccess(invoice -> Responses.entityOrNotFound(ctx, invoice, "invoice", Invoice::toJson))
      .onFailure(ctx::fail);
  }
}
