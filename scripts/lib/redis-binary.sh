# The redis-server the local scripts run: the one on PATH, else the binary that the embedded-redis
# artifact ships (the tests fall back to the same one), copied out once. Sourced by run-local.sh and
# bench/compare.sh.

REDIS_ARTIFACT=com/github/codemonstur/embedded-redis/1.4.3/embedded-redis-1.4.3.jar

# redis_binary ROOT DIR: prints the path of a redis-server; one taken from the artifact is kept in DIR.
# ROOT is the Maven project that can fetch the artifact.
redis_binary() {
  local root=$1 dir=$2
  if command -v redis-server >/dev/null 2>&1; then
    command -v redis-server
    return
  fi
  local name=redis-server-6.2.6-v5-linux-amd64
  [ "$(uname -m)" = aarch64 ] && name=redis-server-6.2.7-linux-arm64
  if [ ! -x "$dir/$name" ]; then
    local repo jar
    # Maven colours even this output on some terminals: the escapes are stripped.
    repo=$(cd "$root" && mvn -q -B help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' || echo "$HOME/.m2/repository")
    jar="$repo/$REDIS_ARTIFACT"
    [ -f "$jar" ] || (cd "$root" && mvn -q -B dependency:get -Dartifact=com.github.codemonstur:embedded-redis:1.4.3 >/dev/null)
    mkdir -p "$dir"
    (cd "$dir" && jar xf "$jar" "$name" && chmod +x "$name")
  fi
  echo "$dir/$name"
}
