#!/usr/bin/env bash
# Starts Conclave (SFU + appservice) from this checkout: builds it first when a jar is missing or older than its
# sources (and Conclave Web, web/dist, when older than web/'s sources), then runs org.conclave.appservice.Main with the appservice module's runtime classpath.
# Usage: ./run.sh [--config config/conclave.yaml]     JVM options: JAVA_OPTS="-Xmx1g" ./run.sh
# Runs in the repository root, so relative paths (config, registration file) are relative to it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

RUNTIME_MODULES=(keyexchange sfu appservice)   # modules whose jars the server runs on
VERSION=0.1.0-SNAPSHOT
APP_JAR="appservice/target/appservice-$VERSION.jar"
CLASSPATH_FILE=appservice/target/runtime-classpath.txt

# True when some module's jar is missing or a source/pom under it is newer than the jar.
needs_build() {
    local m jar
    for m in "${RUNTIME_MODULES[@]}"; do
        jar="$m/target/$m-$VERSION.jar"
        [[ -f "$jar" ]] || return 0
        [[ pom.xml -nt "$jar" ]] && return 0
        [[ -n "$(find "$m/pom.xml" "$m/src" -newer "$jar" -print -quit 2>/dev/null)" ]] && return 0
    done
    return 1
}

if needs_build; then
    echo "Building Conclave (mvn -q -B -DskipTests install)..." >&2
    mvn -q -B -DskipTests install
fi

# Conclave Web (web/), which the public listener serves: npm ci + esbuild when dist/ is missing or older than a
# source (its own, or keyexchange/js which it bundles).
web_needs_build() {
    [[ -f web/dist/index.html ]] || return 0
    [[ -n "$(find web/src web/static web/build.mjs web/package-lock.json keyexchange/js -newer web/dist/index.html \
        -print -quit 2>/dev/null)" ]]
}
if web_needs_build; then
    command -v npm >/dev/null || { echo "Building Conclave Web (web/) needs Node.js 18+ and npm on PATH." >&2; exit 1; }
    echo "Building Conclave Web (web/: npm ci, node build.mjs)..." >&2
    (cd web && { [[ -d node_modules ]] && npm ls >/dev/null 2>&1 || npm ci --no-audit --no-fund; } && node build.mjs)
fi

# The classpath only changes with the poms; resolving it costs a Maven start, so it is cached.
if [[ ! -s "$CLASSPATH_FILE" || pom.xml -nt "$CLASSPATH_FILE" || appservice/pom.xml -nt "$CLASSPATH_FILE" \
      || sfu/pom.xml -nt "$CLASSPATH_FILE" || keyexchange/pom.xml -nt "$CLASSPATH_FILE" ]]; then
    mvn -q -B -pl appservice dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$PWD/$CLASSPATH_FILE"
fi

# exec: the JVM gets SIGTERM directly and its shutdown hook stops Conclave cleanly.
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options on purpose
exec java ${JAVA_OPTS:-} -cp "$APP_JAR:$(cat "$CLASSPATH_FILE")" org.conclave.appservice.Main "$@"
