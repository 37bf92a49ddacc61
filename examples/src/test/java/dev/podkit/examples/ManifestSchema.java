package dev.podkit.examples;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks Kubernetes manifests strictly against the API's schema, with no API server: each YAML
 * document is read into the model class that Kubernetes' Java client generates from the API's
 * OpenAPI spec. Those models reject a field the spec does not define (at any depth), a value of
 * the wrong type and a missing required field, as {@code kubectl apply --validate=strict} does.
 */
final class ManifestSchema {

  /** The kinds the examples use, by apiVersion and kind. Any other kind is a problem, not a pass. */
  private static final Map<String, Class<?>> MODELS = Map.of(
      "v1/Pod", V1Pod.class,
      "v1/Service", V1Service.class,
      "v1/ConfigMap", V1ConfigMap.class,
      "v1/Secret", V1Secret.class,
      "apps/v1/Deployment", V1Deployment.class,
      "apps/v1/StatefulSet", V1StatefulSet.class,
      "apps/v1/DaemonSet", V1DaemonSet.class,
      "batch/v1/Job", V1Job.class);

  private ManifestSchema() {}

  /** Every problem of every document in {@code yaml} (several documents split by ---); empty if valid. */
  static List<String> problems(String yaml) {
    List<String> problems = new ArrayList<>();
    Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
    int index = 0;
    try {
      for (Object document : parser.loadAll(yaml)) {
        index++;
        if (document != null) {
          problems.addAll(check(document, "document " + index));
        }
      }
    } catch (RuntimeException e) {
      problems.add("document " + (index + 1) + ": not YAML: " + e.getMessage());
    }
    if (index == 0) {
      problems.add("no YAML document");
    }
    return problems;
  }

  private static List<String> check(Object document, String where) {
    if (!(document instanceof Map<?, ?> map) || !(map.get("apiVersion") instanceof String api)
        || !(map.get("kind") instanceof String kind)) {
      return List.of(where + ": not a Kubernetes object (no apiVersion and kind)");
    }
    String name = where + " (" + api + " " + kind + ")";
    Class<?> model = MODELS.get(api + "/" + kind);
    if (model == null) {
      return List.of(name + ": no schema here for this apiVersion and kind");
    }
    JsonElement json = new Gson().toJsonTree(document);
    try {
      JSON.getGson().fromJson(json, model);
      return List.of();
    } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
      return List.of(name + ": " + e.getMessage());
    }
  }
}
