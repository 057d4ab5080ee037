package io.swarmshop.invoices;

import io.swarmshop.http.Idempotency;
import io.swarmshop.http.Problem;
import io.swarmshop.http.Problem.FieldError;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Issues invoices: looks up the customer and the product at once, decides (422 for what does not
 * exist), stores, and answers a retry under the same idempotency key with the invoice it first made.
 */
final class InvoiceIssuer {
  /** The invoice answered, and whether it was made by an earlier request with the same key. */
  record Issued(Invoice invoice, boolean replayed) {}

  private final InvoiceRepository repository;
  private final CatalogClient customers;
  private final CatalogClient products;

  InvoiceIssuer(InvoiceRepository repository, CatalogClient customers, CatalogClient products) {
    this.repository = repository;
    this.customers = customers;
    this.products = products;
  }

  /** {@code idempotencyKey} may be null; {@code requestId} goes with the look-ups. */
  Future<Issued> issue(Order order, String idempotencyKey, String requestId) {
    Future<InvoiceRepository.IdempotencyRecord> earlier = idempotencyKey == null
      ? Future.succeededFuture()
      : repository.idempotencyRecord(idempotencyKey);
    return earlier.compose(record -> record != null ? replay(record, order) : lookUpAndStore(order, idempotencyKey, requestId));
  }

  private Future<Issued> lookUpAndStore(Order order, String idempotencyKey, String requestId) {
    Future<CatalogClient.Entry> customer = customers.find(order.customerId(), requestId);
    Future<CatalogClient.Entry> product = products.find(order.productId(), requestId);
    return Future.join(customer, product)
      .transform(both -> customer.failed() ? Future.failedFuture(customer.cause())
        : product.failed() ? Future.failedFuture(product.cause())
        : Future.succeededFuture())
      .compose(checked -> {
        List<FieldError> unknown = new ArrayList<>();
        if (customer.result() == null) {
          unknown.add(new FieldError("customerId", "no customer has this id"));
        }
        if (product.result() == null) {
          unknown.add(new FieldError("productId", "no product has this id"));
        }
        if (!unknown.isEmpty()) {
          return Future.failedFuture(Problem.unprocessable("The invoice refers to what does not exist.", unknown));
        }
        return repository.create(Invoice.issue(order, customer.result(), product.result()), idempotencyKey, order.fingerprint())
          .compose(stored -> stored.invoice() != null
            ? Future.succeededFuture(new Issued(stored.invoice(), false))
            : replay(stored.earlier(), order));
      });
  }

  /** The invoice an idempotency key was first used for, or 422 when the key came with another order. */
  private Future<Issued> replay(InvoiceRepository.IdempotencyRecord record, Order order) {
    if (!record.fingerprint().equals(order.fingerprint())) {
      return Future.failedFuture(Problem.unprocessable("This Idempotency-Key was already used for a different invoice.",
        List.of(new FieldError(Idempotency.KEY_HEADER, "was used with another body"))));
    }
    return repository.get(record.invoiceId()).compose(invoice -> invoice == null
      ? Future.failedFuture(Problem.unavailable("The invoice for this Idempotency-Key is being written; try again.", 1))
      : Future.succeededFuture(new Issued(invoice, true)));
  }
}
