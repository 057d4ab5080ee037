package io.swarmshop.drills;

/** The requests of the load, each to one service; writes create what the audit reads back afterwards. */
enum Kind {
  GET_CUSTOMER("customers", false),
  POST_CUSTOMER("customers", true),
  GET_PRODUCT("products", false),
  POST_PRODUCT("products", true),
  POST_INVOICE("invoices", true),
  GET_INVOICE("invoices", false),
  LIST_INVOICES("invoices", false);

  final String service;
  final boolean write;

  Kind(String service, boolean write) {
    this.service = service;
    this.write = write;
  }

  /** The collection a write creates in, read back by the audit. */
  String path() {
    return "/api/" + service;
  }

  /**
   * Whether a request that got no answer may be sent again to another entry: reads, and invoices,
   * which carry an {@code Idempotency-Key}; a customer or product only when it never left.
   */
  boolean resendable(boolean neverSent) {
    return !write || this == POST_INVOICE || neverSent;
  }
}
