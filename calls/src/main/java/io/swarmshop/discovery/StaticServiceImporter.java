package io.swarmshop.discovery;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.spi.ServiceImporter;
import io.vertx.servicediscovery.spi.ServicePublisher;
import io.vertx.servicediscovery.types.HttpEndpoint;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes a fixed list of base URLs per service. Configuration: {@code {"services": {"customers":
 * "http://host:port,http://host2:port"}}}.
 */
public final class StaticServiceImporter implements ServiceImporter {
  @Override
  public void start(Vertx vertx, ServicePublisher publisher, JsonObject configuration, Promise<Void> done) {
    List<Future<?>> published = new ArrayList<>();
    JsonObject services = configuration.getJsonObject("services", new JsonObject());
    for (String service : services.fieldNames()) {
      for (String url : services.getString(service).split(",")) {
        if (!url.isBlank()) {
          URI uri = URI.create(url.trim());
          int port = uri.getPort() > 0 ? uri.getPort() : 80;
          published.add(publisher.publish(HttpEndpoint.createRecord(service, uri.getHost(), port, "/")));
        }
      }
    }
    Future.all(published).<Void>mapEmpty().onComplete(done);
  }
}
