package dev.podkit.logshipper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Include patterns split into a scan root and segments, and brace expansion. */
class PathPatternTest {
  private static List<String> parsed(String pattern) {
    return PathPattern.parse(pattern).stream().map(PathPattern::toString).toList();
  }

  private static String error(String pattern) {
    return assertThrows(IllegalArgumentException.class, () -> PathPattern.parse(pattern)).getMessage();
  }

  @Test
  void parse_globInLastName_rootIsItsFolder() {
    assertEquals(List.of("/var/log/containers [*.log]"), parsed("/var/log/containers/*.log"));
  }

  @Test
  void parse_noGlob_rootIsTheParent() {
    assertEquals(List.of("/var/log [app.log]"), parsed("/var/log/app.log"));
    assertEquals(List.of("/ [x]"), parsed("/x"));
  }

  @Test
  void parse_globInTheMiddle_rootStopsBeforeIt() {
    assertEquals(List.of("/var/log/pods [*, *, *.log]"), parsed("/var/log/pods/*/*/*.log"));
    assertEquals(List.of("/var [l?g, app, x.log]"), parsed("/var/l?g/app/x.log"));
  }

  @Test
  void parse_trailingDoubleStar_everyFileBelow() {
    assertEquals(List.of("/data [**, *]"), parsed("/data/**"));
    assertEquals(List.of("/data [**, *.log]"), parsed("/data/**/**/*.log"));
  }

  @Test
  void parse_extraSlashes_ignored() {
    assertEquals(List.of("/var/log [*.log]"), parsed("//var//log/*.log"));
  }

  @Test
  void parse_braces_onePatternPerAlternativeEachWithItsRoot() {
    assertEquals(List.of("/var/log/app [*.log]", "/var/log/web/nginx [*.log]"), parsed("/var/log/{app,web/nginx}/*.log"));
  }

  @Test
  void expand_nestedAndEmptyAlternatives_inOrder() {
    assertEquals(List.of("/a/x.log", "/a/y1.log", "/a/y2.log", "/a/.log"), Braces.expand("/a/{x,y{1,2},}.log", 10));
    assertEquals(List.of("/a.log", "/a.log.gz", "/b.log", "/b.log.gz"), Braces.expand("/{a,b}.log{,.gz}", 10));
  }

  @Test
  void expand_escapedOrBracketed_leftAlone() {
    assertEquals(List.of("/a/\\{x,y}"), Braces.expand("/a/\\{x,y}", 10));
    assertEquals(List.of("/a/[{]x"), Braces.expand("/a/[{]x", 10));
    assertEquals(List.of("/a/x}"), Braces.expand("/a/x}", 10));
  }

  @Test
  void parse_invalid_rejectedNamingThePattern() {
    assertEquals("include not absolute: var/log/*.log", error("var/log/*.log"));
    assertEquals("include has a . or .. part: /var/log/../etc/*", error("/var/log/../etc/*"));
    assertEquals("include names no file: /", error("/"));
    assertEquals("unbalanced braces: /a/{x,y", error("/a/{x,y"));
    assertEquals("include not a valid glob: /a/[x.log", error("/a/[x.log"));
    assertEquals("more than 256 alternatives: /{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}",
        error("/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"));
  }
}
