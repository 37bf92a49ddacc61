package dev.podkit.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * One declared option: a {@code --kebab-case} flag, its environment variable
 * ({@code PODKIT_KEBAB_CASE} unless named otherwise), a help line and a default. The same
 * declaration drives parsing, validation and {@code --help}.
 *
 * <p>Immutable; the {@code with...} methods return copies.
 *
 * @param <T> the parsed value's type
 */
public final class Option<T> {
  private final String name;
  private final String env;
  private final String valueName;
  private final String help;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final boolean repeatable;

  private Option(String name, String env, String valueName, String help, T defaultValue,
      Function<String, T> parser, boolean repeatable) {
    if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("option name not kebab-case: " + name);
    }
    this.name = name;
    this.env = env;
    this.valueName = valueName;
    this.help = help;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.repeatable = repeatable;
  }

  private static String envOf(String name) {
    return "PODKIT_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** An option taking a text value. */
  public static Option<String> text(String name, String valueName, String defaultValue, String help) {
    return new Option<>(name, envOf(name), valueName, help, defaultValue, s -> s, false);
  }

  /** An option taking a duration such as {@code 500ms} or {@code 2m}; see {@link Durations}. */
  public static Option<Duration> duration(String name, Duration defaultValue, String help) {
    return new Option<>(name, envOf(name), "DURATION", help, defaultValue, Option::nonNegative, false);
  }

  /** An option taking a whole number between {@code min} and {@code max}. */
  public static Option<Integer> integer(String name, int defaultValue, int min, int max, String help) {
    return new Option<>(name, envOf(name), "N", help, defaultValue, s -> {
      int n;
      try {
        n = Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a whole number: '" + s + "'");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException("out of range [" + min + ", " + max + "]: " + n);
      }
      return n;
    }, false);
  }

  /** An option taking a byte size such as {@code 64Ki} or {@code 100Mi}, at least 1; see {@link ByteSizes}. */
  public static Option<Long> bytes(String name, long defaultValue, String help) {
    return new Option<>(name, envOf(name), "SIZE", help, defaultValue, s -> {
      long n = ByteSizes.parse(s);
      if (n < 1) throw new IllegalArgumentException("must be at least 1 byte: '" + s + "'");
      return n;
    }, false);
  }

  /** An option taking a decimal number of at least {@code min}. */
  public static Option<Double> decimal(String name, double defaultValue, double min, String help) {
    return new Option<>(name, envOf(name), "X", help, defaultValue, s -> {
      double x;
      try {
        x = Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a number: '" + s + "'");
      }
      if (!(x >= min) || Double.isInfinite(x)) {
        throw new IllegalArgumentException("must be at least " + min + ": " + s);
      }
      return x;
    }, false);
  }

  /** A switch: present means true; {@code --name=false} and the variable set to false turn it off. */
  public static Option<Boolean> flag(String name, String help) {
    return new Option<>(name, envOf(name), null, help, false, s -> switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off", "" -> false;
      default -> throw new IllegalArgumentException("not true or false: '" + s + "'");
    }, false);
  }

  /** An option taking one of an enum's constants, written in lower case. */
  public static <E extends Enum<E>> Option<E> choice(String name, Class<E> type, E defaultValue, String help) {
    String names = String.join("|", Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    return new Option<>(name, envOf(name), names, help, defaultValue, s -> {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(s.strip())) {
          return e;
        }
      }
      throw new IllegalArgumentException("not one of " + names + ": '" + s + "'");
    }, false);
  }

  /** The same option, which may be given several times (the variable: values split by commas). */
  public Option<T> repeatable() {
    return new Option<>(name, env, valueName, help, defaultValue, parser, true);
  }

  /** The same option, read from the environment variable {@code variable}. */
  public Option<T> env(String variable) {
    return new Option<>(name, variable, valueName, help, defaultValue, parser, repeatable);
  }

  private static Duration nonNegative(String s) {
    Duration d = Durations.parse(s);
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration: " + s);
    }
    return d;
  }

  public String name() { return name; }
  public String env() { return env; }
  /** The value's placeholder in help, or null for a switch. */
  public String valueName() { return valueName; }
  public String help() { return help; }
  public T defaultValue() { return defaultValue; }
  public boolean isFlag() { return valueName == null; }
  public boolean isRepeatable() { return repeatable; }

  T parse(String text) {
    return parser.apply(text);
  }
}
