package dev.podkit.initwaiter;

import java.net.ProtocolException;

/**
 * The fields of a PostgreSQL ErrorResponse that say what went wrong.
 *
 * @param severity ERROR, FATAL or PANIC (the non-localized 'V' field when sent, else 'S')
 * @param code the SQLSTATE, such as 57P03 (starting up) or 28P01 (wrong password); "" if absent
 * @param message the primary human-readable message; "" if absent
 */
record PgError(String severity, String code, String message) {
  /** SQLSTATE class 57P: the server is starting, stopping or crashed; it is not ready. */
  boolean serverUnavailable() {
    return code.startsWith("57P");
  }

  boolean startingUp() {
    return code.equals("57P03");
  }

  /** 28000 (invalid authorization, such as no pg_hba.conf entry) or 28P01 (wrong password). */
  boolean authFailed() {
    return code.equals("28000") || code.equals("28P01");
  }

  @Override
  public String toString() {
    return (code + " " + message).strip();
  }

  /**
   * Parses the body of an ErrorResponse (or NoticeResponse): fields of one type byte and a
   * NUL-terminated string each, ended by a zero byte. Unknown fields are skipped, as the
   * protocol asks.
   */
  static PgError parse(PgWire.Message m) throws ProtocolException {
    String severity = "";
    String localizedSeverity = "";
    String code = "";
    String message = "";
    while (m.body().hasRemaining()) {
      byte field = m.body().get();
      if (field == 0) {
        return new PgError(severity.isEmpty() ? localizedSeverity : severity, code, message);
      }
      String value = m.cstring();
      switch (field) {
        case 'V' -> severity = value;
        case 'S' -> localizedSeverity = value;
        case 'C' -> code = value;
        case 'M' -> message = value;
        default -> { } // detail, hint, position, file, line...: not needed for a reason
      }
    }
    throw new ProtocolException("protocol: unterminated error response");
  }
}
