package io.swarmshop.customers;

import io.swarmshop.crud.CrudService;
import io.swarmshop.redis.RedisSettings;
import io.swarmshop.service.Environment;
import io.swarmshop.service.ServiceRunner;

/** The customers service: customers kept in its own Redis, served at {@code /customers}. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    ServiceRunner.main("customers", Main::application);
  }

  public static CrudService application(Environment env) {
    return new CrudService("/customers", new CustomerResource(), RedisSettings.from(env));
  }
}
