package io.swarmshop.products;

import io.swarmshop.crud.CrudService;
import io.swarmshop.redis.RedisSettings;
import io.swarmshop.service.Environment;
import io.swarmshop.service.ServiceRunner;

/** The products service: products kept in its own Redis, served at {@code /products}. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("products", Main::application);
  }

  public static CrudService application(Environment env) {
    return new CrudService("/products", new ProductResource(), RedisSettings.from(env));
  }
}
