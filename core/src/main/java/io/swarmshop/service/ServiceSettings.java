package io.swarmshop.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.logging.Level;

/** What every service is configured by: its ports, threads, transport, shutdown, logging, tracing and injected faults. */
public record ServiceSettings(int httpPort, int managementPort, int eventLoops, String transport,
                              int shutdownDelayMs, int shutdownGraceMs, Level logLevel, String logFormat,
                              String hostname, String node, TracingSettings tracing, FaultSettings faults, int warmUpRounds) {
  static final List<String> TRANSPORTS = ServiceRunner.FASTEST_FIRST.stream().map(Transport::name).toList();
  private static final List<String> LOG_LEVELS = List.of("SEVERE", "WARNING", "INFO", "CONFIG", "FINE", "FINER", "FINEST", "ALL", "OFF");
  private static final int HOUR_MS = 3_600_000;

  public static ServiceSettings from(Environment env) {
    return new ServiceSettings(
      env.port("HTTP_PORT", 8080),
      env.port("MANAGEMENT_PORT", 9000),
      env.wholeNumber("EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 256),
      env.oneOf("TRANSPORT", "io_uring", TRANSPORTS),
      env.milliseconds("SHUTDOWN_DELAY_MS", 0, 0, HOUR_MS),
      shutdownGraceMs(env),
      Level.parse(env.oneOf("LOG_LEVEL", "INFO", LOG_LEVELS)),
      env.oneOf("LOG_FORMAT", "text", Logging.FORMATS),
      env.text("HOSTNAME", localHostName()),
      env.text("NODE_NAME", "-"),
      TracingSettings.from(env),
      FaultSettings.from(env),
      env.wholeNumber("WARM_UP_ROUNDS", WarmUp.ROUNDS, 0, 10_000));
  }

  /** SHUTDOWN_GRACE_MS; SHUTDOWN_GRACE, in seconds, is the older name, still taken when the new one is not set. */
  private static int shutdownGraceMs(Environment env) {
    if (!env.isSet("SHUTDOWN_GRACE_MS") && env.isSet("SHUTDOWN_GRACE")) {
      return env.wholeNumber("SHUTDOWN_GRACE", 10, 0, HOUR_MS / 1000) * 1000;
    }
    return env.milliseconds("SHUTDOWN_GRACE_MS", 10_000, 0, HOUR_MS);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
