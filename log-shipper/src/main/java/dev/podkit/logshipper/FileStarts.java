package dev.podkit.logshipper;

import dev.podkit.filetail.FileClaims;
import dev.podkit.filetail.FileFollower;
import dev.podkit.filetail.FileKey;
import dev.podkit.filetail.Position;
import dev.podkit.filetail.ReadBuffer;
import dev.podkit.filetail.Start;
import dev.podkit.filetail.TailEvents;
import dev.podkit.filetail.TailOptions;
import dev.podkit.runtime.Ticker;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the files the tailing thread follows start, and where their checkpoints go when they are
 * renamed. A path a scan finds starts at its checkpoint if that is still its file; a file rotated
 * away by rename while the shipper was down is found in the same folder by its identity and read
 * to its end first. The followers share {@link FileClaims}, so a file is read once whatever its
 * names, and a file let go at a rotation is checkpointed under the name it has now. Used on the
 * tailing thread only.
 */
final class FileStarts {
  /** A path's checkpoint, if it has one. */
  private final Function<String, Optional<Position>> saved;
  /** Where the files the first scan finds start when they have no checkpoint. */
  private final Start firstStart;
  private final TailOptions options;
  private final Ticker ticker;
  private final TailEvents events;
  private final Followers followers;
  private final Batching batching;
  /** Every follower's read buffer: they are polled one at a time, on the tailing thread. */
  private final ReadBuffer buffer = new ReadBuffer(1 << 20);
  /** The files the followers hold, and where those let go were left; a hand-over moves a checkpoint. */
  private final FileClaims claims = new FileClaims(new FileClaims.Listener() {
    @Override
    public void handedOver(Path path) {
      batching.touch(path.toString());
    }

    @Override
    public void letGo(Path path, Position at) {
      checkpointRenamed(path, at);
    }
  });

  FileStarts(Function<String, Optional<Position>> saved, Start firstStart, TailOptions options, Ticker ticker,
      TailEvents events, Followers followers, Batching batching) {
    this.saved = saved;
    this.firstStart = firstStart;
    this.options = options;
    this.ticker = ticker;
    this.events = events;
    this.followers = followers;
    this.batching = batching;
  }

  /**
   * Files read before (the checkpoints' positions, whatever their paths): a path that names one
   * of them now is read on from there, not from its start.
   */
  void remember(Collection<Position> positions) {
    positions.forEach(claims::remember);
  }

  /** Follows {@code p}, which a scan found ({@code scannedOnce}: not the first), from where it is to start. */
  void follow(Path p, String key, boolean scannedOnce) {
    follow(p, startFor(p, key, scannedOnce), false);
  }

  /** Forgets where files were left that no followed path names now. */
  void forgetUnseen() {
    if (claims.leftCount() > 0) {
      claims.retain(FileKeys.named(followers.paths())); // bounded: files gone from sight are forgotten
    }
  }

  /** Follows {@code p} from {@code start}; a {@code drainOnly} follower is dropped once read to its end. */
  private void follow(Path p, Start start, boolean drainOnly) {
    String path = p.toString();
    FileFollower f = new FileFollower(p, start, options, buffer, ticker, batching.sink(path), events, claims);
    batching.attach(path, f);
    followers.add(path, f, drainOnly);
  }

  /**
   * Where to start {@code p}: its checkpoint if it still names the checkpointed file; if that file
   * was rotated away by rename while the shipper was down, it is found in the same folder by its
   * identity and read to its end first (under its new name), and {@code p} from its start.
   */
  private Start startFor(Path p, String key, boolean scannedOnce) {
    Optional<Position> pos = saved.apply(key);
    if (pos.isEmpty()) {
      return scannedOnce ? Start.beginning() : firstStart;
    }
    FileKey now = FileKeys.of(p);
    if (pos.get().file().equals(now)) {
      return Start.at(pos.get());
    }
    Path rotated = FileKeys.find(p.getParent(), pos.get().file());
    if (rotated != null && !followers.contains(rotated.toString())) {
      follow(rotated, Start.at(pos.get()), true);
    }
    return Start.beginning();
  }

  /**
   * {@code path}'s follower let its file go, its lines delivered up to {@code at}: if the file was
   * renamed within its folder (a rotation), the batch that holds its last lines also carries
   * {@code at} under its new name. A restart (kill -9 too) then finds it there, not only the
   * checkpoint of {@code path}, which moves on to the new file.
   */
  private void checkpointRenamed(Path path, Position at) {
    if (at.file().equals(FileKeys.of(path)) || batching.heldFrom(path.toString()) != null) {
      return; // not renamed (closed where it is); or lines before at are held, not in a batch
    }
    Path renamed = FileKeys.find(path.getParent(), at.file());
    if (renamed != null) {
      batching.place(renamed.toString(), at);
    }
  }
}
