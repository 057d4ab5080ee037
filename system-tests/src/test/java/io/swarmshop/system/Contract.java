package io.swarmshop.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docs/openapi.yaml, read for the tests: its operations ("METHOD /template"), the statuses each lists,
 * and whether an answer (its status, media type and body) or a request's body is one the document allows.
 * Bodies are checked with vertx-json-schema against the document's own schemas, $refs and all.
 */
final class Contract {
  private static final String BASE = "https://swarmshop.test/";
  private static final String DOCUMENT = BASE + "openapi.json";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private final JsonObject document;
  private final SchemaRepository schemas;
  /** Every operation ("METHOD /template"), with the concrete paths its template takes. */
  private final Map<String, Pattern> operations = new TreeMap<>();

  private Contract(JsonObject document) {
    this.document = document;
    this.schemas = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
      .setOutputFormat(OutputFormat.Basic));
    // A copy: dereferencing rewrites what it is given.
    schemas.dereference(DOCUMENT, JsonSchema.of(document.copy()));
    document.getJsonObject("paths").fieldNames().forEach(path -> methods(path).forEach(method ->
      operations.put(method.toUpperCase(Locale.ROOT) + " " + path, Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q")))));
  }

  static Contract read() {
    try {
      Map<String, Object> parsed = new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(Path.of("..", "docs", "openapi.yaml")));
      // Through JSON text, so that every nested map and list is a JsonObject or JsonArray.
      return new Contract(new JsonObject(Json.encode(parsed)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole document, as JSON. */
  JsonObject document() {
    return document.copy();
  }

  /** Every operation, with the statuses it lists. */
  Map<String, Set<Integer>> routes() {
    Map<String, Set<Integer>> routes = new TreeMap<>();
    operations.keySet().forEach(route -> {
      Set<Integer> statuses = new TreeSet<>();
      operation(route).getJsonObject("responses").fieldNames().forEach(status -> statuses.add(Integer.parseInt(status)));
      routes.put(route, statuses);
    });
    return routes;
  }

  /** The operation a request falls under ("METHOD /template"), if the contract has one. */
  Optional<String> route(String method, String pathAndQuery) {
    String path = pathAndQuery.split("\\?", 2)[0];
    return operations.entrySet().stream()
      .filter(operation -> operation.getKey().startsWith(method + " ") && operation.getValue().matcher(path).matches())
      .map(Map.Entry::getKey).findFirst();
  }

  /** What is wrong with an answer to the route (nothing: an empty list). */
  List<String> answerProblems(String route, int status, String contentType, Buffer body) {
    JsonObject responses = operation(route).getJsonObject("responses");
    String key = String.valueOf(status);
    if (!responses.containsKey(key)) {
      return List.of(route + " does not list " + status + " (it lists " + responses.fieldNames() + ")");
    }
    JsonObject response = responses.getJsonObject(key);
    if (response.containsKey("$ref")) {
      response = resolve(response.getString("$ref"));
    }
    return contentProblems(route + " " + status, response.getJsonObject("content"), contentType, body);
  }

  /** What is wrong with the body of a request the service took (answered 2xx). */
  List<String> requestProblems(String route, String contentType, Buffer body) {
    JsonObject requestBody = operation(route).getJsonObject("requestBody");
    if (requestBody == null) {
      return body == null || body.length() == 0 ? List.of() : List.of(route + " takes no body");
    }
    return contentProblems(route + " request", requestBody.getJsonObject("content"), contentType, body);
  }

  private List<String> contentProblems(String what, JsonObject content, String contentType, Buffer body) {
    boolean empty = body == null || body.length() == 0;
    if (content == null) {
      return empty ? List.of() : List.of(what + ": the document says no body, got " + body.length() + " bytes");
    }
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
    if (!content.containsKey(mediaType)) {
      return List.of(what + ": media type '" + contentType + "', the document has " + content.fieldNames());
    }
    if (!mediaType.endsWith("json")) {
      return List.of();
    }
    Object value;
    try {
      value = Json.decodeValue(empty ? Buffer.buffer("null") : body);
    } catch (DecodeException notJson) {
      return List.of(what + ": the body is not JSON");
    }
    JsonObject schema = (JsonObject) absolute(content.getJsonObject(mediaType).getJsonObject("schema"));
    OutputUnit result = schemas.validator(JsonSchema.of(schema)).validate(value);
    List<String> problems = new ArrayList<>();
    if (!result.getValid()) {
      problems.add(what + ": the body does not match its schema: " + (result.getErrors() == null ? result.getError()
        : result.getErrors().stream().map(error -> error.getInstanceLocation() + " " + error.getError()).toList()) + " in " + body);
    }
    return problems;
  }

  private JsonObject operation(String route) {
    int space = route.indexOf(' ');
    return document.getJsonObject("paths").getJsonObject(route.substring(space + 1)).getJsonObject(route.substring(0, space).toLowerCase(Locale.ROOT));
  }

  private List<String> methods(String path) {
    return document.getJsonObject("paths").getJsonObject(path).fieldNames().stream().filter(METHODS::contains).toList();
  }

  /** The object a local $ref ("#/components/...") points to. */
  private JsonObject resolve(String ref) {
    Object at = document;
    for (String token : ref.substring(2).split("/")) {
      at = ((JsonObject) at).getValue(token.replace("~1", "/").replace("~0", "~"));
    }
    return (JsonObject) at;
  }

  /** A schema of the document, its local $refs made to point into the document as registered. */
  private static Object absolute(Object schema) {
    if (schema instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(field -> copy.put(field.getKey(), field.getKey().equals("$ref") && field.getValue().toString().startsWith("#")
        ? DOCUMENT + field.getValue() : absolute(field.getValue())));
      return copy;
    }
    if (schema instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(absolute(item)));
      return copy;
    }
    return schema;
  }
}
