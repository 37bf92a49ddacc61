package dev.podkit.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses repeatable {@code NAME=VALUE} option values, reporting each bad one. */
public final class KeyValues {
  private KeyValues() {}

  /**
   * The pairs, in the order given (a later name replaces an earlier one); items without a name
   * or value are added to {@code problems} as {@code <option>: 'item' is not NAME=VALUE}.
   */
  public static Map<String, String> parse(List<String> items, String option, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1 || item.substring(0, eq).isBlank()) {
        problems.add(option + ": '" + item + "' is not NAME=VALUE");
        continue;
      }
      out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
    }
    return out;
  }
}
