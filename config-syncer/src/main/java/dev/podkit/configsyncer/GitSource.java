package dev.podkit.configsyncer;

import dev.podkit.configsyncer.SyncFailure.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;

import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A Git repository, read with JGit (no {@code git} binary in the image). As git-sync does, each
 * fetch first asks the remote which commit the ref names ({@code ls-remote}): the same commit as
 * last time is "unchanged" without fetching anything. Otherwise the ref is fetched shallow into a
 * bare repository kept beside the versions (so later fetches are incremental), and the commit's
 * tree (or its sub-path) is written into the staging folder straight from the object database:
 * there is no work tree to get half-updated. Symbolic links in the tree go through the staging
 * folder's link checks; submodules are left out.
 */
final class GitSource implements Source {
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-f]{40}");
  private static final String FETCHED = "refs/podkit/fetched";

  /** How to reach the remote: credentials and transport settings, applied to each command. */
  interface Access extends TransportConfigCallback {
    /** Adds credentials (read now, so a rotated token is used) to a command. */
    void credentials(org.eclipse.jgit.api.TransportCommand<?, ?> command) throws IOException;
  }

  private final String url;
  private final String ref;
  private final String subPath;
  private final int depth;
  private final Path repoDir;
  private final Access access;
  private final Duration timeout;
  private ObjectId lastCommit;

  GitSource(String url, String ref, String subPath, int depth, Path repoDir, Access access, Duration timeout) {
    this.url = url;
    this.ref = ref;
    this.subPath = subPath;
    this.depth = depth;
    this.repoDir = repoDir;
    this.access = access;
    this.timeout = timeout;
  }

  @Override
  public Fetch fetch(Staging staging) throws IOException, SyncFailure {
    JGitSetup.once();
    try (Repository repo = open(); Git git = new Git(repo)) {
      ObjectId commit;
      if (!FULL_SHA.matcher(ref).matches()) {
        Collection<Ref> refs = lsRemoteAll(git);
        String remoteRef = resolveName(refs);
        ObjectId remote = idOf(refs, remoteRef);
        if (remote.equals(lastCommit)) return new Unchanged();
        commit = fetchRef(git, remoteRef, staging.cancellation());
      } else {
        ObjectId want = ObjectId.fromString(ref);
        if (want.equals(lastCommit)) return new Unchanged();
        commit = fetchCommit(git, want, staging.cancellation());
      }
      write(repo, commit, staging);
      lastCommit = commit;
      return new Fetched(commit.abbreviate(12).name());
    }
  }

  private Repository open() throws IOException {
    Files.createDirectories(repoDir);
    Repository repo = new FileRepositoryBuilder().setGitDir(repoDir.toFile()).setBare().build();
    if (!Files.exists(repoDir.resolve("config"))) {
      repo.create(true);
    }
    return repo;
  }

  /** The full remote name of the ref: HEAD, refs/heads/NAME, refs/tags/NAME, or a full name given. */
  private String resolveName(Collection<Ref> refs) throws SyncFailure {
    if (ref.equals(Constants.HEAD) || ref.startsWith("refs/")) return ref;
    for (String candidate : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref)) {
      for (Ref r : refs) {
        if (r.getName().equals(candidate)) return candidate;
      }
    }
    throw new SyncFailure(Reason.STATUS, "no branch or tag '" + ref + "' in " + describe());
  }

  private ObjectId idOf(Collection<Ref> refs, String name) throws SyncFailure {
    for (Ref r : refs) {
      if (r.getName().equals(name)) {
        // An annotated tag: the commit is the peeled id.
        return r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId();
      }
    }
    throw new SyncFailure(Reason.STATUS, "no ref " + name + " in " + describe());
  }

  private Collection<Ref> lsRemoteAll(Git git) throws IOException, SyncFailure {
    try {
      var cmd = git.lsRemote().setRemote(url).setHeads(false).setTags(false).setTimeout(seconds())
          .setTransportConfigCallback(access);
      access.credentials(cmd);
      return cmd.call();
    } catch (GitAPIException e) {
      throw failure(e);
    }
  }

  private ObjectId fetchRef(Git git, String remoteRef, Cancellation cancellation) throws IOException, SyncFailure {
    fetch(git, new RefSpec("+" + remoteRef + ":" + FETCHED), cancellation);
    Ref fetched = git.getRepository().exactRef(FETCHED);
    if (fetched == null) throw new SyncFailure(Reason.FETCH, "fetch of " + remoteRef + " brought nothing");
    return peelToCommit(git.getRepository(), fetched.getObjectId());
  }

  /** A commit named by its id: fetched by id (servers allow a reachable one), else all branches. */
  private ObjectId fetchCommit(Git git, ObjectId want, Cancellation cancellation) throws IOException, SyncFailure {
    Repository repo = git.getRepository();
    if (!repo.getObjectDatabase().has(want)) {
      try {
        fetch(git, new RefSpec("+" + want.name() + ":" + FETCHED), cancellation);
      } catch (SyncFailure e) {
        if (e.reason() == Reason.CANCELLED) throw e;
        fetchAll(git, cancellation);
      }
    }
    if (!repo.getObjectDatabase().has(want)) {
      throw new SyncFailure(Reason.STATUS, "commit " + want.name() + " not found in " + describe());
    }
    return peelToCommit(repo, want);
  }

  private void fetchAll(Git git, Cancellation cancellation) throws IOException, SyncFailure {
    try {
      var cmd = git.fetch().setRemote(url).setRefSpecs(new RefSpec("+refs/heads/*:refs/podkit/heads/*"))
          .setTimeout(seconds()).setTransportConfigCallback(access).setProgressMonitor(monitor(cancellation));
      access.credentials(cmd);
      cmd.call();
    } catch (GitAPIException e) {
      cancellation.check();
      throw failure(e);
    }
  }

  private void fetch(Git git, RefSpec spec, Cancellation cancellation) throws IOException, SyncFailure {
    try {
      var cmd = git.fetch().setRemote(url).setRefSpecs(spec).setTimeout(seconds()).setTransportConfigCallback(access)
          .setProgressMonitor(monitor(cancellation)).setForceUpdate(true);
      if (depth > 0) cmd.setDepth(depth);
      access.credentials(cmd);
      cmd.call();
    } catch (GitAPIException e) {
      cancellation.check();
      throw failure(e);
    } catch (org.eclipse.jgit.api.errors.JGitInternalException e) {
      cancellation.check();
      throw new SyncFailure(Reason.FETCH, e.getMessage(), e);
    }
  }

  private static ObjectId peelToCommit(Repository repo, ObjectId id) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(id).getId();
    }
  }

  /** Writes the commit's tree, or the folder {@code subPath} of it, into the staging folder. */
  private void write(Repository repo, ObjectId commitId, Staging staging) throws IOException, SyncFailure {
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
      RevCommit commit = walk.parseCommit(commitId);
      RevTree root = commit.getTree();
      ObjectId tree = root;
      if (!subPath.isEmpty()) {
        try (TreeWalk at = TreeWalk.forPath(repo, subPath, root)) {
          if (at == null || at.getFileMode(0) != FileMode.TREE) {
            throw new SyncFailure(Reason.STATUS, "no folder '" + subPath + "' in commit " + commit.abbreviate(12).name());
          }
          tree = at.getObjectId(0);
        }
      }
      try (TreeWalk tw = new TreeWalk(reader)) {
        tw.addTree(tree);
        tw.setRecursive(false);
        while (tw.next()) {
          staging.cancellation().check();
          String name = tw.getPathString();
          FileMode mode = tw.getFileMode(0);
          if (mode == FileMode.TREE) {
            staging.folder(name);
            tw.enterSubtree();
          } else if (mode == FileMode.SYMLINK) {
            staging.symlink(name, new String(reader.open(tw.getObjectId(0)).getBytes(4096), StandardCharsets.UTF_8));
          } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            try (InputStream in = reader.open(tw.getObjectId(0)).openStream()) {
              staging.file(name, in);
            }
          }
          // FileMode.GITLINK: a submodule, not fetched.
        }
      }
    }
  }

  private int seconds() {
    return (int) Math.max(1, timeout.toSeconds());
  }

  private static EmptyProgressMonitor monitor(Cancellation cancellation) {
    return new EmptyProgressMonitor() {
      @Override
      public boolean isCancelled() {
        return cancellation.cancelled();
      }
    };
  }

  private SyncFailure failure(GitAPIException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof TransportException && (m.contains("not authorized") || m.contains("Authentication"))) {
      return new SyncFailure(Reason.STATUS, "not authorized by " + describe() + ": " + m, e);
    }
    return new SyncFailure(Reason.FETCH, m, e);
  }

  @Override
  public void forget() {
    lastCommit = null;
  }

  @Override
  public String describe() {
    return RedactedUrl.of(url) + " " + ref + (subPath.isEmpty() ? "" : " " + subPath);
  }
}
