package io.swarmshop.invoices;

import io.swarmshop.common.http.Ids;
import io.swarmshop.common.http.JsonBody;
import io.swarmshop.common.http.JsonRequests;
import io.swarmshop.common.http.PageRequest;
import io.swarmshop.common.http.Problem;
import io.swarmshop.common.http.Problem.FieldError;
import io.swarmshop.common.http.RequestIds;
import io.swarmshop.common.http.Responses;
import io.swarmshop.common.http.Tokens;
import io.swarmshop.common.redis.EntityStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /invoices}: issue an invoice (checked against customers and products, concurrently), list
 * them newest first (optionally for one customer), read one. Invoices are immutable.
 */
final class InvoiceRoutes {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final long MAX_QUANTITY = 1_000_000;
  private static final Set<String> BODY_FIELDS = Set.of("customerId", "productId", "quantity");

  /** A validated request to issue an invoice. */
  private record Order(String customerId, String productId, long quantity) {
    /** Tells a retry of this order from another order sent under the same idempotency key. */
    String fingerprint() {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((customerId + "\n" + productId + "\n" + quantity).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
    }
  }

  private final InvoiceRepository repository;
  private final CatalogClient customers;
  private final CatalogClient products;

  private InvoiceRoutes(InvoiceRepository repository, CatalogClient customers, CatalogClient products) {
    this.repository = repository;
    this.customers = customers;
    this.products = products;
  }

  static void mount(Router router, InvoiceRepository repository, CatalogClient customers, CatalogClient products) {
    InvoiceRoutes routes = new InvoiceRoutes(repository, customers, products);
    JsonRequests.accepting(router.post("/invoices")).handler(routes::create);
    router.get("/invoices").handler(routes::list);
    router.get("/invoices/:id").handler(routes::get);
  }

  private void create(RoutingContext ctx) {
    String idempotencyKey = idempotencyKey(ctx);
    JsonBody body = JsonBody.parse(ctx.body().buffer()).allowOnly(BODY_FIELDS);
    Order order = new Order(body.id("customerId"), body.id("productId"), body.integer("quantity", 1, MAX_QUANTITY));
    body.validate();

    Future<InvoiceRepository.IdempotencyRecord> earlier = idempotencyKey == null
      ? Future.succeededFuture()
      : repository.idempotencyRecord(idempotencyKey);
    earlier
      .compose(record -> record != null
        ? replay(ctx, record, order)
        : issue(ctx, order, idempotencyKey))
      .onFailure(ctx::fail);
  }

  private Future<Void> issue(RoutingContext ctx, Order order, String idempotencyKey) {
    String requestId = RequestIds.of(ctx);
    Future<JsonObject> customer = customers.find(order.customerId(), requestId);
    Future<JsonObject> product = products.find(order.productId(), requestId);
    return Future.join(customer, product)
      .transform(both -> customer.failed() ? Future.failedFuture(customer.cause())
        : product.failed() ? Future.failedFuture(product.cause())
        : Future.succeededFuture())
      .compose(checked -> {
        List<FieldError> unknown = new ArrayList<>();
        if (customer.result() == null) {
          unknown.add(new FieldError(customers.field(), "no customer has this id"));
        }
        if (product.result() == null) {
          unknown.add(new FieldError(products.field(), "no product has this id"));
        }
        if (!unknown.isEmpty()) {
          return Future.failedFuture(Problem.unprocessable("The invoice refers to what does not exist.", unknown));
        }
        Map<String, String> fields = invoiceFields(order, customer.result(), product.result());
        return repository.create(fields, idempotencyKey, order.fingerprint())
          .compose(stored -> stored.invoice() != null
            ? answer(ctx, stored.invoice(), false)
            : replay(ctx, stored.earlier(), order));
      });
  }

  /** Answers a request whose idempotency key was used before: the same invoice again, or 422 for another body. */
  private Future<Void> replay(RoutingContext ctx, InvoiceRepository.IdempotencyRecord record, Order order) {
    if (!record.fingerprint().equals(order.fingerprint())) {
      return Future.failedFuture(Problem.unprocessable("This Idempotency-Key was already used for a different invoice.",
        List.of(new FieldError(IDEMPOTENCY_KEY, "was used with another body"))));
    }
    return repository.get(record.invoiceId()).compose(invoice -> invoice == null
      ? Future.failedFuture(Problem.unavailable("The invoice for this Idempotency-Key is being written; try again.", 1))
      : answer(ctx, invoice, true));
  }

  private Future<Void> answer(RoutingContext ctx, EntityStore.Entity invoice, boolean replayed) {
    if (replayed) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    Responses.created(ctx, "/invoices/" + invoice.id(), render(invoice));
    return Future.succeededFuture();
  }

  private static Map<String, String> invoiceFields(Order order, JsonObject customer, JsonObject product) {
    long unitPriceCents = new BigDecimal(String.valueOf(product.getValue("price"))).movePointRight(2).longValueExact();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("id", Ids.random());
    fields.put("customerId", order.customerId());
    fields.put("customerName", customer.getString("name"));
    fields.put("productId", order.productId());
    fields.put("productName", product.getString("name"));
    fields.put("quantity", String.valueOf(order.quantity()));
    fields.put("unitPriceCents", String.valueOf(unitPriceCents));
    fields.put("totalCents", String.valueOf(Math.multiplyExact(unitPriceCents, order.quantity())));
    fields.put("issuedAt", Responses.now());
    return fields;
  }

  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null && !Tokens.isKey(key)) {
      throw Problem.invalid(List.of(new FieldError(IDEMPOTENCY_KEY, "must be 1 to 64 of letters, digits, '.', '_' or '-'")));
    }
    return key;
  }

  private void list(RoutingContext ctx) {
    PageRequest request = PageRequest.from(ctx);
    String customerId = ctx.request().getParam("customerId");
    if (customerId != null && !Tokens.isId(customerId)) {
      throw Problem.invalid(List.of(new FieldError("customerId", JsonBody.ID_RULE)));
    }
    repository.page(customerId, request)
      .onSuccess(page -> Responses.json(ctx, 200, Responses.page(page, InvoiceRoutes::render)))
      .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    String id = Responses.pathId(ctx, "invoice");
    repository.get(id)
      .onSuccess(invoice -> Responses.entityOrNotFound(ctx, invoice, "invoice", InvoiceRoutes::render))
      .onFailure(ctx::fail);
  }

  static JsonObject render(EntityStore.Entity invoice) {
    return new JsonObject()
      .put("id", invoice.id())
      .put("customerId", invoice.field("customerId"))
      .put("customerName", invoice.field("customerName"))
      .put("productId", invoice.field("productId"))
      .put("productName", invoice.field("productName"))
      .put("quantity", Long.parseLong(invoice.field("quantity")))
      .put("unitPrice", Responses.money(Long.parseLong(invoice.field("unitPriceCents"))))
      .put("total", Responses.money(Long.parseLong(invoice.field("totalCents"))))
      .put("issuedAt", invoice.field("issuedAt"));
  }
}
