#!/usr/bin/env bash
# Recapture the seed fixture corpus with tools/capture.ts (each capture in a fresh sandbox).
#   npx tsc -p tsconfig.json && tools/seed-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
C=(node dist/tools/capture.js)

"${C[@]}" --out fixtures/route/link/getlink-dump \
  --description 'RTM_GETLINK dump (ip link show) over lo + bridge br0 (up) + veth pair veth0/veth1 with veth0 enslaved to br0: multipart RTM_NEWLINK replies ending in NLMSG_DONE' \
  --setup 'ip link add br0 type bridge' --setup 'ip link add veth0 type veth peer name veth1' \
  --setup 'ip link set veth0 master br0' --setup 'ip link set br0 up' \
  --oracle 'ip -j -d link show' -- ip link show

"${C[@]}" --out fixtures/route/link/newlink-bridge-ack \
  --description 'RTM_NEWLINK creating bridge br1 (ip link add br1 type bridge) with NLM_F_ACK: request + NLMSG_ERROR error=0 ACK (after iproute2'"'"'s RTM_NEWLINK support probe, answered -ENODEV)' \
  --oracle 'ip -j -d link show br1' -- ip link add br1 type bridge

"${C[@]}" --out fixtures/route/link/newlink-error-extack \
  --description 'RTM_NEWLINK (ip link set dev lo gso_max_size 1) refused by the policy of IFLA_GSO_MAX_SIZE (NLA_POLICY_MIN): NLMSG_ERROR -ERANGE with NLM_F_ACK_TLVS and extended ACK NLMSGERR_ATTR_MSG "integer out of range", NLMSGERR_ATTR_OFFS 32 (the IFLA_GSO_MAX_SIZE attribute of the echoed request) and a nested NLMSGERR_ATTR_POLICY; the request is echoed in full (no NLM_F_CAPPED); ip exits 2' \
  --oracle 'ip -j -d link show dev lo' -- ip link set dev lo gso_max_size 1

"${C[@]}" --out fixtures/route/addr/getaddr-dump \
  --description 'RTM_GETADDR dump (ip addr show) over lo and bridge br0 (up) with 192.168.15.1/24 and fd00::1/64 nodad: multipart RTM_NEWADDR replies ending in NLMSG_DONE (ip dumps links first, also multipart)' \
  --setup 'ip link add br0 type bridge' --setup 'ip addr add 192.168.15.1/24 dev br0' \
  --setup 'ip addr add fd00::1/64 dev br0 nodad' --setup 'ip link set br0 up' \
  --oracle 'ip -j addr show' -- ip addr show

"${C[@]}" --out fixtures/route/link/getlink-ifname \
  --description 'RTM_GETLINK for one link by name (ip link show dev lo): request with IFLA_IFNAME, single RTM_NEWLINK reply' \
  --oracle 'ip -j -d link show dev lo' -- ip link show dev lo

"${C[@]}" --out fixtures/route/route/getroute-dump \
  --description 'RTM_GETROUTE dump of all tables (ip route show table all) with bridge br0 up at 10.1.0.1/24 and 10.2.0.0/16 via 10.1.0.2: multipart RTM_NEWROUTE replies ending in NLMSG_DONE; ip resolves ifindexes with RTM_GETLINK on a second socket (fd 4) in the middle of the dump' \
  --setup 'ip link add br0 type bridge' --setup 'ip addr add 10.1.0.1/24 dev br0' \
  --setup 'ip link set br0 up' --setup 'ip route add 10.2.0.0/16 via 10.1.0.2' \
  --oracle 'ip -j route show table all' -- ip route show table all
