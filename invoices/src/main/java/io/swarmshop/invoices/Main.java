package io.swarmshop.invoices;

import io.swarmshop.service.Environment;
import io.swarmshop.service.ServiceRunner;

/** The invoices service: invoices kept in its own Redis, checked against customers and products. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("invoices", Main::application);
  }

  public static InvoicesApplication application(Environment env) {
    return new InvoicesApplication(InvoicesSettings.from(env));
  }
}
