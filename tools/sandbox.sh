#!/usr/bin/env bash
# Run a command inside a throwaway network sandbox:
#   a new user namespace (we map to root inside it), new network and UTS namespaces, and a
#   private mount namespace with a private tmpfs on /run/netns. Nothing done inside —
#   links, addresses, routes, nftables, sysctls, named namespaces — reaches the machine's
#   own namespaces, and everything vanishes when the command exits.
#
#   tools/sandbox.sh CMD [ARGS...]
#
# Inside, NETLINK_TS_SANDBOX=1 and NETLINK_TS_HOST_NETNS=<inode of the caller's netns>
# are set, so tests can prove they are not in the machine's namespace.
set -euo pipefail
if [ "${1:-}" = "--inner" ]; then
  shift
  # /run/netns may not exist on the machine; never create it there. Inside our private
  # mount namespace, cover /run with a tmpfs if needed, then /run/netns with its own.
  if [ ! -d /run/netns ]; then
    mount -t tmpfs -o mode=755 nlts-run /run
    mkdir -p /run/netns
  fi
  mount -t tmpfs -o mode=755 nlts-netns /run/netns
  ip link set lo up
  export NETLINK_TS_SANDBOX=1
  exec "$@"
fi
[ $# -ge 1 ] || { echo "usage: $0 CMD [ARGS...]" >&2; exit 2; }
NETLINK_TS_HOST_NETNS=$(stat -L -c %i /proc/self/ns/net)
export NETLINK_TS_HOST_NETNS
exec unshare --user --map-root-user --net --uts --mount --propagation private -- "$0" --inner "$@"
