package io.swarmshop.http;

/**
 * The shapes of the short opaque strings the API accepts: entity ids, request ids and idempotency
 * keys. Checked with a loop rather than a regular expression: these checks run on nearly every
 * request, and a regex matcher was the largest single cost in a GET of a customer.
 */
public final class Tokens {
  public static final int MAX_LENGTH = 64;
  /** What a value that cannot be an id is told (see {@link #isId}). */
  public static final String ID_RULE = "must be an id (1 to " + MAX_LENGTH + " letters, digits or '-')";
  /** What a request id or idempotency key that has not their shape is told (see {@link #isKey}). */
  public static final String KEY_RULE = "must be 1 to " + MAX_LENGTH + " of letters, digits, '.', '_' or '-'";

  private Tokens() {
  }

  /** An entity id: 1 to 64 ASCII letters, digits or '-'. */
  public static boolean isId(String text) {
    return hasShape(text, false);
  }

  /** A request id or an idempotency key: 1 to 64 ASCII letters, digits, '.', '_' or '-'. */
  public static boolean isKey(String text) {
    return hasShape(text, true);
  }

  private static boolean hasShape(String text, boolean dotsAndUnderscores) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
        || dotsAndUnderscores && (c == '.' || c == '_');
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
