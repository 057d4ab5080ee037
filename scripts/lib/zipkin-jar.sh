# The Zipkin server's executable jar (io.zipkin:zipkin-server, classifier exec, at the root pom's
# zipkin.version) from Maven Central. Sourced by build-images.sh (the lab's Zipkin image) and bench.sh
# (a Zipkin on loopback for the traced system).

# fetch_zipkin_jar DIR: puts the jar at DIR/zipkin-server.jar (from the local repository once fetched).
fetch_zipkin_jar() {
  local dir=$1 version
  version=$(sed -n 's:.*<zipkin.version>\(.*\)</zipkin.version>.*:\1:p' "$(dirname "${BASH_SOURCE[0]}")/../../pom.xml")
  mvn -q -B -N -f "$(dirname "${BASH_SOURCE[0]}")/../../pom.xml" dependency:copy -Dartifact="io.zipkin:zipkin-server:$version:jar:exec" \
    -DoutputDirectory="$dir" -Dmdep.stripVersion=true -Dmdep.stripClassifier=true
}
