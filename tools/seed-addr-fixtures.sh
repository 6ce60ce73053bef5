#!/usr/bin/env bash
# Recapture the address fixtures (fixtures/route/addr/) with tools/capture.ts, each in a fresh
# sandbox, then record their decoded `expected` (review the diff):
#   npx tsc -p tsconfig.json && tools/seed-addr-fixtures.sh
# test/unit/addr.test.ts holds AddrApi's requests to the iproute2 requests captured here.
# Every command is written in the one argument order AddrApi mirrors (iproute2 appends
# attributes in argv order): LOCAL [peer P] [broadcast B] [label L] [metric M] dev D
# [scope S] [flags…] [valid_lft V preferred_lft P].
set -euo pipefail
cd "$(dirname "$0")/.."
C=(node dist/tools/capture.js)
D=fixtures/route/addr
BR=(--setup 'ip link add br0 type bridge')
ORACLE=(--oracle 'ip -j addr show dev br0')

"${C[@]}" --out $D/newaddr-v4 "${BR[@]}" "${ORACLE[@]}" \
  --description 'RTM_NEWADDR (ip addr add 192.168.15.1/24 dev br0): NLM_F_CREATE|NLM_F_EXCL, IFA_LOCAL then IFA_ADDRESS (both the address), scope global; ip resolves br0 with RTM_GETLINK on fd 4 first; ACK' \
  -- ip addr add 192.168.15.1/24 dev br0

"${C[@]}" --out $D/newaddr-v4-brd "${BR[@]}" "${ORACLE[@]}" \
  --description 'RTM_NEWADDR (ip addr add 192.168.15.1/24 brd + dev br0): IFA_BROADCAST 192.168.15.255 computed by ip, after IFA_LOCAL and IFA_ADDRESS; ACK' \
  -- ip addr add 192.168.15.1/24 brd + dev br0

"${C[@]}" --out $D/newaddr-v6-nodad "${BR[@]}" "${ORACLE[@]}" \
  --description 'RTM_NEWADDR (ip addr add fd00::1/64 dev br0 nodad): AF_INET6, ifa_flags IFA_F_NODAD (fits 8 bits, so no IFA_FLAGS), IFA_LOCAL and IFA_ADDRESS; ACK' \
  -- ip addr add fd00::1/64 dev br0 nodad

"${C[@]}" --out $D/deladdr-v4 "${BR[@]}" --setup 'ip addr add 192.168.15.1/24 dev br0' "${ORACLE[@]}" \
  --description 'RTM_DELADDR (ip addr del 192.168.15.1/24 dev br0): flags 0, scope left 0 (ip sets no default scope on delete), IFA_LOCAL and IFA_ADDRESS; ACK' \
  -- ip addr del 192.168.15.1/24 dev br0

"${C[@]}" --out $D/newaddr-label "${BR[@]}" "${ORACLE[@]}" \
  --description 'RTM_NEWADDR (ip addr add 192.168.15.1/24 label br0:1 dev br0): IFA_LABEL placed in argv order, between IFA_LOCAL and IFA_ADDRESS; ACK' \
  -- ip addr add 192.168.15.1/24 label br0:1 dev br0

"${C[@]}" --out $D/newaddr-full "${BR[@]}" "${ORACLE[@]}" \
  --description 'RTM_NEWADDR with every option ip has for IPv4 (explicit broadcast, label, metric → IFA_RT_PRIORITY, scope link, noprefixroute → IFA_FLAGS since it needs more than 8 bits, lifetimes → IFA_CACHEINFO last); ACK' \
  -- ip addr add 192.168.16.1/24 broadcast 192.168.16.254 label br0:full metric 100 dev br0 scope link noprefixroute valid_lft 300 preferred_lft 200

"${C[@]}" --out $D/newaddr-peer "${BR[@]}" "${ORACLE[@]}" \
  --description 'RTM_NEWADDR point-to-point (ip addr add 10.9.0.1 peer 10.9.0.2/30 brd + dev br0): IFA_LOCAL 10.9.0.1, IFA_ADDRESS the peer, prefixlen from the peer, broadcast computed from the peer prefix; ACK' \
  -- ip addr add 10.9.0.1 peer 10.9.0.2/30 brd + dev br0

"${C[@]}" --out $D/newaddr-v6-replace "${BR[@]}" --setup 'ip addr add fd00::2/64 dev br0 nodad' "${ORACLE[@]}" \
  --description 'RTM_NEWADDR replace (ip addr replace fd00::2/64 dev br0 mngtmpaddr noprefixroute): NLM_F_CREATE|NLM_F_REPLACE, flags 0x300 in IFA_FLAGS (ifa_flags 0); ACK' \
  -- ip addr replace fd00::2/64 dev br0 mngtmpaddr noprefixroute

"${C[@]}" --out $D/newaddr-lo --oracle 'ip -j addr show dev lo' \
  --description 'RTM_NEWADDR (ip addr add 127.0.0.2/8 dev lo): ip defaults the scope of 127/8 addresses to host (default_scope); ACK' \
  -- ip addr add 127.0.0.2/8 dev lo

"${C[@]}" --out $D/newaddr-exists "${BR[@]}" --setup 'ip addr add 192.168.15.1/24 dev br0' "${ORACLE[@]}" \
  --description 'RTM_NEWADDR of an address that exists (ip addr add 192.168.15.1/24 dev br0, twice): NLMSG_ERROR -EEXIST; ip exits 2' \
  -- ip addr add 192.168.15.1/24 dev br0

"${C[@]}" --out $D/deladdr-v4-bare "${BR[@]}" --setup 'ip addr add 192.168.15.1/24 dev br0' "${ORACLE[@]}" \
  --description 'RTM_DELADDR with a bare IPv4 address (ip addr del 192.168.15.1 dev br0): ip'"'"'s deprecated wildcard deletion — IFA_LOCAL only, no IFA_ADDRESS, so the kernel ignores the prefix length and deletes the /24; ip warns on stderr. AddrApi differs on purpose (apiExceptions)' \
  -- ip addr del 192.168.15.1 dev br0

"${C[@]}" --out $D/getaddr-dev-v4 "${BR[@]}" --setup 'ip addr add 192.168.15.1/24 dev br0' --setup 'ip addr add fd00::1/64 dev br0 nodad' \
  --oracle 'ip -j -4 addr show dev br0' \
  --description 'RTM_GETADDR dump filtered in the kernel (ip -4 addr show dev br0): ifaddrmsg family AF_INET, index of br0; replies carry NLM_F_DUMP_FILTERED. ip first resolves br0 (fd 4) and fetches the link (fd 3)' \
  -- ip -4 addr show dev br0

# The one request AddrApi encodes differently on purpose, with the exact difference
# (test/unit/addr.test.ts applies `patch` to ip's decoded request and expects our bytes).
node -e '
const fs = require("fs"); const f = "fixtures/route/addr/deladdr-v4-bare.json";
const j = JSON.parse(fs.readFileSync(f, "utf8"));
j.apiExceptions = [{
  frame: 2, message: 0,
  why: "A bare IPv4 address means a host prefix (/32) everywhere in AddrApi, delete included: it sends IFA_ADDRESS as for any other address, so the kernel matches prefix length 32 and refuses to delete 192.168.15.1/24 (EADDRNOTAVAIL). ip 6.1 instead omits IFA_ADDRESS for a bare IPv4 delete (\"wildcard deletion to stay compatible with old scripts\", deprecated, warned about on stderr, \"likely to disappear\"), which deletes the address whatever its prefix length.",
  patch: { attrs: { address: "192.168.15.1" } },
}];
fs.writeFileSync(f, JSON.stringify(j, null, 2) + "\n");
'

node dist/tools/fixture-expect.js \
  route/addr/newaddr-v4 route/addr/newaddr-v4-brd route/addr/newaddr-v6-nodad route/addr/deladdr-v4 route/addr/newaddr-label \
  route/addr/newaddr-full route/addr/newaddr-peer route/addr/newaddr-v6-replace route/addr/newaddr-lo route/addr/newaddr-exists \
  route/addr/deladdr-v4-bare route/addr/getaddr-dev-v4
