package dev.podkit.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    Log.redirect(new FileOutputStream(FileDescriptor.out));
    Log.configure(Log.Format.JSON, Log.Level.INFO);
  }

  @Test
  void json_oneObjectPerLine_withFieldsAfterTheMessage() {
    Log.redirect(out);
    Log.configure(Log.Format.JSON, Log.Level.INFO);
    Log.named("t").info("hello \"you\"", "n", 3, "ok", true, "s", "a\nb");
    String line = out.toString(StandardCharsets.UTF_8);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
    assertTrue(line.matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\",\"level\":\"INFO\",\"logger\":\"t\","
        + "\"message\":\"hello \\\\\"you\\\\\"\",\"n\":3,\"ok\":true,\"s\":\"a\\\\nb\"}\n"), line);
  }

  @Test
  void level_belowThreshold_isNotWritten() {
    Log.redirect(out);
    Log.configure(Log.Format.JSON, Log.Level.WARN);
    Log.named("t").info("quiet");
    Log.named("t").error("loud");
    String s = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, s.lines().count(), s);
    assertTrue(s.contains("\"level\":\"ERROR\""), s);
  }

  @Test
  void text_readableLine_quotesValuesWithSpaces() {
    Log.redirect(out);
    Log.configure(Log.Format.TEXT, Log.Level.DEBUG);
    Log.named("w").debug("target ready", "target", "tcp://db:5432", "detail", "two words");
    String s = out.toString(StandardCharsets.UTF_8);
    assertTrue(s.matches("\\S+Z DEBUG w: target ready target=tcp://db:5432 detail=\"two words\"\n"), s);
  }
}
