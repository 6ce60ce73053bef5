#!/usr/bin/env bash
# Recapture the neighbour and rule request fixtures (fixtures/route/neigh/, fixtures/route/rule/)
# with tools/capture.ts: each iproute2 command runs under strace in a fresh sandbox, so its
# exact request bytes become the reference test/unit/neigh.test.ts and rule.test.ts hold
# NeighApi's and RuleApi's encoders to.
#   npx tsc -p tsconfig.json && tools/capture-neigh-rule-fixtures.sh
# Neighbour commands are written `ip neigh add DST lladdr LL dev DEV nud STATE [FLAGS…]`;
# iproute2 puts NDA_DST and NDA_LLADDR after its argument loop whatever the order, so only the
# header depends on the words. Rule commands are written in RuleApi's canonical order
# (see src/route/rule/rule-spec.ts): priority, not, from, to, tos, fwmark, iif, oif, uidrange,
# ipproto, sport, dport, protocol, table, suppress_prefixlength, TYPE/goto.
set -euo pipefail
cd "$(dirname "$0")/.."
C=(node dist/tools/capture.js)
N=fixtures/route/neigh
R=fixtures/route/rule
BR=(--setup 'ip link add br0 type bridge' --setup 'ip addr add 10.1.0.1/24 dev br0' --setup 'ip addr add fd00:1::1/64 dev br0 nodad' --setup 'ip link set br0 up')
NALL=(--oracle 'ip -j neigh show nud all')
P5=(--setup 'ip neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev br0 nud permanent')

"${C[@]}" --out $N/newneigh-permanent "${BR[@]}" "${NALL[@]}" \
  --description 'RTM_NEWNEIGH (ip neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev br0 nud permanent): ndmsg AF_INET, ifindex of br0 (looked up on fd 4), NUD_PERMANENT; NDA_DST, NDA_LLADDR; NLM_F_CREATE|NLM_F_EXCL; ACK' \
  -- ip neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev br0 nud permanent

"${C[@]}" --out $N/newneigh-v6-router "${BR[@]}" "${NALL[@]}" \
  --description 'RTM_NEWNEIGH (ip neigh add fd00:1::5 lladdr 02:00:00:00:00:06 dev br0 nud stale router): AF_INET6, NUD_STALE, NTF_ROUTER; ACK' \
  -- ip neigh add fd00:1::5 lladdr 02:00:00:00:00:06 dev br0 nud stale router

"${C[@]}" --out $N/newneigh-noarp-proto "${BR[@]}" "${NALL[@]}" \
  --description 'RTM_NEWNEIGH (ip neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev br0 nud noarp protocol static): NUD_NOARP, NDA_PROTOCOL (added in the argument loop, so before NDA_DST); ACK' \
  -- ip neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev br0 nud noarp protocol static

"${C[@]}" --out $N/newneigh-managed "${BR[@]}" "${NALL[@]}" \
  --description 'RTM_NEWNEIGH (ip neigh add 10.1.0.8 dev br0 nud none managed): NDA_FLAGS_EXT NTF_EXT_MANAGED (the kernel resolves and keeps it reachable); ACK' \
  -- ip neigh add 10.1.0.8 dev br0 nud none managed

"${C[@]}" --out $N/newneigh-replace "${BR[@]}" "${P5[@]}" "${NALL[@]}" \
  --description 'RTM_NEWNEIGH (ip neigh replace 10.1.0.5 lladdr 02:00:00:00:00:55 dev br0 nud reachable): NLM_F_CREATE|NLM_F_REPLACE over an existing entry; ACK' \
  -- ip neigh replace 10.1.0.5 lladdr 02:00:00:00:00:55 dev br0 nud reachable

"${C[@]}" --out $N/newneigh-exists "${BR[@]}" "${P5[@]}" "${NALL[@]}" \
  --description 'RTM_NEWNEIGH (ip neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev br0 nud permanent) over an existing entry: NLMSG_ERROR -EEXIST' \
  -- ip neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev br0 nud permanent

"${C[@]}" --out $N/delneigh "${BR[@]}" "${P5[@]}" "${NALL[@]}" \
  --description 'RTM_DELNEIGH (ip neigh del 10.1.0.5 dev br0): NDA_DST, ndm_state NUD_PERMANENT as iproute2 leaves it (ignored by the kernel on delete); ACK' \
  -- ip neigh del 10.1.0.5 dev br0

"${C[@]}" --out $N/getneigh-dump "${BR[@]}" "${P5[@]}" --setup 'ip neigh add fd00:1::5 lladdr 02:00:00:00:00:06 dev br0 nud stale router' --setup 'ip neigh add 10.1.0.7 lladdr 02:00:00:00:00:07 dev br0 nud noarp' \
  --oracle 'ip -j neigh show nud all' \
  --description 'RTM_GETNEIGH dump (ip neigh show nud all): AF_UNSPEC, every IPv4 and IPv6 entry' \
  -- ip neigh show nud all

"${C[@]}" --out $N/getneigh-dump-dev "${BR[@]}" "${P5[@]}" --setup 'ip neigh add fd00:1::5 lladdr 02:00:00:00:00:06 dev br0 nud stale router' \
  --oracle 'ip -j -4 neigh show dev br0' \
  --description 'RTM_GETNEIGH dump (ip -4 neigh show dev br0): AF_INET and NDA_IFINDEX, filtered in the kernel (NLM_F_DUMP_FILTERED)' \
  -- ip -4 neigh show dev br0

# ---- rules
RALL=(--oracle 'ip -j rule show')
R6ALL=(--oracle 'ip -j -6 rule show')
R1K=(--setup 'ip rule add priority 1000 from 10.0.0.0/8 to 192.168.0.0/16 fwmark 0x10/0xff iif br0 table 100')

"${C[@]}" --out $R/newrule-full "${BR[@]}" "${RALL[@]}" \
  --description 'RTM_NEWRULE (ip rule add priority 1000 from 10.0.0.0/8 to 192.168.0.0/16 fwmark 0x10/0xff iif br0 table 100): FR_ACT_TO_TBL, src_len/dst_len, FRA_PRIORITY, FRA_SRC, FRA_DST, FRA_FWMARK, FRA_FWMASK, FRA_IIFNAME; table 100 in the header; ACK' \
  -- ip rule add priority 1000 from 10.0.0.0/8 to 192.168.0.0/16 fwmark 0x10/0xff iif br0 table 100

"${C[@]}" --out $R/newrule-default-table "${BR[@]}" "${RALL[@]}" \
  --description 'RTM_NEWRULE (ip rule add from 10.9.0.0/16): no priority (the kernel picks one), table main by default; ACK' \
  -- ip rule add from 10.9.0.0/16

"${C[@]}" --out $R/newrule-table5000 "${BR[@]}" "${RALL[@]}" \
  --description 'RTM_NEWRULE (ip rule add priority 2000 not to 172.16.0.0/12 oif br0 protocol static table 5000): FIB_RULE_INVERT, FRA_OIFNAME, FRA_PROTOCOL, table > 255 in FRA_TABLE with table RT_TABLE_UNSPEC; ACK' \
  -- ip rule add priority 2000 not to 172.16.0.0/12 oif br0 protocol static table 5000

"${C[@]}" --out $R/newrule-ports "${BR[@]}" "${RALL[@]}" \
  --description 'RTM_NEWRULE (ip rule add priority 3000 tos 0x10 uidrange 0-0 ipproto 6 sport 1000-2000 dport 443 table 100 suppress_prefixlength 0): tos in the header, FRA_UID_RANGE (uid 0: the only uid mapped in the sandbox user namespace), FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE, FRA_SUPPRESS_PREFIXLEN; ACK' \
  -- ip rule add priority 3000 tos 0x10 uidrange 0-0 ipproto 6 sport 1000-2000 dport 443 table 100 suppress_prefixlength 0

"${C[@]}" --out $R/newrule-blackhole "${BR[@]}" "${RALL[@]}" \
  --description 'RTM_NEWRULE (ip rule add priority 4000 from 10.66.0.0/16 blackhole): action FR_ACT_BLACKHOLE, table 0; ACK' \
  -- ip rule add priority 4000 from 10.66.0.0/16 blackhole

"${C[@]}" --out $R/newrule-goto "${BR[@]}" --setup 'ip rule add priority 6000 table 100' "${RALL[@]}" \
  --description 'RTM_NEWRULE (ip rule add priority 5000 fwmark 0x1 goto 6000): action FR_ACT_GOTO with FRA_GOTO; ACK' \
  -- ip rule add priority 5000 fwmark 0x1 goto 6000

"${C[@]}" --out $R/newrule-ipv6 "${BR[@]}" "${R6ALL[@]}" \
  --description 'RTM_NEWRULE (ip -6 rule add priority 1000 from fd00:1::/64 to fd00:2::/48 iif br0 table 100): AF_INET6; ACK' \
  -- ip -6 rule add priority 1000 from fd00:1::/64 to fd00:2::/48 iif br0 table 100

"${C[@]}" --out $R/newrule-exists "${BR[@]}" "${R1K[@]}" "${RALL[@]}" \
  --description 'RTM_NEWRULE (the same rule again): NLMSG_ERROR -EEXIST' \
  -- ip rule add priority 1000 from 10.0.0.0/8 to 192.168.0.0/16 fwmark 0x10/0xff iif br0 table 100

"${C[@]}" --out $R/delrule "${BR[@]}" "${R1K[@]}" "${RALL[@]}" \
  --description 'RTM_DELRULE (ip rule del priority 1000): FR_ACT_UNSPEC, table 0, AF_INET, FRA_PRIORITY only; ACK' \
  -- ip rule del priority 1000

"${C[@]}" --out $R/delrule-ipv6 "${BR[@]}" --setup 'ip -6 rule add priority 1000 from fd00:1::/64 table 100' "${R6ALL[@]}" \
  --description 'RTM_DELRULE (ip -6 rule del priority 1000 from fd00:1::/64 table 100); ACK' \
  -- ip -6 rule del priority 1000 from fd00:1::/64 table 100

"${C[@]}" --out $R/getrule-dump "${BR[@]}" "${R1K[@]}" --setup 'ip rule add priority 2000 not to 172.16.0.0/12 oif br0 table 5000' "${RALL[@]}" \
  --description 'RTM_GETRULE dump (ip rule show): AF_INET' \
  -- ip rule show

"${C[@]}" --out $R/getrule-dump-ipv6 "${BR[@]}" --setup 'ip -6 rule add priority 1000 from fd00:1::/64 to fd00:2::/48 iif br0 table 100' "${R6ALL[@]}" \
  --description 'RTM_GETRULE dump (ip -6 rule show): AF_INET6' \
  -- ip -6 rule show

# Decode every frame into `expected` (review the diff), then record beside each fixture the
# NeighApi/RuleApi call that must send the same bytes (test/unit/neigh.test.ts, rule.test.ts
# run it) and any difference, with its reason, that the tests assert exactly.
node dist/tools/fixture-expect.js $(ls $N/*.hex $R/*.hex | sed 's|^fixtures/||; s|\.hex$||')
node dist/tools/apply-fixture-notes.js tools/neigh-rule-fixture-notes.json
