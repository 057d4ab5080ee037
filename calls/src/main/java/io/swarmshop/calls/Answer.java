package io.swarmshop.calls;

import io.swarmshop.discovery.Instance;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * An instance's answer: the response (its head), the length it announced, and its whole body when it
 * was read inside the instance's circuit; null when the body is left to stream (the response paused).
 */
public record Answer(Instance instance, HttpClientResponse response, String length, Buffer body) {
  public int status() {
    return response.statusCode();
  }
}
