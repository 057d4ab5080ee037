package io.swarmshop.calls;

import io.swarmshop.http.Idempotency;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * How a caller tries the instances of a service.
 *
 * @param maxAttempts instances tried at most for one call
 * @param failingStatus answers that count as a failure of the instance (besides no answer at all)
 * @param repeatedMethods methods sent again to another instance after one that was reached failed
 * @param repeatsKeyedPosts whether a POST with an {@code Idempotency-Key} is sent again likewise
 * @param neverReached failures besides {@link NotReached} that prove the request never left
 * @param bufferedAnswerLimit answers up to this length are read whole inside the circuit; longer ones,
 *     and those of unknown length, are handed on to stream
 */
public record CallPolicy(int maxAttempts, IntPredicate failingStatus, Set<HttpMethod> repeatedMethods,
                         boolean repeatsKeyedPosts, Predicate<Throwable> neverReached, long bufferedAnswerLimit) {
  public boolean repeatable(HttpMethod method, MultiMap headers) {
    return repeatedMethods.contains(method)
      || repeatsKeyedPosts && method == HttpMethod.POST && headers.contains(Idempotency.KEY_HEADER);
  }
}
