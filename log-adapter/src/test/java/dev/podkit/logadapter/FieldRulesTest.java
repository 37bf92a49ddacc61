package dev.podkit.logadapter;

import dev.podkit.logformat.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldRulesTest {
  private static List<String> names(LogRecord r) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.size(); i++) out.add(r.name(i) + "=" + r.valueAsString(i));
    return out;
  }

  private static LogRecord record() {
    byte[] b = "x".getBytes(StandardCharsets.UTF_8);
    LogRecord r = new LogRecord();
    r.reset(b, 0, 1);
    r.text("a", "1");
    r.number("b", 2);
    r.bool("c", true);
    return r;
  }

  @Test
  void apply_renameThenDrop() {
    LogRecord r = record();
    new FieldRules(Map.of("a", "alpha"), Set.of("b"), Set.of()).apply(r);
    assertEquals(List.of("alpha=1", "c=true"), names(r));
  }

  @Test
  void apply_keep_leavesOnlyTheListedFields_afterRenaming() {
    LogRecord r = record();
    new FieldRules(Map.of("c", "gamma"), Set.of(), Set.of("gamma", "b")).apply(r);
    assertEquals(List.of("b=2", "gamma=true"), names(r));
  }

  @Test
  void pairs_badItems_areReported() {
    List<String> problems = new ArrayList<>();
    assertEquals(Map.of("a", "b"), FieldRules.pairs(List.of("a=b", "nothing", "=x", "y="), "--rename", problems));
    assertEquals(List.of("--rename: 'nothing' is not NAME=VALUE", "--rename: '=x' is not NAME=VALUE",
        "--rename: 'y=' is not NAME=VALUE"), problems);
  }
}
