#!/usr/bin/env bash
# Builds a rich rtnetlink state with ip(8) and bridge(8) in the CURRENT network namespace, for
# test/live/corpus-rtnl.test.ts (which runs it inside the sandbox, in a fresh netns of its own):
# bridges with STP, veth peers in other namespaces, vxlan variants, tun/tap, ifb; addresses
# with labels, peers, lifetimes and flags; ~100 routes over several tables (ECMP, metrics,
# types, tos, realms, via inet6, IPv6 from, expires); ~25 rules with every selector this
# kernel takes; neighbours incl. proxy; fdb entries. Never run it outside tools/sandbox.sh.
#
#   tools/corpus-rtnl.sh PREFIX      (PREFIX names the namespaces it adds: PREFIXa, PREFIXb)
set -euo pipefail
[ "${NETLINK_TS_SANDBOX:-}" = 1 ] || { echo "corpus-rtnl.sh: only inside tools/sandbox.sh" >&2; exit 2; }
P=${1:?usage: corpus-rtnl.sh PREFIX}
NA=${P}a NB=${P}b

# Links: two bridges (STP on one), veths with peers here and in two other namespaces, vxlan
# variants, tun/tap, ifb, group / alias / mtu / txqlen settings.
ip link add br0 type bridge stp_state 1 forward_delay 400 hello_time 200 priority 4096
ip link add br1 type bridge ageing_time 1000 mcast_snooping 0
ip link add va0 type veth peer name vb0
ip link add va1 mtu 1400 type veth peer name vb1
ip netns add "$NA"; ip netns add "$NB"
ip link add vc0 type veth peer name vp0 netns "$NA"
ip link add vc1 type veth peer name vp1 netns "$NB"
ip link set va0 master br0; ip link set va1 master br1; ip link set vc0 master br0
ip link set dev va0 type bridge_slave cost 7 priority 9 learning off
ip link add vx0 type vxlan id 42 dstport 4789 local 10.9.0.1 ttl inherit dev va1
ip link add vx1 type vxlan external dstport 0
ip link add vx2 type vxlan id 7 remote 10.0.0.9 dstport 4789 ttl 10 tos inherit
ip link add vx3 type vxlan id 8 group 239.1.1.1 dev vb1 dstport 4790 nolearning ageing 100 l2miss
ip link add vx4 type vxlan id 9 local fd00:9::1 remote fd00:9::2 dstport 4789 udp6zerocsumtx
ip link set vx1 master br1
ip tuntap add dev tap0 mode tap
ip tuntap add dev tun0 mode tun multi_queue user 0 group 0
ip link add ifb0 type ifb
ip link set br0 group 5 alias "corpus bridge"
ip link set va0 txqlen 500 alias peer-of-vb0
ip link set vb1 addrgenmode none
ip link set vb0 addrgenmode random 2>/dev/null || true
for d in br0 br1 va0 vb0 va1 vb1 vc0 vx0 vx2 tap0 ifb0; do ip link set "$d" up; done
ip link set va1 promisc on
ip link set vb0 allmulticast on
ip link set ifb0 arp off 2>/dev/null || true
ip -n "$NA" link set vp0 up

# Addresses: labels, brd, peers, lifetimes, metrics, nodad, noprefixroute, secondaries.
ip link set br0 addrgenmode none
ip addr add 10.1.0.1/24 brd + dev br0 label br0:a
ip addr add 10.1.0.2/24 dev br0
ip addr add 10.1.0.3/24 dev br0 label br0:c
ip addr add 10.2.0.1 peer 10.2.0.2/32 dev va0
ip addr add 10.3.0.1/24 dev va1 metric 50
ip addr add 10.4.0.1/24 dev vb1 valid_lft 3000 preferred_lft 2000
ip addr add 10.5.0.1/16 dev br1 noprefixroute
ip addr add 10.9.0.1/24 dev vb1
ip addr add 192.0.2.1/32 dev lo
ip addr add fd00::1/64 dev br0 nodad
ip addr add fd00:1::1/64 dev br0 nodad noprefixroute valid_lft 1000 preferred_lft 500
ip addr add fd00:2::1/64 dev va1 nodad
ip addr add fd00:3::1/64 dev vb1 nodad
ip addr add fd00:9::1/64 dev vb1 nodad
ip addr add fd00:4::1/64 dev ifb0 nodad 2>/dev/null || true

# Routes: ~100 over main, local-ish tables 100/200/300 and both families.
for i in $(seq 1 30); do ip route add 10.100.$i.0/24 via 10.1.0.254 metric $i; done
for i in $(seq 1 20); do ip route add 10.101.$i.0/24 dev va1 table 100 proto static; done
for i in $(seq 1 10); do ip route add 10.102.$i.0/24 table 200 nexthop via 10.1.0.253 weight $i nexthop via 10.3.0.254 weight 1; done
ip route add 10.110.0.0/16 via 10.1.0.254 tos 0x10 realm 5 metric 7 mtu lock 1400 advmss 1000
ip route add 10.110.0.0/16 via 10.1.0.253 tos 0x08
# tos 0x28 is AF11 in /etc/iproute2/rt_dsfield: ip -j prints the name
ip route add 10.110.0.0/16 via 10.1.0.252 tos 0x28
ip route add 10.111.0.0/16 via inet6 fe80::1 dev br0
ip route add 10.112.0.0/16 dev va0 onlink via 1.2.3.4 table 100
ip route add 10.113.0.0/16 dev br0 realms 3/4 proto 99 table 300 scope link
ip route add 10.114.0.0/16 dev br0 mtu 1300 hoplimit 3 initcwnd 10 rto_min 200ms congctl cubic
ip route add blackhole 10.120.0.0/16 proto static
ip route add unreachable 10.121.0.0/16
ip route add prohibit 10.122.0.0/16 table 100
ip route add throw 10.123.0.0/16 table 100
ip route add 10.124.0.0/16 via 10.1.0.254 src 10.1.0.1
ip route add default via 10.1.0.254 metric 1000
ip route add 10.125.0.0/16 nexthop via 10.1.0.253 dev br0 weight 3 nexthop via inet6 fe80::2 dev va1 weight 2
for i in $(seq 1 15); do ip -6 route add fd10:$i::/64 via fd00::fe dev br0 metric $((i * 10)); done
ip -6 route add fd20::/64 from fd21::/64 dev br0
ip -6 route add fd22::/64 dev br0 expires 600
ip -6 route add fd23::/64 dev va1 pref high
ip -6 route add blackhole fd24::/64
ip -6 route add fd25::/64 nexthop via fd00::fd dev br0 nexthop via fd00:2::fd dev va1
ip -6 route add fd26::/64 dev br0 table 100 mtu 1280
ip -6 route add fd27::/64 via fd00:2::fc dev va1 table 200 proto static

# Rules: every selector this kernel takes (uid ranges only of mapped uids in the sandbox).
ip rule add from 10.0.0.0/8 tos 0x10 table 100 prio 100
ip rule add uidrange 0-0 ipproto tcp sport 1000-2000 dport 80 table main suppress_prefixlength 0 prio 101
ip rule add iif br0 suppress_ifgroup 5 realms 3/4 goto 103 prio 102
ip rule add from all fwmark 0x10/0xff lookup 100 protocol static prio 103
ip rule add not from 10.0.0.0/8 to 10.1.0.0/16 iif lo oif br0 l3mdev prio 104
ip rule add from 10.0.0.0/8 to 10.1.0.0/16 iif lo oif br0 table 7 suppress_ifgroup 5 prio 105
ip rule add from 1.2.3.4 blackhole prio 106
ip rule add from 1.2.3.5 nop prio 107
ip rule add from 1.2.3.6 unreachable prio 108
ip rule add from 1.2.3.7 ipproto udp sport 53 dport 5000-6000 table 9 prio 109
ip rule add from 1.2.3.8 prohibit prio 110
ip rule add fwmark 7 table 200 prio 111
ip rule add to 10.9.0.0/16 table 300 prio 112
ip rule add from 10.7.0.0/16 realms 9 table 100 prio 113
ip rule add iif va0 table 100 prio 114
ip rule add oif va1 table 200 prio 115
ip rule add ipproto icmp table 100 prio 116
ip rule add dport 22 table 100 prio 117
ip rule add from 10.8.0.0/16 goto 120 prio 118
ip rule add from 10.8.1.0/24 table 100 prio 120
ip rule add from all lookup 100 suppress_prefixlength 8 prio 121
ip -6 rule add from fd00::/8 table 100 prio 200
ip -6 rule add to fd10::/16 table 200 prio 201
ip -6 rule add iif br0 ipproto tcp dport 443 table 100 prio 202
ip -6 rule add not from fd30::/16 tos 0x04 lookup main prio 203

# Neighbours: permanent, noarp, stale, IPv6 router, proxies.
ip neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev br0
ip neigh add 10.1.0.10 lladdr 02:00:00:00:00:0a dev br0 nud noarp
ip neigh add 10.1.0.11 lladdr 02:00:00:00:00:0b dev br0 nud stale
ip neigh add 10.3.0.9 lladdr 02:00:00:00:00:19 dev va1 nud permanent
ip neigh add fd00::9 lladdr 02:00:00:00:00:29 dev br0 router
ip neigh add fd00:2::9 lladdr 02:00:00:00:00:39 dev va1 nud reachable
ip neigh add proxy 10.1.0.20 dev br0
ip neigh add proxy fd00::20 dev br0

# FDB: bridge static entries, vxlan flood list (append), remotes with port/vni/via.
bridge fdb add 02:00:00:00:00:05 dev va0 master static
bridge fdb add 02:00:00:00:00:06 dev va0 master
bridge fdb add 02:00:00:00:00:07 dev vc0 master static
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.2
bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.3
bridge fdb add 02:00:00:00:00:08 dev vx0 dst 10.9.0.4 port 4790 vni 100 via vb1
bridge fdb add 02:00:00:00:00:09 dev vx1 dst 10.9.0.5 src_vni 33 vni 33 self
