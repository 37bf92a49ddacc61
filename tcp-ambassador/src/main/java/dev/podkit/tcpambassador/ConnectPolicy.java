package dev.podkit.tcpambassador;

import dev.podkit.runtime.Backoff;
import java.time.Duration;

/**
 * How upstream connections are made.
 *
 * @param connectTimeout the most one connection attempt may take
 * @param retries attempts after the first one, each on the next candidate address
 * @param backoff the pause before each retry
 * @param ejectAfter consecutive failed connects after which an address is skipped for
 *     {@code ejectFor} (passive ejection); 0 never ejects
 * @param ejectFor how long an ejected address is skipped (unless every address is ejected)
 */
record ConnectPolicy(Duration connectTimeout, int retries, Backoff backoff, int ejectAfter, Duration ejectFor) {}
