package io.swarmshop.system;

import io.swarmshop.testing.Http;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds every exchange a test makes through a gateway to the contract: each answer to an operation
 * the contract has (its status, media type and body), and the body of each request answered 2xx.
 * What it finds waits in {@link #problems()} for the test to assert there is none.
 */
final class ContractCheck implements Http.Observer {
  static final Contract CONTRACT = Contract.read();

  private final List<String> problems = new CopyOnWriteArrayList<>();

  @Override
  public void exchanged(HttpMethod method, String path, MultiMap requestHeaders, String body, HttpResponse<Buffer> answer) {
    CONTRACT.route(method.name(), path).ifPresent(route -> {
      String what = method + " " + path + ": ";
      CONTRACT.answerProblems(route, answer.statusCode(), answer.getHeader("Content-Type"), answer.body())
        .forEach(problem -> problems.add(what + problem));
      if (answer.statusCode() < 300 && body != null) {
        CONTRACT.requestProblems(route, requestHeaders.get("Content-Type"), Buffer.buffer(body))
          .forEach(problem -> problems.add(what + problem));
      }
    });
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
