package dev.podkit.logformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {
  private final LogRecord record = new LogRecord();

  private Instant rfc3339(String text) {
    byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.ISO_8859_1);
    record.reset(b, 0, b.length);
    assertTrue(Times.rfc3339(b, 2, b.length - 2, record), text);
    return Instant.ofEpochSecond(record.timeSeconds(), record.timeNanos());
  }

  private boolean rfc3339Parses(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    record.reset(b, 0, b.length);
    return Times.rfc3339(b, 0, b.length, record);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "2016-10-06T00:17:09Z", "2016-10-06T00:17:09.6Z", "2016-10-06T00:17:09.66979420Z",
    "2016-10-06T00:17:09.669794202Z", "2024-04-13T07:59:37.505201169-05:00",
    "2024-04-13T07:59:37+05:30", "1969-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999+18:00", "2024-02-29T12:00:00-00:00", "2000-02-29T00:00:00Z"
  })
  void rfc3339_validForms_matchJavaTime(String text) {
    assertEquals(OffsetDateTime.parse(text).toInstant(), rfc3339(text));
  }

  @Test
  void rfc3339_lenientForms_areAccepted() {
    assertEquals(Instant.parse("2024-04-13T07:59:37Z"), rfc3339("2024-04-13t07:59:37z"));
    assertEquals(Instant.parse("2024-04-13T07:59:37Z"), rfc3339("2024-04-13 07:59:37Z"));
    assertEquals(Instant.parse("2024-04-13T05:59:37Z"), rfc3339("2024-04-13T07:59:37+0200"));
  }

  @Test
  void rfc3339_offsetBeyondJavaTimeRange_isAccepted() {
    assertEquals(Instant.parse("2024-04-13T00:00:00Z"), rfc3339("2024-04-13T23:59:00+23:59"));
  }

  @Test
  void rfc3339_moreThanNineFractionDigits_truncates() {
    assertEquals(Instant.parse("2024-04-13T07:59:37.123456789Z"), rfc3339("2024-04-13T07:59:37.1234567891234Z"));
  }

  @Test
  void rfc3339_leapSecond_isNextMinute() {
    assertEquals(Instant.parse("2017-01-01T00:00:00Z"), rfc3339("2016-12-31T23:59:60Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "2016-10-06", "2016-10-06T00:17:09", "2016-10-06T00:17:09.Z", "2016-10-06T00:17:09.1",
    "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2016-13-06T00:17:09Z", "2016-00-06T00:17:09Z",
    "2016-04-31T00:17:09Z", "2016-10-06T24:00:00Z", "2016-10-06T00:60:00Z", "2016-10-06T00:00:61Z",
    "2016-10-06T00:17:09+24:00", "2016-10-06T00:17:09+05:60", "2016-10-06T00:17:09+5:00",
    "2016-10-06T00:17:09ZZ", "2016-10-06X00:17:09Z", "2016/10/06T00:17:09Z", "-016-10-06T00:17:09Z",
    "2016-10-06T00:17:09 Z", "2016-10-06T00:17:09.12a4Z", "2016-10-06T00:17:09+05:00:00"
  })
  void rfc3339_invalid_isRejected(String text) {
    assertFalse(rfc3339Parses(text), text);
    assertFalse(record.hasTime());
  }

  @Test
  void rfc3339_rangeAtEndOfArray_doesNotReadPast() {
    byte[] b = "2016-10-06T00:17:09.1".getBytes(StandardCharsets.ISO_8859_1);
    record.reset(b, 0, b.length);
    assertFalse(Times.rfc3339(b, 0, b.length, record));
    assertFalse(Times.rfc3339(b, 5, b.length + 5, record));
  }

  @Test
  void epochSeconds_randomDates_matchJavaTime() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      LocalDate date = LocalDate.ofEpochDay(random.nextInt(3_000_000) - 1_000_000);
      assertEquals(date.toEpochDay() * 86_400 + 3_723,
          Times.epochSeconds(date.getYear(), date.getMonthValue(), date.getDayOfMonth(), 1, 2, 3), date.toString());
    }
  }

  @Test
  void clf_withOffset_isUtcEpoch() {
    byte[] b = "[10/Oct/2000:13:55:36 -0700]".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(Instant.parse("2000-10-10T20:55:36Z").getEpochSecond(), Times.clf(b, 1));
  }

  @Test
  void clf_leapDayAndPositiveOffset_isUtcEpoch() {
    byte[] b = "29/Feb/2024:01:00:00 +0530".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(Instant.parse("2024-02-28T19:30:00Z").getEpochSecond(), Times.clf(b, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "29/Feb/2023:01:00:00 +0000", "10/Foo/2000:13:55:36 -0700", "10/Oct/2000:13:55:36 0700",
    "10/Oct/2000 13:55:36 -0700", "10/Oct/2000:25:55:36 -0700", "10/Oct/2000:13:55:36 -07", "1/Oct/2000:13:55:36 -0700"
  })
  void clf_invalid_isInvalid(String text) {
    assertEquals(Times.INVALID, Times.clf(text.getBytes(StandardCharsets.ISO_8859_1), 0), text);
  }

  @Test
  void month_anyCase_isItsNumber() {
    String[] names = {"Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < names.length; i++) {
      assertEquals(i + 1, Times.month(names[i].getBytes(StandardCharsets.ISO_8859_1), 0));
    }
    assertEquals(-1, Times.month("Foo".getBytes(StandardCharsets.ISO_8859_1), 0));
    assertEquals(-1, Times.month("Ja".getBytes(StandardCharsets.ISO_8859_1), 0));
  }

  @Test
  void epochNumber_byMagnitude_picksUnit() {
    Instant t = Instant.parse("2024-05-01T10:00:00.123456789Z");
    long seconds = t.getEpochSecond();
    Times.epochNumber(seconds, record);
    assertEquals(Instant.ofEpochSecond(seconds), instant());
    Times.epochNumber(t.toEpochMilli(), record);
    assertEquals(Instant.parse("2024-05-01T10:00:00.123Z"), instant());
    Times.epochNumber(seconds * 1_000_000 + 123_456, record);
    assertEquals(Instant.parse("2024-05-01T10:00:00.123456Z"), instant());
    Times.epochNumber(seconds * 1_000_000_000 + 123_456_789, record);
    assertEquals(t, instant());
    Times.epochNumber(-1_500, record);
    assertEquals(Instant.ofEpochSecond(-1_500), instant());
  }

  @Test
  void epochDecimal_fractionalSeconds_keepsFraction() {
    assertTrue(Times.epochDecimal(1714557600.25, record));
    assertEquals(Instant.parse("2024-05-01T10:00:00.250Z"), instant());
    assertFalse(Times.epochDecimal(Double.NaN, record));
    assertFalse(Times.epochDecimal(1e300, record));
  }

  private Instant instant() {
    return Instant.ofEpochSecond(record.timeSeconds(), record.timeNanos());
  }
}
