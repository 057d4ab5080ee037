package io.swarmshop.invoices;

import io.swarmshop.common.ServiceApplication;
import io.swarmshop.common.ServiceContext;
import io.swarmshop.common.discovery.Discovery;
import io.swarmshop.common.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;

/** Wires the invoices service: its Redis, discovery of customers and products, their clients, the routes. */
public final class InvoicesApplication implements ServiceApplication {
  private RedisConnector redis;
  private Discovery discovery;
  private CatalogClient customers;
  private CatalogClient products;
  private InvoiceRepository repository;

  @Override
  public Future<Void> start(ServiceContext context) {
    redis = RedisConnector.create(context.vertx(), context.config());
    repository = new InvoiceRepository(redis);
    context.readyWhen("redis", redis::ping);
    return Discovery.start(context.vertx(), context.config(), List.of("customers", "products"))
      .map(started -> {
        discovery = started;
        customers = new CatalogClient(context, discovery, "customers", "customerId");
        products = new CatalogClient(context, discovery, "products", "productId");
        return null;
      });
  }

  @Override
  public void routes(Router router) {
    InvoiceRoutes.mount(router, repository, customers, products);
  }

  @Override
  public Future<Void> stop() {
    customers.close();
    products.close();
    discovery.close();
    redis.close();
    return Future.succeededFuture();
  }
}
