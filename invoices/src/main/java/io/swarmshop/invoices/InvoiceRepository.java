package io.swarmshop.invoices;

import io.swarmshop.common.http.PageRequest;
import io.swarmshop.common.redis.EntityStore;
import io.swarmshop.common.redis.RedisConnector;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Invoices in Redis: each with its place in the index of all invoices and in its customer's index,
 * and, when the client sent one, its idempotency key, written in the same atomic step.
 */
final class InvoiceRepository {
  static final long IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

  /** The outcome of an attempt to store a new invoice under an idempotency key. */
  record Stored(EntityStore.Entity invoice, IdempotencyRecord earlier) {}

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

  Future<EntityStore.Entity> get(String id) {
    return store.get(id);
  }

  Future<EntityStore.Page> page(String customerId, PageRequest request) {
    return store.page(customerId == null ? store.indexKey() : customerIndex(customerId), request);
  }

  Future<IdempotencyRecord> idempotencyRecord(String key) {
    return store.guard(keyOf(key)).map(value -> value == null ? null : IdempotencyRecord.parse(value));
  }

  /** Stores the invoice, unless {@code idempotencyKey} (when not null) already stands for an earlier one. */
  Future<Stored> create(Map<String, String> fields, String idempotencyKey, String fingerprint) {
    String id = fields.get("id");
    List<String> indexes = List.of(customerIndex(fields.get("customerId")));
    if (idempotencyKey == null) {
      return store.create(id, fields, indexes).map(position -> new Stored(new EntityStore.Entity(id, position, fields), null));
    }
    return store.createGuarded(id, fields, indexes, keyOf(idempotencyKey), new IdempotencyRecord(fingerprint, id).value(), IDEMPOTENCY_TTL_SECONDS)
      .map(created -> created.created()
        ? new Stored(new EntityStore.Entity(id, created.position(), fields), null)
        : new Stored(null, IdempotencyRecord.parse(created.existingGuard())));
  }

  private String customerIndex(String customerId) {
    return store.indexKey("customer", customerId);
  }

  private static String keyOf(String idempotencyKey) {
    return "invoice:idempotency:" + idempotencyKey;
  }
}
