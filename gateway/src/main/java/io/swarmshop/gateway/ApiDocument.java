package io.swarmshop.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The API's contract, {@code docs/openapi.yaml}, packed into the gateway's jar: served as written at
 * {@code /api/openapi.yaml} and as JSON at {@code /api/openapi.json}, each with a strong ETag of its
 * bytes, so that a client (the docs page, a generator) asks again cheaply and gets a 304. The tests
 * lint it (Redocly); vertx-openapi 5.0.7 cannot read it, as it refuses {@code application/problem+json}.
 */
final class ApiDocument {
  static final String RESOURCE = "openapi.yaml";
  /** Short enough that a new release's document is seen within minutes, with no request while it is fresh. */
  private static final String CACHE_CONTROL = "public, max-age=300";

  private record Variant(Buffer bytes, String contentType, String etag) {}

  private final Variant yaml;
  private final Variant json;

  private ApiDocument(String text) {
    Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    yaml = variant(Buffer.buffer(text, "UTF-8"), "application/yaml; charset=utf-8");
    json = variant(((JsonObject) asJson(parsed)).toBuffer(), "application/json");
  }

  /** Reads and parses the document off the event loop, once, at start. */
  static Future<ApiDocument> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      try (var in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is not in the gateway's jar");
        }
        return new ApiDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    });
  }

  void yaml(RoutingContext ctx) {
    send(ctx, yaml);
  }

  void json(RoutingContext ctx) {
    send(ctx, json);
  }

  private static void send(RoutingContext ctx, Variant variant) {
    ctx.response().putHeader("ETag", variant.etag()).putHeader("Cache-Control", CACHE_CONTROL);
    if (matches(ctx.request().getHeader("If-None-Match"), variant.etag())) {
      ctx.response().setStatusCode(304).end();
    } else {
      ctx.response().putHeader("Content-Type", variant.contentType()).end(variant.bytes());
    }
  }

  /** Whether an {@code If-None-Match} names this tag, or any ({@code *}); a weak comparison, as RFC 9110 asks for it. */
  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String candidate = tag.trim();
      if (candidate.equals("*") || (candidate.startsWith("W/") ? candidate.substring(2) : candidate).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static Variant variant(Buffer bytes, String contentType) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes.getBytes());
      return new Variant(bytes, contentType, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** YAML's maps and lists as JSON's; a key that YAML read as a number (a status code) stays the text it was. */
  private static Object asJson(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject object = new JsonObject();
      map.forEach((key, value) -> object.put(String.valueOf(key), asJson(value)));
      return object;
    }
    if (yaml instanceof List<?> list) {
      JsonArray array = new JsonArray();
      list.forEach(item -> array.add(asJson(item)));
      return array;
    }
    return yaml;
  }
}
