#!/usr/bin/env bash
# Recapture iproute2's RTM_NEWLINK / RTM_DELLINK requests (fixtures/route/link/req-*) with
# tools/capture.ts, each in a fresh sandbox:
#   npx tsc -p tsconfig.json && tools/seed-link-request-fixtures.sh
# test/unit/link-request.test.ts compares newLinkMessage / setLinkMessage / delLinkMessage to
# them. The hand-written keys of each .json — `request` (which frame is the request),
# `requestDifferences` and `roundTripExceptions` — are carried over into the new capture;
# review them if iproute2 or the kernel changed (the test fails if a frame moved).
# Kinds this kernel lacks (dummy, vlan, ipvlan, bond; bridge vlan_filtering) are refused: the
# capture keeps iproute2's request, the -EOPNOTSUPP reply and ip's exit code 2.
set -euo pipefail
cd "$(dirname "$0")/.."
D=fixtures/route/link
BR=(--setup 'ip link add br0 type bridge')
REFUSED="bytes are iproute2's request"

cap() {
  local name=$1; shift
  local keep
  keep=$(mktemp)
  node -e 'const fs=require("fs");const p=process.argv[1];const j=fs.existsSync(p)?JSON.parse(fs.readFileSync(p,"utf8")):{};
    const k={};for(const x of ["roundTripExceptions","request","requestDifferences"]) if(x in j) k[x]=j[x];
    fs.writeFileSync(process.argv[2],JSON.stringify(k));' "$D/$name.json" "$keep"
  node dist/tools/capture.js --out "$D/$name" "$@"
  node -e 'const fs=require("fs");const p=process.argv[1];const j=JSON.parse(fs.readFileSync(p,"utf8"));
    const k=JSON.parse(fs.readFileSync(process.argv[2],"utf8"));const out={};
    for(const [x,v] of Object.entries(j)){if(x in k)continue;if(x==="expected")Object.assign(out,k);out[x]=v;}
    fs.writeFileSync(p,JSON.stringify(out,null,2)+"\n");' "$D/$name.json" "$keep"
  rm -f "$keep"
}

cap req-dummy \
  --description "RTM_NEWLINK request of \`ip link add d0 type dummy\` — kernel refuses: CONFIG_DUMMY not built in; $REFUSED" \
  -- ip link add d0 type dummy
cap req-vlan "${BR[@]}" \
  --description "RTM_NEWLINK request of \`ip link add link br0 name br0.10 type vlan id 10\` — kernel refuses: CONFIG_VLAN_8021Q not built in; $REFUSED" \
  -- ip link add link br0 name br0.10 type vlan id 10
cap req-ipvlan "${BR[@]}" \
  --description "RTM_NEWLINK request of \`ip link add link br0 name ipv0 type ipvlan mode l2\` — kernel refuses: CONFIG_IPVLAN not built in; $REFUSED" \
  -- ip link add link br0 name ipv0 type ipvlan mode l2
cap req-bond \
  --description "RTM_NEWLINK request of \`ip link add bond0 type bond mode active-backup miimon 100\` — kernel refuses: CONFIG_BONDING not built in; $REFUSED" \
  -- ip link add bond0 type bond mode active-backup miimon 100
cap req-macvlan "${BR[@]}" \
  --description 'RTM_NEWLINK request of `ip link add link br0 name mv0 type macvlan mode bridge` (lower device: bridge br0)' \
  -- ip link add link br0 name mv0 type macvlan mode bridge
cap req-bridge-opts \
  --description "RTM_NEWLINK request of \`ip link add br2 type bridge stp_state 1 forward_delay 400 vlan_filtering 1\` — kernel refuses with EOPNOTSUPP: CONFIG_BRIDGE_VLAN_FILTERING not built in (it needs CONFIG_VLAN_8021Q); $REFUSED" \
  -- ip link add br2 type bridge stp_state 1 forward_delay 400 vlan_filtering 1
cap req-veth \
  --description 'RTM_NEWLINK request of `ip link add veth0 type veth peer name veth1`' \
  -- ip link add veth0 type veth peer name veth1
cap req-veth-netns --setup 'ip netns add ns1' \
  --description 'RTM_NEWLINK request of `ip link add veth0 mtu 1400 address 02:00:00:00:00:01 type veth peer name veth1 netns ns1` (peer created directly in netns ns1, passed as IFLA_NET_NS_FD)' \
  -- ip link add veth0 mtu 1400 address 02:00:00:00:00:01 type veth peer name veth1 netns ns1
cap req-vxlan "${BR[@]}" --setup 'ip addr add 10.1.0.1/24 dev br0' --setup 'ip link set br0 up' \
  --description 'RTM_NEWLINK request of `ip link add vx0 type vxlan id 42 dstport 4789 local 10.1.0.1 dev br0` (br0: bridge with 10.1.0.1/24)' \
  -- ip link add vx0 type vxlan id 42 dstport 4789 local 10.1.0.1 dev br0
cap req-set-mtu-up "${BR[@]}" \
  --description 'RTM_NEWLINK request of `ip link set dev br0 mtu 1400 up`' \
  -- ip link set dev br0 mtu 1400 up
cap req-set-master "${BR[@]}" --setup 'ip link add veth0 type veth peer name veth1' \
  --description 'RTM_NEWLINK request of `ip link set dev veth0 master br0`' \
  -- ip link set dev veth0 master br0
cap req-set-nomaster "${BR[@]}" --setup 'ip link add veth0 type veth peer name veth1' --setup 'ip link set dev veth0 master br0' \
  --description 'RTM_NEWLINK request of `ip link set dev veth0 nomaster` (veth0 enslaved to br0 by setup)' \
  -- ip link set dev veth0 nomaster
cap req-set-name "${BR[@]}" \
  --description 'RTM_NEWLINK request of `ip link set dev br0 name br9`' \
  -- ip link set dev br0 name br9
cap req-set-address "${BR[@]}" \
  --description 'RTM_NEWLINK request of `ip link set dev br0 address 02:00:00:00:00:09`' \
  -- ip link set dev br0 address 02:00:00:00:00:09
cap req-del "${BR[@]}" \
  --description 'RTM_DELLINK request of `ip link del br0`' \
  -- ip link del br0
cap req-del-group "${BR[@]}" --setup 'ip link set br0 group 99' \
  --description 'RTM_DELLINK request of `ip link del group 99` (every link in group 99 in one request)' \
  -- ip link del group 99
