package dev.podkit.filetail;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The opener of the files a {@link FileFollower}'s path names: opens each at the place it is to
 * be read from, and gives it back when the follower lets it go. The first file opened starts at
 * the follower's {@link Start}, later ones at their start; a file that the followers sharing
 * {@link FileClaims} read before goes on from where it was left, and one another of them holds is
 * not opened. Used on the follower's polling thread.
 */
final class FileOpener {
  private final Path path;
  private final ReadBuffer buffer;
  private final TailEvents events;
  private final FileClaims claims;
  /** Where the first file opened starts; null once used: later files are read from their start. */
  private Start start;

  FileOpener(Path path, Start start, ReadBuffer buffer, TailEvents events, FileClaims claims) {
    this.path = path;
    this.start = start;
    this.buffer = buffer;
    this.events = events;
    this.claims = claims;
  }

  /**
   * The file the path names, claimed and moved to where it is to be read from; null if the path
   * names none, or another follower holds it (it is tried again at the next poll).
   */
  TailedFile open() throws IOException {
    TailedFile f = TailedFile.open(path);
    if (f == null) {
      if (start instanceof Start.At(Position saved)) {
        events.resumeRejected(path, saved, "no file at the path");
      }
      start = null;
      return null;
    }
    Start first = claims.claim(path, f.key(), start == null ? Start.beginning() : start);
    if (first == null) {
      f.close(); // another follower reads it; tried again at the next poll, the start kept
      return null;
    }
    start = null;
    try {
      // An if-chain, not a pattern switch: the switch's bootstrap spins a class and its method
      // handles at run time (the AOT cache cannot hold them), about 70 ms of every start.
      if (first instanceof Start.End) {
        f.seekToEnd(buffer);
      } else if (first instanceof Start.At(Position saved)) {
        String why = f.resume(buffer, saved);
        if (why != null) {
          events.resumeRejected(path, saved, why);
        }
      }
    } catch (IOException e) {
      claims.release(path, f.key(), first instanceof Start.At(Position at) ? at : null);
      f.close();
      throw e;
    }
    return f;
  }

  /**
   * Lets {@code file} go, its delivered lines ending {@code at}: a follower that opens it next
   * goes on from there.
   */
  void release(FileKey file, Position at) {
    claims.release(path, file, at);
  }

  /**
   * Lets {@code file} go, its handle lost, and makes the next file opened start at {@code at},
   * where its delivered lines end: if the path still names it, unchanged, it is resumed there.
   */
  void reopenLater(FileKey file, Position at) {
    start = Start.at(at);
    claims.release(path, file, at);
  }
}
