#!/usr/bin/env bash
# Start graphsvc's Neo4j test server: ./run.sh DATA_DIR PASSWORD [PORT]
# Builds the launcher on first use (Maven resolves Neo4j Community from Maven Central and caches
# it in ~/.m2), then runs it with the --add-opens flags Neo4j 5 needs on Java 17.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [[ ! -f "$here/target/classpath.txt" || "$here/pom.xml" -nt "$here/target/classpath.txt" \
      || "$here/src/main/java/graphsvc/TestServer.java" -nt "$here/target/classes/graphsvc/TestServer.class" ]]; then
  mvn -q -B -f "$here/pom.xml" compile >&2
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_bin" -Xms512m -Xmx3g \
  -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED \
  -Dio.netty.tryReflectionSetAccessible=true \
  -Dfile.encoding=UTF-8 \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  graphsvc.TestServer "$@"
