package io.swarmshop.crud;

import io.swarmshop.redis.EntityStore;
import io.swarmshop.redis.RedisConnector;
import io.swarmshop.redis.RedisSettings;
import io.swarmshop.service.Api;
import io.swarmshop.service.ServiceApplication;
import io.swarmshop.service.ServiceContext;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;

/** A service that keeps one simple resource in its own Redis and serves it with {@link CrudRoutes}. */
public final class CrudService implements ServiceApplication {
  private final String path;
  private final CrudRoutes.Resource resource;
  private final RedisSettings redisSettings;

  public CrudService(String path, CrudRoutes.Resource resource, RedisSettings redisSettings) {
    this.path = path;
    this.resource = resource;
    this.redisSettings = redisSettings;
  }

  @Override
  public Future<Api> start(ServiceContext context) {
    RedisConnector redis = RedisConnector.create(context.vertx(), redisSettings);
    EntityStore store = new EntityStore(redis, resource.singular());
    context.readyWhen("redis", redis::ready);
    return Future.succeededFuture(new Api() {
      @Override
      public void setUpEventLoop(Router router) {
        CrudRoutes.mount(router, path, resource, store);
      }

      @Override
      public List<String> warmUpPaths() {
        return List.of(path + "/" + ABSENT_ID, path + "?limit=20");
      }

      @Override
      public Future<Void> close() {
        redis.close();
        return Future.succeededFuture();
      }
    });
  }
}
