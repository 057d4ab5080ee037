package io.swarmshop.drills;

import io.swarmshop.service.Logging;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The load driver of scripts/drills: steady traffic through the gateway's entries until the drill says stop,
 * then an audit of everything the gateway acknowledged, a summary, and an exit code that says
 * whether the drill kept within its budget (1) or not (0 is success).
 */
public final class Main {
  /** Held, as a logger only weakly referenced loses its level: the load counts each broken connection itself. */
  private static final Logger CONNECTIONS = Logger.getLogger("io.vertx.core.net.impl.ConnectionBase");

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Logging.configure(Level.INFO);
    CONNECTIONS.setLevel(Level.OFF);
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
        .compose(tally -> new Audit(vertx, options).check(tally.acknowledged())
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
