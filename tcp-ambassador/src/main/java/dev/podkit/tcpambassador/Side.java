package dev.podkit.tcpambassador;

/** One side of a proxied connection: the client's (downstream) or the upstream's. */
enum Side {
  DOWNSTREAM, UPSTREAM;

  Side other() {
    return this == DOWNSTREAM ? UPSTREAM : DOWNSTREAM;
  }

  /** Lower case, for logs and metric tags. */
  String label() {
    return this == DOWNSTREAM ? "downstream" : "upstream";
  }
}
