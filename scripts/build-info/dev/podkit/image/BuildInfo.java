package dev.podkit.image;

/**
 * What was built: generated into each image's own jar by the image profile of the parent pom.
 * {@link #BUILD_ID} changes with every build, so a test can prove that an image runs the classes
 * just compiled and not those of a stale AOT cache.
 */
public final class BuildInfo {
  /** The image's module name, as in {@code init-waiter}. */
  public static final String IMAGE = "${project.artifactId}";
  /** The project version. */
  public static final String VERSION = "${project.version}";
  /** The time of the build, to the millisecond (UTC). */
  public static final String BUILD_ID = "${podkit.build.id}";

  private BuildInfo() {}
}
