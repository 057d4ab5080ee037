package io.swarmshop.invoices;

import io.swarmshop.http.Ids;
import io.swarmshop.http.Responses;
import io.swarmshop.redis.EntityStore;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An issued invoice: a snapshot of its customer's and product's names and of the unit price, and its
 * total. Money is exact end to end: the price is read from the product's answer as written, kept as a
 * BigDecimal with two decimals, stored as whole cents, and never passes through a double.
 */
record Invoice(String id, String customerId, String customerName, String productId, String productName,
               long quantity, BigDecimal unitPrice, BigDecimal total, String issuedAt) {
  private static final int CENTS = 2;

  /** A new invoice for the order, at the product's current price (in whole cents: {@link CatalogClient} sees to that). */
  static Invoice issue(Order order, CatalogClient.Entry customer, CatalogClient.Entry product) {
    BigDecimal unitPrice = product.price().setScale(CENTS);
    return new Invoice(Ids.random(), order.customerId(), customer.name(), order.productId(), product.name(),
      order.quantity(), unitPrice, unitPrice.multiply(BigDecimal.valueOf(order.quantity())), Responses.now());
  }

  static Invoice of(EntityStore.Entity stored) {
    return new Invoice(stored.id(), stored.field("customerId"), stored.field("customerName"), stored.field("productId"),
      stored.field("productName"), Long.parseLong(stored.field("quantity")), money(stored.field("unitPriceCents")),
      money(stored.field("totalCents")), stored.field("issuedAt"));
  }

  /** The fields it is stored as: strings, money in whole cents. */
  Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("id", id);
    fields.put("customerId", customerId);
    fields.put("customerName", customerName);
    fields.put("productId", productId);
    fields.put("productName", productName);
    fields.put("quantity", String.valueOf(quantity));
    fields.put("unitPriceCents", cents(unitPrice));
    fields.put("totalCents", cents(total));
    fields.put("issuedAt", issuedAt);
    return fields;
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("id", id)
      .put("customerId", customerId)
      .put("customerName", customerName)
      .put("productId", productId)
      .put("productName", productName)
      .put("quantity", quantity)
      .put("unitPrice", unitPrice)
      .put("total", total)
      .put("issuedAt", issuedAt);
  }

  private static String cents(BigDecimal amount) {
    return String.valueOf(amount.movePointRight(CENTS).longValueExact());
  }

  private static BigDecimal money(String cents) {
    return Responses.money(Long.parseLong(cents));
  }
}
