package dev.podkit.tcpambassador;

import java.time.Duration;

/**
 * Active TCP health checks of upstream addresses: every {@code interval}, a connect to each
 * address (closed at once); {@code fall} failures in a row mark it down (tried only after the
 * others), {@code rise} successes in a row mark it up again.
 *
 * @param interval time between checks of one address; zero means no active checks
 * @param timeout the most one check's connect may take
 * @param fall consecutive failed checks that mark an address down
 * @param rise consecutive good checks that mark a down address up
 */
record HealthCheckPolicy(Duration interval, Duration timeout, int fall, int rise) {
  boolean enabled() {
    return interval.isPositive();
  }
}
