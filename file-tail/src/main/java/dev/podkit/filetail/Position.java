package dev.podkit.filetail;

/**
 * Where a follower stands in a file, as a checkpoint: the file's identity, the offset just after
 * the last line delivered, and two fingerprints that tell whether the file is still the one read
 * (FNV-1a hashes of its first bytes and of the bytes just before the offset). Resuming checks all
 * of them, so a reused inode or a file truncated and rewritten while nobody watched is not
 * mistaken for the saved one.
 *
 * @param file device and inode
 * @param offset bytes up to the end of the last delivered line
 * @param headLength how many of the file's first bytes {@code headHash} covers
 * @param headHash hash of the file's first {@code headLength} bytes
 * @param tailLength how many bytes before {@code offset} {@code tailHash} covers: {@code min(offset, window)}
 * @param tailHash hash of the {@code tailLength} bytes before {@code offset}
 */
public record Position(FileKey file, long offset, int headLength, long headHash, int tailLength, long tailHash) {
  public Position {
    if (file == null) throw new IllegalArgumentException("file is null");
    if (offset < 0) throw new IllegalArgumentException("offset < 0: " + offset);
    if (headLength < 0) throw new IllegalArgumentException("headLength < 0: " + headLength);
    if (tailLength < 0 || tailLength > offset) {
      throw new IllegalArgumentException("tailLength not in [0, offset]: " + tailLength);
    }
  }
}
