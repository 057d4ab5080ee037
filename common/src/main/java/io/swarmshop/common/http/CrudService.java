package io.swarmshop.common.http;

import io.swarmshop.common.ServiceApplication;
import io.swarmshop.common.ServiceContext;
import io.swarmshop.common.redis.EntityStore;
import io.swarmshop.common.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** A service that keeps one simple resource in its own Redis and serves it with {@link CrudRoutes}. */
public final class CrudService implements ServiceApplication {
  private final String path;
  private final CrudRoutes.Resource resource;
  private RedisConnector redis;
  private EntityStore store;

  public CrudService(String path, CrudRoutes.Resource resource) {
    this.path = path;
    this.resource = resource;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    redis = RedisConnector.create(context.vertx(), context.config());
    store = new EntityStore(redis, resource.singular());
    context.readyWhen("redis", redis::ping);
    return Future.succeededFuture();
  }

  @Override
  public void routes(Router router) {
    CrudRoutes.mount(router, path, resource, store);
  }

  @Override
  public Future<Void> stop() {
    redis.close();
    return Future.succeededFuture();
  }
}
