package io.swarmshop.products;

import io.swarmshop.common.ServiceRunner;
import io.swarmshop.common.http.CrudService;

/** The products service: products kept in its own Redis, served at {@code /products}. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("products", application());
  }

  public static CrudService application() {
    return new CrudService("/products", new ProductResource());
  }
}
