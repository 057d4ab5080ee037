package io.swarmshop.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokensTest {
  @Test
  void idsAreOneToSixtyFourAsciiLettersDigitsOrDashes() {
    assertTrue(Tokens.isId("49918668-b871-4e81-b00b-908cfa0459d0"));
    assertTrue(Tokens.isId("a"));
    assertTrue(Tokens.isId("Z-9"));
    assertTrue(Tokens.isId("x".repeat(64)));
    assertFalse(Tokens.isId("x".repeat(65)));
    assertFalse(Tokens.isId(""));
    assertFalse(Tokens.isId(null));
    for (String refused : new String[] {"a.b", "a_b", "a b", "a/b", "é", "a\u0000", "a%20", "../x"}) {
      assertFalse(Tokens.isId(refused), refused);
    }
  }

  @Test
  void keysAlsoAllowDotsAndUnderscores() {
    assertTrue(Tokens.isKey("order-17_v2.retry"));
    assertTrue(Tokens.isKey("x".repeat(64)));
    assertFalse(Tokens.isKey("x".repeat(65)));
    assertFalse(Tokens.isKey(""));
    assertFalse(Tokens.isKey(null));
    for (String refused : new String[] {"a b", "a:b", "a\r\nb", "ü", "a/b", "<script>"}) {
      assertFalse(Tokens.isKey(refused), refused);
    }
  }
}
