package io.swarmshop.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.buffer.Buffer;
import io.swarmshop.http.Problem.FieldError;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader for flat JSON object bodies. Numbers keep their exact written value (BigDecimal),
 * so money with three decimals or a quantity written as 1.5 is seen as such, not as a rounded double.
 * Each getter records a field error instead of throwing; {@link #validate()} throws them all at once.
 */
public final class JsonBody {
  private static final JsonFactory FACTORY = JsonFactory.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .build();
  /** Marks a value that is an object or an array, which no field of this API accepts. */
  private static final Object NESTED = new Object();

  private final Map<String, Object> fields;
  private final List<FieldError> errors = new ArrayList<>();

  private JsonBody(Map<String, Object> fields) {
    this.fields = fields;
  }

  /** Parses the body, failing with a 400 problem when it is not one JSON object. */
  public static JsonBody parse(Buffer body) {
    if (body == null || body.length() == 0) {
      throw Problem.badRequest("The request body is empty; a JSON object is expected.");
    }
    try (JsonParser parser = FACTORY.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw Problem.badRequest("The request body must be a JSON object.");
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        fields.put(name, valueOf(parser, token));
      }
      if (parser.nextToken() != null) {
        throw Problem.badRequest("The request body has content after the JSON object.");
      }
      return new JsonBody(fields);
    } catch (JsonParseException e) {
      throw Problem.badRequest("The request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw Problem.badRequest("The request body could not be read.");
    }
  }

  private static Object valueOf(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> new BigDecimal(parser.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case START_OBJECT, START_ARRAY -> {
        parser.skipChildren();
        yield NESTED;
      }
      default -> throw Problem.badRequest("The request body is not valid JSON.");
    };
  }

  public String string(String name, int minLength, int maxLength, boolean required) {
    Object value = fields.get(name);
    if (value == null) {
      if (required) {
        errors.add(new FieldError(name, fields.containsKey(name) ? "must not be null" : "is required"));
      }
      return required ? null : "";
    }
    if (!(value instanceof String text)) {
      errors.add(new FieldError(name, "must be a string"));
      return null;
    }
    int length = text.codePointCount(0, text.length());
    if (minLength > 0 && text.isBlank()) {
      errors.add(new FieldError(name, "must not be blank"));
    } else if (length < minLength || length > maxLength) {
      errors.add(new FieldError(name, "must be " + minLength + " to " + maxLength + " characters long"));
    }
    return text;
  }

  /** A required reference to another entity: a string that has the shape of an id. */
  public String id(String name) {
    String text = string(name, 1, Tokens.MAX_LENGTH, true);
    if (text != null && !text.isBlank() && text.length() <= Tokens.MAX_LENGTH && !Tokens.isId(text)) {
      errors.add(new FieldError(name, Tokens.ID_RULE));
    }
    return text;
  }

  /** A whole number in [min, max]; 1.0, 1.5 and "3" are refused. */
  public long integer(String name, long min, long max) {
    BigDecimal number = number(name);
    if (number == null) {
      return 0;
    }
    if (number.scale() > 0 || number.compareTo(BigDecimal.valueOf(min)) < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      errors.add(new FieldError(name, "must be a whole number from " + min + " to " + max));
      return 0;
    }
    return number.longValueExact();
  }

  /** Money in [0, max] with at most two decimals, returned in integer cents. */
  public long cents(String name, long maxWhole) {
    BigDecimal number = number(name);
    if (number == null) {
      return 0;
    }
    BigDecimal normalized = number.stripTrailingZeros();
    if (normalized.scale() > 2 || number.signum() < 0 || number.compareTo(BigDecimal.valueOf(maxWhole)) > 0) {
      errors.add(new FieldError(name, "must be an amount from 0 to " + maxWhole + " with at most 2 decimals"));
      return 0;
    }
    return number.movePointRight(2).longValueExact();
  }

  /** A number exactly as written. */
  public BigDecimal decimal(String name) {
    return number(name);
  }

  private BigDecimal number(String name) {
    Object value = fields.get(name);
    if (value == null) {
      errors.add(new FieldError(name, fields.containsKey(name) ? "must not be null" : "is required"));
      return null;
    }
    if (!(value instanceof BigDecimal number)) {
      errors.add(new FieldError(name, "must be a number"));
      return null;
    }
    return number;
  }

  /** Refuses fields this resource does not know, so a typo is not silently ignored. */
  public JsonBody allowOnly(Set<String> known) {
    fields.keySet().stream()
      .filter(name -> !known.contains(name))
      .forEach(name -> errors.add(new FieldError(name, "is not a known field")));
    return this;
  }

  /** Whether the body names this field, even as null. */
  public boolean has(String name) {
    return fields.containsKey(name);
  }

  /** Whether every field read so far was as it must be. */
  public boolean isValid() {
    return errors.isEmpty();
  }

  public void validate() {
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors);
    }
  }
}
