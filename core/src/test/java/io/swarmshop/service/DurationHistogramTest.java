package io.swarmshop.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationHistogramTest {
  @Test
  void bucketsAreCumulativeAndInclusiveInTheScrapeBesideMicrometersMeters() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DurationHistogram times = DurationHistogram.register(registry, "vertx_http_server_response_time_seconds", "Request processing time");
    DurationHistogram.Series ok = times.series("service", "customers", "method", "GET", "code", "200");
    ok.record(3_000_000);
    ok.record(5_000_000);
    ok.record(30_000_000);
    ok.record(7_000_000_000L);
    DurationHistogram.Series refused = times.series("service", "customers", "method", "POST", "code", "503");
    refused.record(1_000_000_000);
    registry.counter("swarmshop.other").increment();

    List<String> lines = registry.scrape().lines().toList();
    String get = "{code=\"200\",method=\"GET\",service=\"customers\"";
    assertEquals(List.of(
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"0.005\"} 2",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"0.01\"} 2",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"0.025\"} 2",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"0.05\"} 3",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"0.1\"} 3",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"0.25\"} 3",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"0.5\"} 3",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"1.0\"} 3",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"2.5\"} 3",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"5.0\"} 3",
      "vertx_http_server_response_time_seconds_bucket" + get + ",le=\"+Inf\"} 4",
      "vertx_http_server_response_time_seconds_count" + get + "} 4",
      "vertx_http_server_response_time_seconds_sum" + get + "} 7.038"),
      lines.stream().filter(line -> line.startsWith("vertx_http_server_response_time_seconds_") && line.contains("GET")).toList());
    assertTrue(lines.contains("vertx_http_server_response_time_seconds_bucket{code=\"503\",method=\"POST\",service=\"customers\",le=\"1.0\"} 1"), lines.toString());
    assertTrue(lines.contains("swarmshop_other_total 1.0"), "Micrometer's meters are still there: " + lines);

    times.remove(refused);
    assertTrue(registry.scrape().lines().noneMatch(line -> line.contains("POST")), "a removed series is gone");
    times.close();
    assertTrue(registry.scrape().lines().noneMatch(line -> line.startsWith("vertx_http_server_response_time")), "and a closed histogram");
  }
}
