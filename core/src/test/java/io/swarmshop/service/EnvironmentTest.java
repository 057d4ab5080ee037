package io.swarmshop.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvironmentTest {
  static Stream<Arguments> refusedValues() {
    return Stream.of(
      Arguments.of("HTTP_PORT", "abc", "HTTP_PORT must be a port number from 0 to 65535, got 'abc'"),
      Arguments.of("HTTP_PORT", "65536", "HTTP_PORT must be a port number from 0 to 65535, got '65536'"),
      Arguments.of("MANAGEMENT_PORT", "-1", "MANAGEMENT_PORT must be a port number from 0 to 65535, got '-1'"),
      Arguments.of("EVENT_LOOPS", "0", "EVENT_LOOPS must be a whole number from 1 to 256, got '0'"),
      Arguments.of("EVENT_LOOPS", "1.5", "EVENT_LOOPS must be a whole number from 1 to 256, got '1.5'"),
      Arguments.of("SHUTDOWN_DELAY_MS", "-5", "SHUTDOWN_DELAY_MS must be a number of milliseconds from 0 to 3600000, got '-5'"),
      Arguments.of("SHUTDOWN_GRACE_MS", "99999999999", "SHUTDOWN_GRACE_MS must be a number of milliseconds from 0 to 3600000, got '99999999999'"),
      Arguments.of("SHUTDOWN_GRACE", "ten", "SHUTDOWN_GRACE must be a whole number from 0 to 3600, got 'ten'"),
      Arguments.of("TRANSPORT", "kqueue", "TRANSPORT must be io_uring, epoll or nio, got 'kqueue'"),
      Arguments.of("LOG_LEVEL", "LOUD", "LOG_LEVEL must be SEVERE, WARNING, INFO, CONFIG, FINE, FINER, FINEST, ALL or OFF, got 'LOUD'"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("refusedValues")
  void aBadValueIsRefusedNamingTheVariableAndWhatItAccepts(String name, String value, String message) {
    InvalidSetting refused = assertThrows(InvalidSetting.class, () -> ServiceSettings.from(new Environment(Map.of(name, value))));
    assertEquals(message, refused.getMessage());
  }

  @Test
  void unsetAndBlankValuesTakeTheDefaults() {
    ServiceSettings settings = ServiceSettings.from(new Environment(Map.of("HTTP_PORT", "  ", "HOSTNAME", "here")));
    assertEquals(new ServiceSettings(8080, 9000, Runtime.getRuntime().availableProcessors(), "io_uring", 0, 10_000, Level.INFO, "text", "here",
        "-", new TracingSettings(null, TracingSettings.DEFAULT_SAMPLING), FaultSettings.NONE, WarmUp.ROUNDS),
      settings);
  }

  @Test
  void valuesAreTrimmedAndChoicesTakenWithoutCase() {
    ServiceSettings settings = ServiceSettings.from(new Environment(Map.of("HTTP_PORT", " 8081 ", "TRANSPORT", "EPOLL", "LOG_LEVEL", "warning")));
    assertEquals(8081, settings.httpPort());
    assertEquals("epoll", settings.transport());
    assertEquals(Level.WARNING, settings.logLevel());
  }

  @Test
  void theShutdownGraceInMillisecondsWinsOverTheOlderNameInSeconds() {
    assertEquals(7000, ServiceSettings.from(new Environment(Map.of("SHUTDOWN_GRACE", "7"))).shutdownGraceMs());
    assertEquals(2500, ServiceSettings.from(new Environment(Map.of("SHUTDOWN_GRACE", "7", "SHUTDOWN_GRACE_MS", "2500"))).shutdownGraceMs());
  }

  @Test
  void whatWasReadIsDescribedOnOneLineWithSecretsMasked() {
    Environment env = new Environment(Map.of("A_PORT", "81", "A_URL", "scheme://user:pw@host"));
    env.port("A_PORT", 80);
    env.secret("A_URL", "", url -> url.replace("pw", "***"));
    env.text("A_NAME", "default name");
    assertEquals("A_NAME=default name A_PORT=81 A_URL=scheme://user:***@host", env.describe());
    assertEquals(List.of("A_NAME", "A_PORT", "A_URL"), List.copyOf(env.read().keySet()));
  }
}
