package io.swarmshop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

/** What every error answer must be: an RFC 9457 problem with the status, and nothing of the code behind it. */
public final class ProblemAnswers {
  private ProblemAnswers() {
  }

  /** Asserts the answer is a problem with this status; returns the problem. */
  public static JsonObject assertProblem(HttpResponse<Buffer> response, int status) {
    String body = response.bodyAsString();
    assertEquals(status, response.statusCode(), body);
    assertEquals("application/problem+json", response.getHeader("Content-Type"), body);
    JsonObject problem = response.bodyAsJsonObject();
    assertEquals(status, problem.getInteger("status"), body);
    assertNotNull(problem.getString("title"), body);
    assertNotNull(problem.getString("detail"), body);
    assertFalse(body.contains("Exception") || body.contains("io.vertx") || body.contains("io.swarmshop"), "no Java class name leaks: " + body);
    return problem;
  }

  /** A 503 problem that says when to try again. */
  public static JsonObject assertUnavailable(HttpResponse<Buffer> response) {
    JsonObject problem = assertProblem(response, 503);
    assertEquals("1", response.getHeader("Retry-After"));
    return problem;
  }
}
