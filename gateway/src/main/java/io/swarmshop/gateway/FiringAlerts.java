package io.swarmshop.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;

/**
 * The alerts that fire, as Alertmanager has them (neither silenced nor inhibited), asked for every few
 * seconds so that the cluster view shows them without the browser calling another origin. What the
 * last question answered is kept, with the time it was asked and, when it failed, why.
 */
final class FiringAlerts {
  private static final long POLL_MS = 5000;
  private static final int TIMEOUT_MS = 2000;
  private static final int MAX_ANSWER_BYTES = 1024 * 1024;

  private final URI alertmanager;
  private final HttpClient client;
  private final Vertx vertx;
  private final long timer;
  private volatile JsonObject seen;

  FiringAlerts(Vertx vertx, URI alertmanager) {
    this.vertx = vertx;
    this.alertmanager = alertmanager;
    this.client = vertx.createHttpClient();
    this.seen = new JsonObject().put("source", alertmanager.toString()).put("firing", new JsonArray()).put("error", "not asked yet");
    poll();
    this.timer = vertx.setPeriodic(POLL_MS, tick -> poll());
  }

  /** {@code {source, firing: [{name, severity, summary, since, labels}], checkedAt, error}}. */
  JsonObject toJson() {
    return seen;
  }

  private void poll() {
    int port = alertmanager.getPort() > 0 ? alertmanager.getPort() : "https".equals(alertmanager.getScheme()) ? 443 : 80;
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(alertmanager.getHost()).setPort(port)
        .setSsl("https".equals(alertmanager.getScheme()))
        .setURI(alertmanager.getRawPath() + "/api/v2/alerts?active=true&silenced=false&inhibited=false")
        .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS))
      .compose(request -> request.send())
      .compose(response -> {
        if (response.statusCode() != 200) {
          return response.end().compose(v -> Future.<JsonArray>failedFuture("Alertmanager answered " + response.statusCode()));
        }
        String length = response.getHeader("Content-Length");
        if (length != null && Long.parseLong(length) > MAX_ANSWER_BYTES) {
          return response.end().compose(v -> Future.<JsonArray>failedFuture("Alertmanager's answer is larger than 1 MiB"));
        }
        return response.body().map(body -> body.toJsonArray());
      })
      .onSuccess(alerts -> seen = answer(alerts, null))
      .onFailure(failure -> seen = answer(seen.getJsonArray("firing"), "Alertmanager at " + alertmanager + ": " + failure.getMessage()));
  }

  private JsonObject answer(JsonArray firing, String error) {
    JsonArray alerts = error == null ? new JsonArray() : firing;
    if (error == null) {
      firing.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).forEach(alert -> {
        JsonObject labels = alert.getJsonObject("labels", new JsonObject());
        alerts.add(new JsonObject()
          .put("name", labels.getString("alertname", "?"))
          .put("severity", labels.getString("severity", "none"))
          .put("summary", alert.getJsonObject("annotations", new JsonObject()).getString("summary", ""))
          .put("since", alert.getString("startsAt"))
          .put("labels", labels));
      });
    }
    return new JsonObject().put("source", alertmanager.toString()).put("firing", alerts)
      .put("checkedAt", Instant.now().toString()).put("error", error);
  }

  void close() {
    vertx.cancelTimer(timer);
    client.close();
  }
}
