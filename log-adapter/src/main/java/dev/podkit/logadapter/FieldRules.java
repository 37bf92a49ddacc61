package dev.podkit.logadapter;

import dev.podkit.logformat.LogRecord;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user's rename, drop and keep rules, applied to each record after parsing: renames first,
 * then drops, then keep (when given, only the listed fields stay). Names are matched after
 * renaming.
 */
record FieldRules(Map<String, String> renames, Set<String> drop, Set<String> keep) {
  static final FieldRules NONE = new FieldRules(Map.of(), Set.of(), Set.of());

  boolean isEmpty() {
    return renames.isEmpty() && drop.isEmpty() && keep.isEmpty();
  }

  void apply(LogRecord r) {
    for (int i = 0; i < r.size(); i++) {
      String to = renames.get(r.name(i));
      if (to != null) {
        r.rename(i, to);
      }
    }
    for (int i = r.size() - 1; i >= 0; i--) {
      String n = r.name(i);
      if (drop.contains(n) || !keep.isEmpty() && !keep.contains(n)) {
        r.remove(i);
      }
    }
  }

  /** Parses {@code from=to} pairs; bad ones go to problems. */
  static Map<String, String> pairs(List<String> items, String option, List<String> problems) {
    return dev.podkit.runtime.KeyValues.parse(items, option, problems);
  }
}
