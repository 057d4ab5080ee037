package io.swarmshop.invoices;

import io.swarmshop.http.JsonBody;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/** A validated request to issue an invoice: who buys what, how many. */
record Order(String customerId, String productId, long quantity) {
  static final long MAX_QUANTITY = 1_000_000;
  private static final Set<String> FIELDS = Set.of("customerId", "productId", "quantity");

  /** Reads a POST body; every invalid field is named in one 400 problem. */
  static Order read(JsonBody body) {
    body.allowOnly(FIELDS);
    Order order = new Order(body.id("customerId"), body.id("productId"), body.integer("quantity", 1, MAX_QUANTITY));
    body.validate();
    return order;
  }

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
