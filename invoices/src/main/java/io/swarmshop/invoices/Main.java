package io.swarmshop.invoices;

import io.swarmshop.common.ServiceRunner;

/** The invoices service: invoices kept in its own Redis, checked against customers and products. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("invoices", application());
  }

  public static InvoicesApplication application() {
    return new InvoicesApplication();
  }
}
