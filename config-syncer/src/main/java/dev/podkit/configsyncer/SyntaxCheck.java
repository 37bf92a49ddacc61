package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import dev.podkit.runtime.StrictJson;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The optional check that config files of a version parse before it is published, chosen by
 * kind and applied by file extension: {@code .json}; {@code .yaml} and {@code .yml} (every
 * document of a stream, composed but never turned into objects, aliases bounded); and
 * {@code .properties} (valid UTF-8 or ISO-8859-1 as Java reads it, no broken {@code \\u} escape).
 * A file that fails makes the whole version fail.
 */
final class SyntaxCheck {
  /** The kinds of file that can be checked. */
  enum Kind { JSON, YAML, PROPERTIES }

  private final Set<Kind> kinds;

  SyntaxCheck(Set<Kind> kinds) {
    this.kinds = kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(kinds);
  }

  boolean enabled() {
    return !kinds.isEmpty();
  }

  /** Checks every file under {@code root} whose kind is enabled. */
  void check(Path root) throws IOException, SyncFailure {
    if (kinds.isEmpty()) return;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      Kind k = kindOf(f.getFileName().toString());
      if (k != null && kinds.contains(k)) {
        String problem = problem(k, f);
        if (problem != null) {
          throw new SyncFailure(Reason.SYNTAX, root.relativize(f) + ": " + problem);
        }
      }
    }
  }

  private static Kind kindOf(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".json")) return Kind.JSON;
    if (n.endsWith(".yaml") || n.endsWith(".yml")) return Kind.YAML;
    if (n.endsWith(".properties")) return Kind.PROPERTIES;
    return null;
  }

  /** Null when {@code file} parses as {@code kind}, else what is wrong. */
  static String problem(Kind kind, Path file) throws IOException {
    try {
      switch (kind) {
        case JSON -> StrictJson.parse(Files.readAllBytes(file));
        case YAML -> {
          LoaderOptions options = new LoaderOptions();
          options.setMaxAliasesForCollections(100);
          options.setAllowDuplicateKeys(false);
          options.setCodePointLimit(Integer.MAX_VALUE);
          try (Reader r = utf8(file)) {
            for (Node ignored : new Yaml(options).composeAll(r)) {
              // composing each document is the check
            }
          }
        }
        case PROPERTIES -> {
          try (Reader r = utf8(file)) {
            new Properties().load(r);
          }
        }
      }
      return null;
    } catch (IllegalArgumentException | YAMLException e) {
      return firstLine(e.getMessage());
    } catch (CharacterCodingException e) {
      return "invalid UTF-8";
    } catch (StackOverflowError e) {
      return "nested too deeply";
    }
  }

  private static Reader utf8(Path file) throws IOException {
    return new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  private static String firstLine(String s) {
    if (s == null) return "does not parse";
    String t = s.strip().replace('\n', ' ');
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}
