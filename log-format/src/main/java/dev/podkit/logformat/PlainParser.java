package dev.podkit.logformat;


/** A parser of unstructured lines: the whole line is the message, with no time or fields. */
public final class PlainParser implements LineParser {
  @Override
  public Result parse(LogRecord record) {
    record.message(record.srcStart(), record.srcEnd());
    return Result.EVENT;
  }
}
