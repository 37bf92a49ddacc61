package dev.podkit.testfixtures;

/**
 * Names of the images this build made, as the failsafe configuration of the parent pom passes
 * them: {@code podkit.image.prefix} and {@code podkit.version}.
 */
public final class PodkitImages {
  private PodkitImages() {}

  /** The image of {@code module}, as in {@code podkit/init-waiter:0.1.0}. */
  public static String of(String module) {
    String prefix = System.getProperty("podkit.image.prefix", "podkit/");
    String version = System.getProperty("podkit.version");
    if (version == null) {
      throw new IllegalStateException("podkit.version is not set: run container tests through Maven (failsafe)");
    }
    return prefix + module + ":" + version;
  }
}
