package io.swarmshop.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every class of body the services refuse, and how: the pure reader under every POST and PUT. */
class JsonBodyTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "empty                 |                                  | The request body is empty; a JSON object is expected.",
    "an array              | [1,2]                            | The request body must be a JSON object.",
    "a string              | \"Ada\"                          | The request body must be a JSON object.",
    "a second object       | {\"name\":\"a\"} {}              | The request body has content after the JSON object.",
    "trailing garbage      | {\"name\":\"a\"} x               | The request body is not valid JSON",
    "cut off               | {\"name\":                       | The request body is not valid JSON",
    "a duplicate field     | {\"name\":\"a\",\"name\":\"b\"}  | The request body is not valid JSON: Duplicate field 'name'"})
  void whatIsNotOneJsonObjectIsA400(String label, String body, String detail) {
    Problem refused = assertThrows(Problem.class, () -> JsonBody.parse(body == null ? Buffer.buffer() : Buffer.buffer(body)));
    assertEquals(400, refused.status());
    assertEquals(detail, refused.getMessage().substring(0, Math.min(detail.length(), refused.getMessage().length())));
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
      Arguments.of("{}", "is required"),
      Arguments.of("{\"name\":null}", "must not be null"),
      Arguments.of("{\"name\":\"   \"}", "must not be blank"),
      Arguments.of("{\"name\":42}", "must be a string"),
      Arguments.of("{\"name\":{\"first\":\"a\"}}", "must be a string"),
      Arguments.of("{\"name\":[\"a\"]}", "must be a string"),
      Arguments.of("{\"name\":\"" + "n".repeat(201) + "\"}", "must be 1 to 200 characters long"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidFields")
  void aStringFieldIsCheckedForPresenceTypeAndLength(String body, String message) {
    JsonBody parsed = JsonBody.parse(Buffer.buffer(body));
    parsed.string("name", 1, 200, true);
    assertEquals(List.of(new Problem.FieldError("name", message)), assertThrows(Problem.class, parsed::validate).errors());
  }

  @ParameterizedTest(name = "{0} characters are {1}")
  @CsvSource({"200, valid", "201, refused"})
  void lengthCountsCharactersNotUtf16Units(int length, String verdict) {
    JsonBody parsed = JsonBody.parse(Buffer.buffer("{\"name\":\"" + "😀".repeat(length) + "\"}"));
    parsed.string("name", 1, 200, true);
    assertEquals(verdict.equals("valid"), parsed.isValid());
  }

  @ParameterizedTest(name = "quantity {0}")
  @CsvSource(delimiter = '|', value = {"0", "-1", "1.5", "1.0", "\"3\"", "1000001", "1e7", "true", "null"})
  void aWholeNumberOutOfRangeOrOfAnotherTypeIsRefused(String written) {
    JsonBody parsed = JsonBody.parse(Buffer.buffer("{\"quantity\":" + written + "}"));
    parsed.integer("quantity", 1, 1_000_000);
    assertEquals("quantity", assertThrows(Problem.class, parsed::validate).errors().get(0).field());
  }

  @ParameterizedTest(name = "{0} is {1} cents")
  @CsvSource({"19.99, 1999", "0, 0", "0.1, 10", "1E+2, 10000", "2.50, 250", "1000000.00, 100000000", "1.000, 100"})
  void moneyIsExactCents(String written, long cents) {
    JsonBody parsed = JsonBody.parse(Buffer.buffer("{\"price\":" + written + "}"));
    assertEquals(cents, parsed.cents("price", 1_000_000));
    parsed.validate();
  }

  @ParameterizedTest(name = "price {0} is refused")
  @CsvSource(delimiter = '|', value = {"1.005", "-1", "-0.01", "1000000.01", "\"3\"", "[1]", "0.001"})
  void moneyWithMoreThanTwoDecimalsOrOutOfRangeIsRefused(String written) {
    JsonBody parsed = JsonBody.parse(Buffer.buffer("{\"price\":" + written + "}"));
    parsed.cents("price", 1_000_000);
    assertEquals("price", assertThrows(Problem.class, parsed::validate).errors().get(0).field());
  }

  @ParameterizedTest(name = "id {0}")
  @CsvSource(delimiter = '|', value = {"\"a*\"", "\"../x\"", "\"a b\"", "7", "\"\"",
    "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""})
  void anIdMustHaveTheShapeOfAnId(String written) {
    JsonBody parsed = JsonBody.parse(Buffer.buffer("{\"customerId\":" + written + "}"));
    parsed.id("customerId");
    assertEquals("customerId", assertThrows(Problem.class, parsed::validate).errors().get(0).field());
  }

  @org.junit.jupiter.api.Test
  void everyUnknownAndInvalidFieldIsNamedAtOnce() {
    JsonBody parsed = JsonBody.parse(Buffer.buffer("{\"name\":\"\",\"address\":7,\"admin\":true}")).allowOnly(Set.of("name", "address"));
    parsed.string("name", 1, 200, true);
    parsed.string("address", 0, 500, false);
    List<String> fields = assertThrows(Problem.class, parsed::validate).errors().stream().map(Problem.FieldError::field).sorted().toList();
    assertEquals(List.of("address", "admin", "name"), fields);
  }
}
