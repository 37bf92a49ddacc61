package dev.podkit.testfixtures;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.testcontainers.DockerClientFactory;

/**
 * One container of a locally built image, run through Testcontainers' Docker client: created
 * with arguments, started, and then awaited to its exit code, signalled, or read. Unlike a
 * {@code GenericContainer}, a non-zero exit is a result here, not a start-up failure. The
 * container is removed on {@link #close}. Images are never pulled.
 */
public final class ContainerRun implements AutoCloseable {
  private final DockerClient docker = DockerClientFactory.instance().client();
  private final String id;
  private long startedNanos;

  private ContainerRun(String id) {
    this.id = id;
  }

  /** A container builder: image, arguments, and the host-config and create settings to change. */
  public static Builder of(String image) {
    return new Builder(image);
  }

  /** Settings of a container before it is created. */
  public static final class Builder {
    private final String image;
    private final List<String> args = new ArrayList<>();
    private final List<String> env = new ArrayList<>();
    private String network = "bridge";
    private boolean readOnly = true;
    private String entrypoint = null;
    private UnaryOperator<CreateContainerCmd> extra = c -> c;
    private final List<com.github.dockerjava.api.model.Bind> binds = new ArrayList<>();

    private Builder(String image) {
      this.image = image;
    }

    public Builder args(String... a) {
      args.addAll(List.of(a));
      return this;
    }

    public Builder env(Map<String, String> vars) {
      vars.forEach((k, v) -> env.add(k + "=" + v));
      return this;
    }

    /** {@code host} shares the machine's loopback; the default is Docker's bridge. */
    public Builder network(String name) {
      network = name;
      return this;
    }

    /** Runs with a writable root file system (the default is read-only, as podkit images must work). */
    public Builder writableRoot() {
      readOnly = false;
      return this;
    }

    public Builder entrypoint(String e) {
      entrypoint = e;
      return this;
    }

    /** Mounts the host folder {@code host} at {@code at} (read-write), as a pod's shared volume. */
    public Builder bind(java.nio.file.Path host, String at) {
      binds.add(com.github.dockerjava.api.model.Bind.parse(host + ":" + at));
      return this;
    }

    /** Any other create setting (aliases, user...). */
    public Builder customize(UnaryOperator<CreateContainerCmd> c) {
      extra = c;
      return this;
    }

    /** Creates and starts the container. */
    public ContainerRun start() {
      DockerClient docker = DockerClientFactory.instance().client();
      CreateContainerCmd cmd = docker.createContainerCmd(image)
          .withCmd(args)
          .withEnv(env)
          .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network).withReadonlyRootfs(readOnly)
              .withBinds(binds));
      if (entrypoint != null) {
        cmd = cmd.withEntrypoint(entrypoint);
      }
      String id = extra.apply(cmd).exec().getId();
      ContainerRun run = new ContainerRun(id);
      run.startedNanos = System.nanoTime();
      try {
        docker.startContainerCmd(id).exec();
      } catch (RuntimeException e) {
        // Created but not started (no such entrypoint, say): removed here, or it stays behind.
        try {
          run.close();
        } catch (RuntimeException removal) {
          e.addSuppressed(removal);
        }
        throw e;
      }
      return run;
    }
  }

  public String id() {
    return id;
  }

  /** Waits for the container to exit and returns its exit code; fails after {@code timeout}. */
  public int awaitExit(Duration timeout) {
    return docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
        .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Time since start. */
  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Sends {@code signal} (as in {@code TERM}) to the container's main process. */
  public void signal(String signal) {
    docker.killContainerCmd(id).withSignal(signal).exec();
  }

  /** Whether the container is still running. */
  public boolean running() {
    Boolean r = docker.inspectContainerCmd(id).exec().getState().getRunning();
    return r != null && r;
  }

  /** Everything the container wrote so far, stdout and stderr interleaved. */
  public String logs() {
    StringBuilder b = new StringBuilder();
    try {
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
              synchronized (b) {
                b.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
              }
            }
          }).awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (b) {
      return b.toString();
    }
  }

  @Override
  public void close() {
    docker.removeContainerCmd(id).withForce(true).exec();
  }
}
