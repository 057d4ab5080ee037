package io.swarmshop.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A service process given a bad setting stops before it opens a port, with one line that names it. */
class SettingsAtStartTest {
  @ParameterizedTest(name = "{0} with {1}={2}")
  @CsvSource(delimiter = '|', value = {
    "customers | HTTP_PORT             | abc     | customers cannot start: HTTP_PORT must be a port number from 0 to 65535, got 'abc'",
    "invoices  | DEPENDENCY_TIMEOUT_MS | -5      | invoices cannot start: DEPENDENCY_TIMEOUT_MS must be a number of milliseconds from 1 to 60000, got '-5'",
    "gateway   | DISCOVERY             | consul  | gateway cannot start: DISCOVERY must be static, dns or docker, got 'consul'",
    "products  | REDIS_POOL_SIZE       | 0       | products cannot start: REDIS_POOL_SIZE must be a whole number from 1 to 1024, got '0'",
    "webapp    | TRANSPORT             | kqueue  | webapp cannot start: TRANSPORT must be io_uring, epoll or nio, got 'kqueue'"})
  void aBadSettingStopsTheServiceWithOneLineNamingIt(String service, String name, String value, String line)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile(service + "-settings", ".log");
    ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"), "io.swarmshop." + service + ".Main"))
      .redirectErrorStream(true)
      .redirectOutput(output.toFile());
    builder.environment().put(name, value);
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "it stops by itself");
      assertEquals(2, process.exitValue());
      assertEquals(List.of(line), Files.readAllLines(output), "one line, no stack trace");
    } finally {
      process.destroyForcibly();
      Files.delete(output);
    }
  }
}
