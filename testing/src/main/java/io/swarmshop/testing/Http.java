package io.swarmshop.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small blocking HTTP client for tests, on a real Vert.x web client; an observer may see every exchange. */
public final class Http {
  /** Sees each request this client sends and the answer it gets (as a contract check does). */
  public interface Observer {
    void exchanged(HttpMethod method, String path, MultiMap requestHeaders, String body, HttpResponse<Buffer> answer);
  }

  private final WebClient client;
  private final int port;
  private final Observer observer;

  public Http(Vertx vertx, int port) {
    this(vertx, port, (method, path, requestHeaders, body, answer) -> { });
  }

  public Http(Vertx vertx, int port, Observer observer) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setFollowRedirects(false),
      new PoolOptions().setHttp1MaxSize(64));
    this.port = port;
    this.observer = observer;
  }

  public int port() {
    return port;
  }

  public HttpResponse<Buffer> get(String path) {
    return await(exchange(HttpMethod.GET, path, client.request(HttpMethod.GET, path), null));
  }

  public HttpResponse<Buffer> delete(String path) {
    return await(exchange(HttpMethod.DELETE, path, client.request(HttpMethod.DELETE, path), null));
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, body.encode(), MultiMap.caseInsensitiveMultiMap());
  }

  public HttpResponse<Buffer> put(String path, JsonObject body) {
    return send(HttpMethod.PUT, path, body.encode(), MultiMap.caseInsensitiveMultiMap());
  }

  /** Sends a raw body as application/json unless {@code headers} says otherwise. */
  public HttpResponse<Buffer> send(HttpMethod method, String path, String body, MultiMap headers) {
    return await(sendAsync(method, path, body, headers));
  }

  public Future<HttpResponse<Buffer>> sendAsync(HttpMethod method, String path, String body, MultiMap headers) {
    HttpRequest<Buffer> request = client.request(method, path);
    request.putHeader("Content-Type", "application/json");
    headers.forEach(request::putHeader);
    return exchange(method, path, request, body);
  }

  private Future<HttpResponse<Buffer>> exchange(HttpMethod method, String path, HttpRequest<Buffer> request, String body) {
    return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)))
      .onSuccess(answer -> observer.exchanged(method, path, request.headers(), body, answer));
  }

  /** Every item of a paginated list, following its cursors; {@code query} is added to the path ("&customerId=..."). */
  public List<JsonObject> all(String path, String query) {
    List<JsonObject> items = new ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<Buffer> page = get(path + "?limit=500" + query + (cursor == null ? "" : "&cursor=" + cursor));
      if (page.statusCode() != 200) {
        throw new AssertionError("listing " + path + " answered " + page.statusCode() + ": " + page.bodyAsString());
      }
      page.bodyAsJsonObject().getJsonArray("items").forEach(item -> items.add((JsonObject) item));
      cursor = page.bodyAsJsonObject().getString("nextCursor");
    } while (cursor != null);
    return items;
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 20 s", e);
    }
  }

  public void close() {
    client.close();
  }
}
