package io.swarmshop.invoices;

import io.swarmshop.http.PageRequest;
import io.swarmshop.redis.EntityStore;
import io.swarmshop.redis.RedisConnector;
import io.vertx.core.Future;
import java.util.List;

/**
 * Invoices in Redis: each with its place in the index of all invoices and in its customer's index,
 * and, when the client sent one, its idempotency key, written in the same atomic step.
 */
final class InvoiceRepository {
  static final long IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

  /** A page of invoices, newest first, and where the next page starts (null on the last). */
  record Page(List<Invoice> items, Long nextPosition) {}

  /** The outcome of an attempt to store a new invoice: stored, or the key already stood for an earlier one. */
  record Stored(Invoice invoice, IdempotencyRecord earlier) {}

  /** What an idempotency key already stands for: the body's fingerprint and the invoice it created. */
  record IdempotencyRecord(String fingerprint, String invoiceId) {
    static IdempotencyRecord parse(String value) {
      int colon = value.indexOf(':');
      return new IdempotencyRecord(value.substring(0, colon), value.substring(colon + 1));
    }

    String value() {
      return fingerprint + ":" + invoiceId;
    }
  }

  private final EntityStore store;

  InvoiceRepository(RedisConnector redis) {
    this.store = new EntityStore(redis, "invoice");
  }

  Future<Invoice> get(String id) {
    return store.get(id).map(stored -> stored == null ? null : Invoice.of(stored));
  }

  Future<Page> page(String customerId, PageRequest request) {
    return store.page(customerId == null ? store.indexKey() : customerIndex(customerId), request)
      .map(page -> new Page(page.items().stream().map(Invoice::of).toList(), page.nextPosition()));
  }

  Future<IdempotencyRecord> idempotencyRecord(String key) {
    return store.guard(keyOf(key)).map(value -> value == null ? null : IdempotencyRecord.parse(value));
  }

  /** Stores the invoice, unless {@code idempotencyKey} (when not null) already stands for an earlier one. */
  Future<Stored> create(Invoice invoice, String idempotencyKey, String fingerprint) {
    EntityStore.NewEntity entity = new EntityStore.NewEntity(invoice.id(), invoice.fields(), List.of(customerIndex(invoice.customerId())));
    if (idempotencyKey == null) {
      return store.create(entity).map(created -> new Stored(invoice, null));
    }
    EntityStore.Guard guard = new EntityStore.Guard(keyOf(idempotencyKey), new IdempotencyRecord(fingerprint, invoice.id()).value(),
      IDEMPOTENCY_TTL_SECONDS);
    return store.createGuarded(entity, guard).map(created -> created.entity() != null
      ? new Stored(invoice, null)
      : new Stored(null, IdempotencyRecord.parse(created.existingGuard())));
  }

  private String customerIndex(String customerId) {
    return store.indexKey("customer", customerId);
  }

  private static String keyOf(String idempotencyKey) {
    return "invoice:idempotency:" + idempotencyKey;
  }
}
