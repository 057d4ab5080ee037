package io.swarmshop.calls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ConnectTimeoutException;
import io.swarmshop.discovery.Discovery;
import io.swarmshop.discovery.DiscoverySettings;
import io.swarmshop.discovery.Instance;
import io.swarmshop.service.DurationHistogram;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The instances of every service a process calls, as discovery finds them, and one circuit breaker
 * per instance; closing them closes the discovery too. An instance whose calls keep
 * failing is ejected (its circuit opens); when the circuit turns half-open this process probes the
 * instance itself, so that a recovered instance comes back even when no call would have gone to it.
 * Each circuit's state, failures and rejected calls are in {@code /metrics}, by service and address,
 * with the calls' durations by outcome, and the calls sent again to another instance by service.
 */
public final class InstanceCircuits {
  private static final Logger LOG = Logger.getLogger(InstanceCircuits.class.getName());
  private static final long PRUNE_MS = 10_000;
  private static final int PROBE_CONNECT_TIMEOUT_MS = 500;
  private static final int PROBE_IDLE_TIMEOUT_MS = 1000;
  /** A new circuit's quick call was sent this long before it: none yet, as far as any call can tell. */
  private static final long NO_QUICK_CALL_YET_NANOS = Long.MAX_VALUE / 2;

  /** An instance's breaker and the meters that show it. */
  private record Circuit(CircuitBreaker breaker, Counter rejected, List<Meter> meters,
                         DurationHistogram.Series answered, DurationHistogram.Series failed, AtomicLong quickCallStartedNanos,
                         AtomicReference<String> lastFailure) {
    /** A call sent at {@code startedNanos} was answered within the slow-call limit (any answer, without one). */
    void answeredQuickly(long startedNanos) {
      quickCallStartedNanos.accumulateAndGet(startedNanos, (latest, started) -> started - latest > 0 ? started : latest);
    }

    /** Whether a call sent after {@code startedNanos} was answered within the slow-call limit. */
    boolean answeredQuicklySince(long startedNanos) {
      return quickCallStartedNanos.get() - startedNanos > 0;
    }
  }

  /**
   * An instance's circuit outlives discovery's record of it (a refresh may give it a new registration
   * id), so it is found by service and address; no string is built for that on every call.
   */
  private record Key(String service, String host, int port) {}

  private final Vertx vertx;
  private final Discovery discovery;
  private final HttpClient probeClient;
  private final MeterRegistry registry;
  private final CircuitBreakerOptions options;
  private final long slowCallNanos;
  private final Map<Key, Circuit> circuits = new ConcurrentHashMap<>();
  private final Map<String, Counter> retried;
  private final DurationHistogram durations;
  private final long pruneTimer;

  /** Starts discovering the instances of the services {@code discovery} names, with a circuit for each. */
  public static Future<InstanceCircuits> start(Vertx vertx, DiscoverySettings discovery, CircuitSettings settings, MeterRegistry registry) {
    return Discovery.start(vertx, discovery).map(started -> new InstanceCircuits(vertx, started, settings, registry));
  }

  private InstanceCircuits(Vertx vertx, Discovery discovery, CircuitSettings settings, MeterRegistry registry) {
    this.vertx = vertx;
    this.discovery = discovery;
    this.registry = registry;
    this.probeClient = vertx.createHttpClient();
    this.slowCallNanos = TimeUnit.MILLISECONDS.toNanos(settings.slowCallMs());
    this.options = new CircuitBreakerOptions()
      .setMaxFailures(settings.maxFailures())
      .setResetTimeout(settings.resetMs())
      .setFailuresRollingWindow(CircuitSettings.FAILURES_WINDOW_MS)
      // Each call sets its own time limits.
      .setTimeout(-1)
      // No event-bus notifications: they make every call record into a shared, locked histogram.
      .setNotificationAddress(null);
    this.durations = DurationHistogram.register(registry, "swarmshop_calls_duration_seconds",
      "Calls to an instance, until the head of its answer or the failure, by outcome (answered: the policy took the answer)");
    this.pruneTimer = vertx.setPeriodic(PRUNE_MS, tick -> prune());
    // Made up front, so that a dashboard sees each service's count before its first retry.
    this.retried = discovery.services().stream().collect(Collectors.toUnmodifiableMap(service -> service,
      service -> Counter.builder("swarmshop.calls.retried").description("Calls sent again to another instance after a failure")
        .tag("dependency", service).register(registry)));
  }

  public Discovery discovery() {
    return discovery;
  }

  /** A call answered, but slowly: a failure to the circuit, and still the caller's answer. */
  private static final class SlowAnswer extends RuntimeException {
    final Object answer;

    SlowAnswer(Object answer) {
      super("answered slowly", null, false, false);
      this.answer = answer;
    }
  }

  /** A failure the circuit does not count, passed through it as a value to be failed again after it. */
  private record Uncounted(Throwable failure) {}

  /**
   * Sends one call through the instance's circuit, and times it by outcome unless the circuit refused
   * it; the circuit is looked up once for both. A slow answer counts against the circuit (see
   * {@link CircuitSettings}) and is still handed on. No connection had in time counts only when the
   * instance is its service's only one, or another answered in time a call sent after this one: every
   * instance at once is the caller's stall (its cores, as a revived node's containers all start), and
   * ejecting them all would fail every call for the reset time after it. (A caller that sends one call
   * at a time so never ejects such an instance: each of its calls waits the connect timeout there, and
   * goes to another.)
   */
  @SuppressWarnings("unchecked")
  <T> Future<T> execute(Instance instance, Supplier<Future<T>> call) {
    Circuit circuit = circuit(instance);
    long started = System.nanoTime();
    Supplier<Future<Object>> judged = () -> call.get().<Object>compose(answer -> {
      long took = System.nanoTime() - started;
      if (inTime(took)) {
        circuit.answeredQuickly(started);
      } else if (slowerThanAnother(instance, started)) {
        circuit.lastFailure().set("answered in " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
        return Future.failedFuture(new SlowAnswer(answer));
      }
      return Future.succeededFuture(answer);
    }, failure -> {
      if (noConnectionInTime(failure) && !aloneInItsService(instance) && !slowerThanAnother(instance, started)) {
        return Future.succeededFuture(new Uncounted(failure));
      }
      // Kept before the circuit counts it, which may open the circuit and say why at once.
      circuit.lastFailure().set(String.valueOf(failure.getMessage()));
      return Future.failedFuture(failure);
    });
    return circuit.breaker().<Object>execute(judged)
      .andThen(done -> {
        if (!(done.cause() instanceof OpenCircuitException)) {
          (done.cause() instanceof SlowAnswer || done.succeeded() && !(done.result() instanceof Uncounted)
            ? circuit.answered() : circuit.failed()).record(System.nanoTime() - started);
        }
      })
      .transform(done -> done.succeeded()
        ? done.result() instanceof Uncounted uncounted ? Future.failedFuture(uncounted.failure()) : Future.succeededFuture((T) done.result())
        : done.cause() instanceof SlowAnswer slow ? Future.succeededFuture((T) slow.answer) : Future.failedFuture(done.cause()));
  }

  /** Whether an answer that took {@code nanos} came within the slow-call limit (always, without one). */
  private boolean inTime(long nanos) {
    return slowCallNanos == 0 || nanos <= slowCallNanos;
  }

  /** No connection could be had within the connect timeout: neither a pooled one nor a new one. */
  private static boolean noConnectionInTime(Throwable failure) {
    return failure instanceof NotReached notReached
      && (notReached.getCause() instanceof TimeoutException || notReached.getCause() instanceof ConnectTimeoutException);
  }

  private boolean aloneInItsService(Instance instance) {
    return discovery.instances(instance.service()).size() <= 1;
  }

  /**
   * Whether a call sent at {@code startedNanos} and answered past the limit says the instance is slow:
   * another healthy instance of its service answered, within the limit, a call sent after this one.
   * Slow while another was quick, it is the instance; all slow together (a stall of the caller's
   * cores, as when a node's containers all start at once, or of what they all depend on), it is not,
   * and taking them out would fail every call.
   */
  private boolean slowerThanAnother(Instance instance, long startedNanos) {
    return discovery.instances(instance.service()).stream().anyMatch(other -> {
      Circuit circuit = other.equals(instance) ? null : circuits.get(key(other));
      return circuit != null && circuit.breaker().state() == CircuitBreakerState.CLOSED && circuit.answeredQuicklySince(startedNanos);
    });
  }

  public CircuitBreakerState state(Instance instance) {
    Circuit circuit = circuits.get(key(instance));
    return circuit == null ? CircuitBreakerState.CLOSED : circuit.breaker().state();
  }

  public boolean healthy(Instance instance) {
    return state(instance) == CircuitBreakerState.CLOSED;
  }

  /** Whether a call may go to the instance; one that may not counts as a call its circuit rejected. */
  boolean admits(Instance instance) {
    if (healthy(instance)) {
      return true;
    }
    rejected(instance);
    return false;
  }

  void retried(String service) {
    Counter counter = retried.get(service);
    if (counter != null) {
      counter.increment();
    }
  }

  void rejected(Instance instance) {
    circuit(instance).rejected().increment();
  }

  private Circuit circuit(Instance instance) {
    Key key = key(instance);
    Circuit circuit = circuits.get(key);
    return circuit != null ? circuit : circuits.computeIfAbsent(key, absent -> open(instance));
  }

  private Circuit open(Instance instance) {
    String address = instance.host() + ":" + instance.port();
    CircuitBreaker breaker = CircuitBreaker.create(instance.service() + " " + address, vertx, options);
    // Said once each way: a failed probe opens the circuit again, every reset time, for as long as a
    // dead node's instance stays listed.
    AtomicBoolean ejected = new AtomicBoolean();
    // The last failure says what failed: the instance's answers, or the connections to it, or their wait.
    AtomicReference<String> lastFailure = new AtomicReference<>("none");
    breaker
      .openHandler(v -> {
        if (ejected.compareAndSet(false, true)) {
          LOG.warning(instance.service() + " instance " + instance.url() + " ejected: its calls fail (the last: " + lastFailure.get() + ")");
        }
      })
      .halfOpenHandler(v -> probe(instance, breaker))
      .closeHandler(v -> {
        if (ejected.compareAndSet(true, false)) {
          LOG.info(instance.service() + " instance " + instance.url() + " is back");
        }
      });
    // Not "instance": Prometheus keeps that label for the scraped process itself.
    Tags tags = Tags.of("dependency", instance.service(), "address", address);
    Counter rejected = Counter.builder("swarmshop.circuit.rejected")
      .description("Calls not sent to the instance, as its circuit was open").tags(tags).register(registry);
    Gauge state = Gauge.builder("swarmshop.circuit.state", breaker, InstanceCircuits::stateValue)
      .description("An instance's circuit: 0 closed, 1 half-open, 2 open").tags(tags).register(registry);
    Gauge failures = Gauge.builder("swarmshop.circuit.failures", breaker, CircuitBreaker::failureCount)
      .description("Failures the instance's circuit counts in its rolling window").tags(tags).register(registry);
    return new Circuit(breaker, rejected, List.of(rejected, state, failures),
      durations.series("dependency", instance.service(), "address", address, "outcome", "answered"),
      durations.series("dependency", instance.service(), "address", address, "outcome", "failed"), new AtomicLong(System.nanoTime() - NO_QUICK_CALL_YET_NANOS),
      lastFailure);
  }

  /**
   * Any HTTP answer but a 500 proves the instance is reachable and serving; a failed connection,
   * silence, an instance that errs on everything (a 500 even for {@code GET /}), or one still too
   * slow, does not.
   */
  private void probe(Instance instance, CircuitBreaker breaker) {
    long started = System.nanoTime();
    breaker.<Void>execute(() -> probeClient.request(new RequestOptions()
        .setMethod(HttpMethod.GET).setHost(instance.host()).setPort(instance.port()).setURI("/")
        .setConnectTimeout(PROBE_CONNECT_TIMEOUT_MS).setIdleTimeout(PROBE_IDLE_TIMEOUT_MS))
      .compose(request -> request.send())
      .compose(response -> response.end().compose(ended -> response.statusCode() == 500 ? Future.failedFuture("answered 500")
        : !inTime(System.nanoTime() - started) && slowerThanAnother(instance, started)
          ? Future.failedFuture("answered slowly") : Future.succeededFuture())));
  }

  /** Forgets the circuits, and their meters, of instances discovery no longer knows. */
  private void prune() {
    Set<Key> known = discovery.services().stream()
      .flatMap(service -> discovery.instances(service).stream())
      .map(InstanceCircuits::key)
      .collect(Collectors.toSet());
    circuits.entrySet().removeIf(entry -> {
      boolean gone = !known.contains(entry.getKey());
      if (gone) {
        close(entry.getValue());
      }
      return gone;
    });
  }

  private void close(Circuit circuit) {
    circuit.breaker().close();
    circuit.meters().forEach(registry::remove);
    durations.remove(circuit.answered());
    durations.remove(circuit.failed());
  }

  private static Key key(Instance instance) {
    return new Key(instance.service(), instance.host(), instance.port());
  }

  private static double stateValue(CircuitBreaker breaker) {
    return switch (breaker.state()) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  public Future<Void> close() {
    vertx.cancelTimer(pruneTimer);
    circuits.values().forEach(this::close);
    circuits.clear();
    retried.values().forEach(registry::remove);
    durations.close();
    discovery.close();
    return probeClient.close();
  }
}
