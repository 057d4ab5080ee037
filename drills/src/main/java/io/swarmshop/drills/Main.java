package io.swarmshop.drills;

import io.swarmshop.service.Logging;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;

/**
 * The load driver of scripts/drills: steady traffic through the gateway until the drill says stop,
 * then an audit of every invoice the gateway acknowledged, a summary, and an exit code that says
 * whether the drill kept within its budget (1) or not (0 is success).
 */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Logging.configure(Level.INFO);
    DrillOptions options;
    try {
      options = DrillOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(DrillOptions.USAGE);
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    Summary summary;
    try {
      LoadDriver driver = new LoadDriver(options);
      summary = vertx.deployVerticle(driver)
        .compose(id -> driver.finished())
        .compose(tally -> new InvoiceAudit(vertx, options).check(tally.acknowledged())
          .map(audit -> new Summary(options, tally, audit)))
        .await();
    } finally {
      vertx.close().await();
    }
    System.out.println(summary.text());
    if (options.reportFile() != null) {
      Files.writeString(Path.of(options.reportFile()), summary.json().encodePrettily() + "\n");
    }
    System.exit(summary.passed() ? 0 : 1);
  }
}
