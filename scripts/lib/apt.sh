# Installs Debian packages when a command they provide is missing. Sourced by the scripts that need them.

# apt_install COMMAND PACKAGE...: installs PACKAGE... unless COMMAND is already there.
apt_install() {
  local command=$1
  shift
  if command -v "$command" >/dev/null 2>&1 || [ -x "$command" ]; then
    return 0
  fi
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "'$command' is missing: install the Debian package(s) $* (this needs root and apt-get)" >&2
    return 1
  fi
  echo "installing $* (for $command)"
  if [ -z "${SWARMSHOP_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    export SWARMSHOP_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
