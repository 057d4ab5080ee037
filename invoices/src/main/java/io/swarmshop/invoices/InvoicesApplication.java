package io.swarmshop.invoices;

import io.swarmshop.calls.InstanceCalls;
import io.swarmshop.calls.InstanceCircuits;
import io.swarmshop.redis.RedisConnector;
import io.swarmshop.service.Api;
import io.swarmshop.service.ServiceApplication;
import io.swarmshop.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * Wires the invoices service: its Redis and discovery of customers and products, shared by the
 * process; on each event loop its own calls to them, the issuer and the routes.
 */
public final class InvoicesApplication implements ServiceApplication {
  private final InvoicesSettings settings;

  InvoicesApplication(InvoicesSettings settings) {
    this.settings = settings;
  }

  @Override
  public Future<Api> start(ServiceContext context) {
    RedisConnector redis = RedisConnector.create(context.vertx(), settings.redis());
    InvoiceRepository repository = new InvoiceRepository(redis);
    context.readyWhen("redis", redis::ready);
    return InstanceCircuits.start(context.vertx(), settings.discovery(), settings.dependencies().circuits(), context.meters())
      .<Api>map(circuits -> new InvoicesApi(redis, repository, circuits))
      .recover(failure -> {
        redis.close();
        return Future.failedFuture(failure);
      });
  }

  private final class InvoicesApi implements Api {
    private final RedisConnector redis;
    private final InvoiceRepository repository;
    private final InstanceCircuits circuits;

    InvoicesApi(RedisConnector redis, InvoiceRepository repository, InstanceCircuits circuits) {
      this.redis = redis;
      this.repository = repository;
      this.circuits = circuits;
    }

    @Override
    public void setUpEventLoop(Router router) {
      InvoicesSettings.DependencySettings dependencies = settings.dependencies();
      InstanceCalls calls = new InstanceCalls(Vertx.currentContext().owner(), circuits, dependencies.poolSize());
      InvoiceIssuer issuer = new InvoiceIssuer(repository,
        new CatalogClient(calls, "customers", dependencies), new CatalogClient(calls, "products", dependencies));
      InvoiceRoutes.mount(router, repository, issuer);
    }

    @Override
    public List<String> warmUpPaths() {
      return List.of("/invoices/" + ABSENT_ID, "/invoices?limit=20");
    }

    @Override
    public Future<Void> close() {
      redis.close();
      return circuits.close();
    }
  }
}
