package io.swarmshop.customers;

import io.swarmshop.common.ServiceRunner;
import io.swarmshop.common.http.CrudService;

/** The customers service: customers kept in its own Redis, served at {@code /customers}. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("customers", application());
  }

  public static CrudService application() {
    return new CrudService("/customers", new CustomerResource());
  }
}
