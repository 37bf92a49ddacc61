package dev.podkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every example manifest passes the strict schema check; misspelled or unknown fields fail it. */
class ManifestSchemaTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("examples.dir", "."));

  /** The Kubernetes manifests of the examples: every *.yaml in an example folder but compose files. */
  static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES, 2)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().startsWith("compose"))
          .filter(f -> !f.startsWith(EXAMPLES.resolve("target")) && !f.startsWith(EXAMPLES.resolve("src")))
          .sorted()
          .toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> exampleManifests_checkedStrictly_haveNoProblem() throws IOException {
    List<Path> manifests = manifests();
    assertTrue(manifests.size() >= 6, "found only " + manifests + " under " + EXAMPLES.toAbsolutePath());
    return manifests.stream().map(m -> DynamicTest.dynamicTest(EXAMPLES.relativize(m).toString(),
        () -> assertEquals(List.of(), ManifestSchema.problems(Files.readString(m)))));
  }

  @Test
  void pod_misspelledFieldInContainer_isRejectedNamingIt() {
    assertRejected(pod("      imagePullPolcy: Always\n"), "imagePullPolcy");
  }

  @Test
  void pod_wrongCaseInSecurityContext_isRejectedNamingIt() {
    // readOnlyRootFileSystem (capital S) is the usual slip: the API silently dropping it would
    // leave the root file system writable.
    assertRejected(pod("      securityContext:\n        readOnlyRootFileSystem: true\n"), "readOnlyRootFileSystem");
  }

  @Test
  void pod_unknownFieldInSpec_isRejectedNamingIt() {
    assertRejected("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          contianers: []
          containers:
            - name: app
              image: busybox
        """, "contianers");
  }

  @Test
  void deployment_unknownFieldDeepInTemplate_isRejectedNamingIt() {
    assertRejected("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
        spec:
          selector:
            matchLabels: {app: d}
          template:
            metadata:
              labels: {app: d}
            spec:
              containers:
                - name: app
                  image: busybox
                  readinessProbe:
                    httpGet:
                      path: /readyz
                      prot: 9402
        """, "prot");
  }

  @Test
  void pod_wrongTypeAndMissingRequiredField_areRejected() {
    assertRejected(pod("      ports:\n        - containerPort: [80]\n"), "containerPort");
    assertRejected("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - image: busybox\n", "name");
  }

  @Test
  void secondDocument_withUnknownField_isRejectedAndFirstNot() {
    String yaml = pod("") + "---\n" + "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  portz: []\n";
    List<String> problems = ManifestSchema.problems(yaml);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.getFirst().startsWith("document 2"), problems.toString());
    assertTrue(problems.getFirst().contains("portz"), problems.toString());
  }

  @Test
  void unknownKindOrComposeFile_isAProblemNotAPass() {
    assertRejected("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n", "no schema");
    assertRejected("services:\n  app:\n    image: busybox\n", "not a Kubernetes object");
  }

  @Test
  void validPod_hasNoProblem() {
    assertEquals(List.of(), ManifestSchema.problems(pod("      args: [\"--listen\", \":6379\"]\n")));
  }

  /** A valid pod with one container; {@code extra} is inserted into that container (6 spaces in). */
  private static String pod(String extra) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n"
        + "      image: busybox\n" + extra;
  }

  private static void assertRejected(String yaml, String mentioned) {
    List<String> problems = ManifestSchema.problems(yaml);
    assertFalse(problems.isEmpty(), "accepted:\n" + yaml);
    assertTrue(problems.toString().contains(mentioned), "problems do not mention " + mentioned + ": " + problems);
  }
}
