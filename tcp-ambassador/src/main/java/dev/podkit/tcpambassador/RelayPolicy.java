package dev.podkit.tcpambassador;

import java.time.Duration;

/**
 * How bytes are relayed between a client and its upstream.
 *
 * @param idleTimeout a connection with no byte in either direction for this long is closed; zero
 *     never closes
 * @param halfCloseTimeout once one side has sent its FIN, the inactivity limit for the other
 *     direction (HAProxy's client-fin/server-fin); zero falls back to {@code idleTimeout}
 * @param writeBufferBytes bytes queued towards one side before reading from the other pauses
 *     (the high water mark; reading resumes below half of it). Bounds memory per connection.
 * @param keepaliveIdle TCP keepalive idle time on both sockets; zero turns keepalive off
 * @param splice whether the {@link DirectRelay} moves bulk bytes with splice(2)
 */
record RelayPolicy(Duration idleTimeout, Duration halfCloseTimeout, int writeBufferBytes, Duration keepaliveIdle,
    boolean splice) {}
