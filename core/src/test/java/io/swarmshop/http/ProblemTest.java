package io.swarmshop.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RFC 9457 shape every error answer has. */
class ProblemTest {
  @Test
  void aProblemHasTypeTitleStatusAndDetail() {
    assertEquals(new JsonObject().put("type", "about:blank").put("title", "Not found").put("status", 404).put("detail", "No customer has this id."),
      Responses.noSuch("customer").toJson());
  }

  @Test
  void invalidFieldsAreListedEachWithItsMessage() {
    JsonObject json = Problem.invalid(List.of(new Problem.FieldError("name", "is required"), new Problem.FieldError("price", "must be a number"))).toJson();
    assertEquals(400, json.getInteger("status"));
    assertEquals("name", json.getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals("must be a number", json.getJsonArray("errors").getJsonObject(1).getString("message"));
  }

  @Test
  void onlyAnUnavailableAnswerSaysWhenToTryAgain() {
    assertEquals(1, Problem.unavailable("down", 1).retryAfterSeconds());
    assertEquals(503, Problem.unavailable("down", 1).status());
    assertNull(Problem.badRequest("bad").retryAfterSeconds());
    assertNull(Problem.unprocessable("no", List.of()).retryAfterSeconds());
  }
}
