# Sourced by podkit's scripts: points JAVA_HOME at a Java 25 JDK when the current one is not 25.
# Looks in /usr/lib/jvm (Temurin's and Debian's names); leaves a working JAVA_HOME alone.
java_feature() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_feature "$JAVA_HOME")" != 25 ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-openjdk-* /usr/lib/jvm/jdk-25*; do
    if [ -x "$candidate/bin/jlink" ] && [ "$(java_feature "$candidate")" = 25 ]; then
      export JAVA_HOME=$candidate
      break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_feature "$JAVA_HOME")" != 25 ]; then
  echo "podkit needs a Java 25 JDK (with jlink): set JAVA_HOME to one" >&2
  exit 1
fi
