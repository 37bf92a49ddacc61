package dev.podkit.configsyncer;

import dev.podkit.runtime.Trees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The version folders of a {@link Publisher}'s target: hidden folders named for the instant they
 * were made, {@code ..<yyyy_MM_dd_HH_mm_ss.nnnnnnnnn>} in UTC, and their removal. Used only under
 * the publisher's lock.
 */
final class VersionFolders {
  private static final Pattern VERSION = Pattern.compile("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d{9}");
  private static final DateTimeFormatter VERSION_FORMAT =
      DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.nnnnnnnnn").withZone(ZoneOffset.UTC);

  private final Path target;
  private final InstantSource clock;
  /** The instant of the newest version folder named so far; new names are always later, so they sort in order and never collide. */
  private Instant lastVersion = Instant.EPOCH;

  /** The version folders in {@code target}, new ones named after {@code clock}. */
  VersionFolders(Path target, InstantSource clock) {
    this.target = target;
    this.clock = clock;
  }

  /** A name for a new version folder: the clock's instant, or just after the last name when that is not later. */
  String nextName() {
    Instant now = clock.instant();
    lastVersion = now.isAfter(lastVersion) ? now : lastVersion.plusNanos(1);
    return VERSION_FORMAT.format(lastVersion);
  }

  /** Makes every name {@link #nextName()} gives later than {@code name}, an existing version folder's. */
  void nameAfter(String name) {
    lastVersion = VERSION_FORMAT.parse(name, Instant::from);
  }

  /** Deletes every version folder but {@code keep} (every one when null), passing each name to {@code removed}. */
  void removeExcept(String keep, Consumer<String> removed) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target, p -> VERSION.matcher(p.getFileName().toString()).matches())) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.equals(keep)) {
          Trees.delete(p);
          removed.accept(name);
        }
      }
    }
  }
}
