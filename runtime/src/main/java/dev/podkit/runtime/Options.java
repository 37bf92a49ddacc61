package dev.podkit.runtime;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's command line: its declared {@link Option}s, positional arguments and help text.
 *
 * <p>{@link #parse} reads flags, then environment variables, then defaults (flag &gt; env &gt;
 * default) and collects every problem instead of stopping at the first.
 */
public final class Options {
  private final String tool;
  private final String version;
  private final String synopsis;
  private final String description;
  private final List<Option<?>> options;
  private final Map<String, Option<?>> byName = new HashMap<>();

  /**
   * @param tool the command's name, as in {@code init-waiter}
   * @param synopsis what follows the name in the usage line, as in {@code [options] TARGET...}
   * @param description paragraphs printed after the usage line (and examples at the end)
   */
  public Options(String tool, String version, String synopsis, String description, List<Option<?>> options) {
    this.tool = tool;
    this.version = version;
    this.synopsis = synopsis;
    this.description = description;
    this.options = List.copyOf(options);
    for (Option<?> o : options) {
      if (byName.put(o.name(), o) != null || o.name().equals("help") || o.name().equals("version")) {
        throw new IllegalArgumentException("option declared twice: --" + o.name());
      }
    }
  }

  public String tool() { return tool; }

  /** The result of reading one command line and environment. */
  public record Parsed(Map<Option<?>, List<Object>> values, List<String> arguments,
      List<String> problems, boolean help, boolean version) {

    /** The option's value: the last one given, else its variable's, else its default. */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
      List<Object> v = values.get(option);
      return v == null || v.isEmpty() ? option.defaultValue() : (T) v.getLast();
    }

    /** Every value of a repeatable option, in the order given. */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(Option<T> option) {
      List<Object> v = values.get(option);
      return v == null ? List.of() : (List<T>) List.copyOf(v);
    }

    /** True when the option was set by a flag or a variable rather than defaulted. */
    public boolean isSet(Option<?> option) {
      return values.containsKey(option);
    }
  }

  /** Parses {@code args} and {@code env}; never throws for bad input, see {@link Parsed#problems}. */
  public Parsed parse(String[] args, Map<String, String> env) {
    Map<Option<?>, List<Object>> values = new LinkedHashMap<>();
    List<String> arguments = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean help = false;
    boolean showVersion = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        arguments.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (a.equals("-h") || a.equals("--help")) {
        help = true;
        continue;
      }
      if (a.equals("--version")) {
        showVersion = true;
        continue;
      }
      if (!a.startsWith("--") || a.length() == 2) {
        if (a.startsWith("-") && a.length() > 1) {
          problems.add("unknown option " + a);
        } else {
          arguments.add(a);
        }
        continue;
      }
      int eq = a.indexOf('=');
      String name = a.substring(2, eq < 0 ? a.length() : eq);
      Option<?> o = byName.get(name);
      if (o == null) {
        problems.add("unknown option --" + name);
        continue;
      }
      String text;
      if (eq >= 0) {
        text = a.substring(eq + 1);
      } else if (o.isFlag()) {
        text = "true";
      } else if (i + 1 < args.length) {
        text = args[++i];
      } else {
        problems.add("--" + name + " needs a value (" + o.valueName() + ")");
        continue;
      }
      add(values, o, text, "--" + name, problems);
    }
    for (Option<?> o : options) {
      String text = env.get(o.env());
      if (values.containsKey(o) || text == null) {
        continue;
      }
      if (o.isRepeatable()) {
        for (String part : text.split(",")) {
          if (!part.isBlank()) add(values, o, part.strip(), o.env(), problems);
        }
      } else {
        add(values, o, text, o.env(), problems);
      }
    }
    return new Parsed(values, arguments, problems, help, showVersion);
  }

  private static void add(Map<Option<?>, List<Object>> values, Option<?> o, String text, String source,
      List<String> problems) {
    try {
      Object v = o.parse(text);
      List<Object> list = values.computeIfAbsent(o, k -> new ArrayList<>());
      if (!o.isRepeatable()) list.clear();
      list.add(v);
    } catch (IllegalArgumentException e) {
      problems.add(source + ": " + e.getMessage());
    }
  }

  /** Makes a helper's config from a parsed command line, adding every problem to {@code problems}. */
  @FunctionalInterface
  public interface ConfigReader<C> {
    C read(Parsed parsed, List<String> problems);
  }

  /**
   * What {@link #start} decided: the config to run with (and the parsed line), or, when
   * {@code config} is null, the exit code to return at once.
   */
  public record Start<C>(C config, Parsed parsed, int exit) {}

  /**
   * The start every helper's main shares: (1) parse {@code args} and {@code env}; (2) answer
   * {@code --help} or {@code --version} on {@code out}; (3) read the config with {@code reader};
   * (4) on any problem print them all with the usage hint on {@code err} (exit 2); (5) else set
   * up logging from {@code common}'s options.
   */
  public <C> Start<C> start(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
      CommonOptions common, ConfigReader<C> reader) {
    Parsed parsed = parse(args, env); // (1)
    int answered = answerHelpOrVersion(parsed, out); // (2)
    if (answered >= 0) {
      return new Start<>(null, parsed, answered);
    }
    List<String> problems = new ArrayList<>();
    C config = reader.read(parsed, problems); // (3)
    if (config == null || !problems.isEmpty()) {
      if (problems.isEmpty()) {
        problems.add("the configuration could not be read"); // a reader must say why; never exit 2 silently
      }
      return new Start<>(null, parsed, usageError(problems, err)); // (4)
    }
    common.configureLogging(parsed); // (5)
    return new Start<>(config, parsed, ExitCode.OK);
  }

  /** Prints one {@code error:} line per problem and the hint to {@code err}; returns exit code 2. */
  public int usageError(List<String> problems, PrintStream err) {
    StringBuilder b = new StringBuilder();
    for (String p : problems) {
      b.append(tool).append(": error: ").append(p).append('\n');
    }
    b.append("Run '").append(tool).append(" --help' for usage.\n");
    err.print(b);
    err.flush();
    return ExitCode.USAGE;
  }

  /**
   * Answers {@code --help} or {@code --version} on {@code out} when {@code parsed} asks for it and
   * returns the exit code (0); returns -1 when the tool should go on.
   */
  public int answerHelpOrVersion(Parsed parsed, PrintStream out) {
    if (!parsed.help() && !parsed.version()) {
      return -1;
    }
    out.print(parsed.help() ? helpText() : versionText());
    out.flush();
    return ExitCode.OK;
  }

  /** The {@code --version} line. */
  public String versionText() {
    return tool + " " + version + "\n";
  }

  /** The {@code --help} text, generated from the declarations. */
  public String helpText() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: ").append(tool).append(' ').append(synopsis).append("\n\n");
    String[] parts = description.strip().split("\n\n", 2);
    b.append(parts[0].strip()).append("\n\nOptions (each also read from its environment variable; a flag wins):\n");
    for (Option<?> o : options) {
      String left = "  --" + o.name() + (o.isFlag() ? "" : " " + o.valueName());
      b.append(left);
      b.append(left.length() < 30 ? " ".repeat(30 - left.length()) : "\n" + " ".repeat(30));
      b.append(o.help());
      Object d = o.defaultValue();
      if (d != null && !o.isFlag() && !(d instanceof String s && s.isEmpty())) {
        String shown = d instanceof Duration dur ? Durations.format(dur)
            : d instanceof Long bytes && "SIZE".equals(o.valueName()) ? ByteSizes.format(bytes)
            : d instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT) : String.valueOf(d);
        b.append(" (default ").append(shown).append(')');
      }
      b.append(" [").append(o.env()).append("]\n");
    }
    b.append("  --help                      Print this help and exit.\n");
    b.append("  --version                   Print the version and exit.\n");
    if (parts.length > 1) {
      b.append('\n').append(parts[1].strip()).append('\n');
    }
    return b.toString();
  }
}
