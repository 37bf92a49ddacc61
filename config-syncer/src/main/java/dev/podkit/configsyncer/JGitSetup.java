package dev.podkit.configsyncer;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Keeps JGit off the home folder: by default it reads {@code ~/.gitconfig} and the system's git
 * config, and writes its own settings (file-system timing it measured) to
 * {@code ~/.config/jgit/config}, which fails on a read-only root file system. Here those
 * configs are empty and live in memory; the repository's own config (in the volume) is used as
 * usual.
 */
final class JGitSetup {
  private static boolean done; // guarded by JGitSetup.class

  private JGitSetup() {}

  static synchronized void once() {
    if (done) return;
    done = true;
    SystemReader.setInstance(new SystemReader.Delegate(SystemReader.getInstance()) {
      @Override
      public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        return new MemoryConfig(parent, fs);
      }

      @Override
      public FileBasedConfig openUserConfig(Config parent, FS fs) {
        return new MemoryConfig(parent, fs);
      }

      @Override
      public FileBasedConfig openJGitConfig(Config parent, FS fs) {
        return new MemoryConfig(parent, fs);
      }

      @Override
      public StoredConfig getUserConfig() {
        return new MemoryConfig(null, FS.DETECTED);
      }

      @Override
      public StoredConfig getJGitConfig() {
        return new MemoryConfig(null, FS.DETECTED);
      }

      @Override
      public StoredConfig getSystemConfig() {
        return new MemoryConfig(null, FS.DETECTED);
      }
    });
  }

  /** A config that is never loaded from nor saved to a file. */
  private static final class MemoryConfig extends FileBasedConfig {
    MemoryConfig(Config parent, FS fs) {
      super(parent, new File("/dev/null"), fs);
    }

    @Override
    public void load() {
      // nothing to read
    }

    @Override
    public void save() {
      // nothing to keep
    }

    @Override
    public boolean isOutdated() {
      return false;
    }
  }
}
