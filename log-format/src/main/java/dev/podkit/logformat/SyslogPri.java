package dev.podkit.logformat;


/**
 * The {@code <PRI>} that starts a syslog message (RFC 3164 §4.1.1, RFC 5424 §6.2.1): its facility,
 * written as the field {@code facility} by name ({@code auth}, {@code local0}...), and its
 * severity, set as the record's level text {@code "0"} to {@code "7"}, which {@link
 * dev.podkit.logformat.Severity#parse} maps.
 */
final class SyslogPri {
  private static final String[] FACILITIES = {
    "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv",
    "ftp", "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3",
    "local4", "local5", "local6", "local7"
  };
  private static final String[] SEVERITIES = {"0", "1", "2", "3", "4", "5", "6", "7"};

  private SyslogPri() {}

  /**
   * The index after a {@code <PRI>} at {@code b[p]} ({@code <} 1 to 3 digits {@code >}, a value
   * of at most 191), or -1 when there is none.
   */
  static int end(byte[] b, int p, int e) {
    if (p >= e || b[p] != '<') {
      return -1;
    }
    int value = 0;
    int i = p + 1;
    for (; i < e && i <= p + 4; i++) {
      byte c = b[i];
      if (c == '>') {
        return i > p + 1 && value <= 191 ? i + 1 : -1;
      }
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return -1;
  }

  /** Sets the facility field and the severity of the PRI ending before {@code priEnd}. */
  static void apply(LogRecord r, byte[] b, int p, int priEnd) {
    int value = 0;
    for (int i = p + 1; i < priEnd - 1; i++) {
      value = value * 10 + (b[i] - '0');
    }
    r.severity(SEVERITIES[value & 7]);
    r.text(Fields.FACILITY, FACILITIES[value >> 3]);
  }
}
