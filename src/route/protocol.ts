/**
 * The rtnetlink protocol (NETLINK_ROUTE, rtnetlink(7)): message type numbers, multicast
 * groups, and the message table that maps each type to its fixed header and attribute set.
 * Numbers from <linux/rtnetlink.h> (`enum { RTM_BASE = 16, … }` and `enum rtnetlink_groups`).
 */
import type { MessageSchema } from '../netlink/message.js';
import { Protocol } from '../netlink/message.js';
import { NETLINK_ROUTE } from '../netlink/header.js';
import { IFINFOMSG, IFLA, IFLA_BR_MSG, IFLA_INET6_MSG } from './link/link.schema.js';
import { AF } from './family.js';
import { IFADDRMSG, IFA } from './addr/addr.schema.js';
import { RTMSG, RTA } from './route/route.schema.js';
import { NDMSG, NDA } from './neigh/neigh.schema.js';
import { FIB_RULE_HDR, FRA } from './rule/rule.schema.js';
import { NETNSA, RTGENMSG } from './nsid/nsid.schema.js';
import { BR_PORT_MSG, IFADDRLBLMSG, IFAL, IFLA_STATS, IF_STATS_MSG, MDBA, NDTA, NDTMSG, NETCONFA, NETCONFMSG, NHA, NHMSG, TCA, TCMSG } from './rtnl-families.schema.js';

// Message types. Requests and replies come in fours per object (NEW, DEL, GET, SET), each
// group starting at a multiple of 4; RTM_FAM(type) = (type - RTM_BASE) >> 2.
/** `RTM_BASE` (16) of <linux/rtnetlink.h>. */
export const RTM_BASE = 16;
/** `RTM_NEWLINK` (16) of <linux/rtnetlink.h>. */
export const RTM_NEWLINK = 16;
/** `RTM_DELLINK` (17) of <linux/rtnetlink.h>. */
export const RTM_DELLINK = 17;
/** `RTM_GETLINK` (18) of <linux/rtnetlink.h>. */
export const RTM_GETLINK = 18;
/** `RTM_SETLINK` (19) of <linux/rtnetlink.h>. */
export const RTM_SETLINK = 19;
/** `RTM_NEWADDR` (20) of <linux/rtnetlink.h>. */
export const RTM_NEWADDR = 20;
/** `RTM_DELADDR` (21) of <linux/rtnetlink.h>. */
export const RTM_DELADDR = 21;
/** `RTM_GETADDR` (22) of <linux/rtnetlink.h>. */
export const RTM_GETADDR = 22;
/** `RTM_NEWROUTE` (24) of <linux/rtnetlink.h>. */
export const RTM_NEWROUTE = 24;
/** `RTM_DELROUTE` (25) of <linux/rtnetlink.h>. */
export const RTM_DELROUTE = 25;
/** `RTM_GETROUTE` (26) of <linux/rtnetlink.h>. */
export const RTM_GETROUTE = 26;
/** `RTM_NEWNEIGH` (28) of <linux/rtnetlink.h>. */
export const RTM_NEWNEIGH = 28;
/** `RTM_DELNEIGH` (29) of <linux/rtnetlink.h>. */
export const RTM_DELNEIGH = 29;
/** `RTM_GETNEIGH` (30) of <linux/rtnetlink.h>. */
export const RTM_GETNEIGH = 30;
/** `RTM_NEWRULE` (32) of <linux/rtnetlink.h>. */
export const RTM_NEWRULE = 32;
/** `RTM_DELRULE` (33) of <linux/rtnetlink.h>. */
export const RTM_DELRULE = 33;
/** `RTM_GETRULE` (34) of <linux/rtnetlink.h>. */
export const RTM_GETRULE = 34;
/** `RTM_NEWQDISC` (36) of <linux/rtnetlink.h>. */
export const RTM_NEWQDISC = 36;
/** `RTM_DELQDISC` (37) of <linux/rtnetlink.h>. */
export const RTM_DELQDISC = 37;
/** `RTM_GETQDISC` (38) of <linux/rtnetlink.h>. */
export const RTM_GETQDISC = 38;
/** `RTM_NEWTCLASS` (40) of <linux/rtnetlink.h>. */
export const RTM_NEWTCLASS = 40;
/** `RTM_DELTCLASS` (41) of <linux/rtnetlink.h>. */
export const RTM_DELTCLASS = 41;
/** `RTM_GETTCLASS` (42) of <linux/rtnetlink.h>. */
export const RTM_GETTCLASS = 42;
/** `RTM_NEWTFILTER` (44) of <linux/rtnetlink.h>. */
export const RTM_NEWTFILTER = 44;
/** `RTM_DELTFILTER` (45) of <linux/rtnetlink.h>. */
export const RTM_DELTFILTER = 45;
/** `RTM_GETTFILTER` (46) of <linux/rtnetlink.h>. */
export const RTM_GETTFILTER = 46;
/** `RTM_NEWACTION` (48) of <linux/rtnetlink.h>. */
export const RTM_NEWACTION = 48;
/** `RTM_DELACTION` (49) of <linux/rtnetlink.h>. */
export const RTM_DELACTION = 49;
/** `RTM_GETACTION` (50) of <linux/rtnetlink.h>. */
export const RTM_GETACTION = 50;
/** `RTM_NEWPREFIX` (52) of <linux/rtnetlink.h>. */
export const RTM_NEWPREFIX = 52;
/** `RTM_NEWMULTICAST` (56) of <linux/rtnetlink.h>. */
export const RTM_NEWMULTICAST = 56;
/** `RTM_DELMULTICAST` (57) of <linux/rtnetlink.h>. */
export const RTM_DELMULTICAST = 57;
/** `RTM_GETMULTICAST` (58) of <linux/rtnetlink.h>. */
export const RTM_GETMULTICAST = 58;
/** `RTM_NEWANYCAST` (60) of <linux/rtnetlink.h>. */
export const RTM_NEWANYCAST = 60;
/** `RTM_DELANYCAST` (61) of <linux/rtnetlink.h>. */
export const RTM_DELANYCAST = 61;
/** `RTM_GETANYCAST` (62) of <linux/rtnetlink.h>. */
export const RTM_GETANYCAST = 62;
/** `RTM_NEWNEIGHTBL` (64) of <linux/rtnetlink.h>. */
export const RTM_NEWNEIGHTBL = 64;
/** `RTM_GETNEIGHTBL` (66) of <linux/rtnetlink.h>. */
export const RTM_GETNEIGHTBL = 66;
/** `RTM_SETNEIGHTBL` (67) of <linux/rtnetlink.h>. */
export const RTM_SETNEIGHTBL = 67;
/** `RTM_NEWNDUSEROPT` (68) of <linux/rtnetlink.h>. */
export const RTM_NEWNDUSEROPT = 68;
/** `RTM_NEWADDRLABEL` (72) of <linux/rtnetlink.h>. */
export const RTM_NEWADDRLABEL = 72;
/** `RTM_DELADDRLABEL` (73) of <linux/rtnetlink.h>. */
export const RTM_DELADDRLABEL = 73;
/** `RTM_GETADDRLABEL` (74) of <linux/rtnetlink.h>. */
export const RTM_GETADDRLABEL = 74;
/** `RTM_GETDCB` (78) of <linux/rtnetlink.h>. */
export const RTM_GETDCB = 78;
/** `RTM_SETDCB` (79) of <linux/rtnetlink.h>. */
export const RTM_SETDCB = 79;
/** `RTM_NEWNETCONF` (80) of <linux/rtnetlink.h>. */
export const RTM_NEWNETCONF = 80;
/** `RTM_DELNETCONF` (81) of <linux/rtnetlink.h>. */
export const RTM_DELNETCONF = 81;
/** `RTM_GETNETCONF` (82) of <linux/rtnetlink.h>. */
export const RTM_GETNETCONF = 82;
/** `RTM_NEWMDB` (84) of <linux/rtnetlink.h>. */
export const RTM_NEWMDB = 84;
/** `RTM_DELMDB` (85) of <linux/rtnetlink.h>. */
export const RTM_DELMDB = 85;
/** `RTM_GETMDB` (86) of <linux/rtnetlink.h>. */
export const RTM_GETMDB = 86;
/** `RTM_NEWNSID` (88) of <linux/rtnetlink.h>. */
export const RTM_NEWNSID = 88;
/** `RTM_DELNSID` (89) of <linux/rtnetlink.h>. */
export const RTM_DELNSID = 89;
/** `RTM_GETNSID` (90) of <linux/rtnetlink.h>. */
export const RTM_GETNSID = 90;
/** `RTM_NEWSTATS` (92) of <linux/rtnetlink.h>. */
export const RTM_NEWSTATS = 92;
/** `RTM_GETSTATS` (94) of <linux/rtnetlink.h>. */
export const RTM_GETSTATS = 94;
/** `RTM_SETSTATS` (95) of <linux/rtnetlink.h>. */
export const RTM_SETSTATS = 95;
/** `RTM_NEWCACHEREPORT` (96) of <linux/rtnetlink.h>. */
export const RTM_NEWCACHEREPORT = 96;
/** `RTM_NEWCHAIN` (100) of <linux/rtnetlink.h>. */
export const RTM_NEWCHAIN = 100;
/** `RTM_DELCHAIN` (101) of <linux/rtnetlink.h>. */
export const RTM_DELCHAIN = 101;
/** `RTM_GETCHAIN` (102) of <linux/rtnetlink.h>. */
export const RTM_GETCHAIN = 102;
/** `RTM_NEWNEXTHOP` (104) of <linux/rtnetlink.h>. */
export const RTM_NEWNEXTHOP = 104;
/** `RTM_DELNEXTHOP` (105) of <linux/rtnetlink.h>. */
export const RTM_DELNEXTHOP = 105;
/** `RTM_GETNEXTHOP` (106) of <linux/rtnetlink.h>. */
export const RTM_GETNEXTHOP = 106;
/** `RTM_NEWLINKPROP` (108) of <linux/rtnetlink.h>. */
export const RTM_NEWLINKPROP = 108;
/** `RTM_DELLINKPROP` (109) of <linux/rtnetlink.h>. */
export const RTM_DELLINKPROP = 109;
/** `RTM_GETLINKPROP` (110) of <linux/rtnetlink.h>. */
export const RTM_GETLINKPROP = 110;
/** `RTM_NEWVLAN` (112) of <linux/rtnetlink.h>. */
export const RTM_NEWVLAN = 112;
/** `RTM_DELVLAN` (113) of <linux/rtnetlink.h>. */
export const RTM_DELVLAN = 113;
/** `RTM_GETVLAN` (114) of <linux/rtnetlink.h>. */
export const RTM_GETVLAN = 114;
/** `RTM_NEWNEXTHOPBUCKET` (116) of <linux/rtnetlink.h>. */
export const RTM_NEWNEXTHOPBUCKET = 116;
/** `RTM_DELNEXTHOPBUCKET` (117) of <linux/rtnetlink.h>. */
export const RTM_DELNEXTHOPBUCKET = 117;
/** `RTM_GETNEXTHOPBUCKET` (118) of <linux/rtnetlink.h>. */
export const RTM_GETNEXTHOPBUCKET = 118;
/** `RTM_NEWTUNNEL` (120) of <linux/rtnetlink.h>. */
export const RTM_NEWTUNNEL = 120;
/** `RTM_DELTUNNEL` (121) of <linux/rtnetlink.h>. */
export const RTM_DELTUNNEL = 121;
/** `RTM_GETTUNNEL` (122) of <linux/rtnetlink.h>. */
export const RTM_GETTUNNEL = 122;

// Multicast groups for NETLINK_ADD_MEMBERSHIP (`enum rtnetlink_groups`). The legacy
// RTMGRP_* bitmasks (sockaddr_nl.nl_groups) are 1 << (RTNLGRP_x - 1) for the first 32.
/** `RTNLGRP_NONE` (0) of <linux/rtnetlink.h>. */
export const RTNLGRP_NONE = 0;
/** `RTNLGRP_LINK` (1) of <linux/rtnetlink.h>. */
export const RTNLGRP_LINK = 1;
/** `RTNLGRP_NOTIFY` (2) of <linux/rtnetlink.h>. */
export const RTNLGRP_NOTIFY = 2;
/** `RTNLGRP_NEIGH` (3) of <linux/rtnetlink.h>. */
export const RTNLGRP_NEIGH = 3;
/** `RTNLGRP_TC` (4) of <linux/rtnetlink.h>. */
export const RTNLGRP_TC = 4;
/** `RTNLGRP_IPV4_IFADDR` (5) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV4_IFADDR = 5;
/** `RTNLGRP_IPV4_MROUTE` (6) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV4_MROUTE = 6;
/** `RTNLGRP_IPV4_ROUTE` (7) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV4_ROUTE = 7;
/** `RTNLGRP_IPV4_RULE` (8) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV4_RULE = 8;
/** `RTNLGRP_IPV6_IFADDR` (9) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_IFADDR = 9;
/** `RTNLGRP_IPV6_MROUTE` (10) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_MROUTE = 10;
/** `RTNLGRP_IPV6_ROUTE` (11) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_ROUTE = 11;
/** `RTNLGRP_IPV6_IFINFO` (12) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_IFINFO = 12;
/** `RTNLGRP_DECnet_IFADDR` of <linux/rtnetlink.h> (unused since DECnet left the kernel). */
export const RTNLGRP_DECnet_IFADDR = 13;
/** `RTNLGRP_NOP2` (14) of <linux/rtnetlink.h>. */
export const RTNLGRP_NOP2 = 14;
/** `RTNLGRP_DECnet_ROUTE` of <linux/rtnetlink.h> (unused). */
export const RTNLGRP_DECnet_ROUTE = 15;
/** `RTNLGRP_DECnet_RULE` of <linux/rtnetlink.h> (unused). */
export const RTNLGRP_DECnet_RULE = 16;
/** `RTNLGRP_NOP4` (17) of <linux/rtnetlink.h>. */
export const RTNLGRP_NOP4 = 17;
/** `RTNLGRP_IPV6_PREFIX` (18) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_PREFIX = 18;
/** `RTNLGRP_IPV6_RULE` (19) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_RULE = 19;
/** `RTNLGRP_ND_USEROPT` (20) of <linux/rtnetlink.h>. */
export const RTNLGRP_ND_USEROPT = 20;
/** `RTNLGRP_PHONET_IFADDR` (21) of <linux/rtnetlink.h>. */
export const RTNLGRP_PHONET_IFADDR = 21;
/** `RTNLGRP_PHONET_ROUTE` (22) of <linux/rtnetlink.h>. */
export const RTNLGRP_PHONET_ROUTE = 22;
/** `RTNLGRP_DCB` (23) of <linux/rtnetlink.h>. */
export const RTNLGRP_DCB = 23;
/** `RTNLGRP_IPV4_NETCONF` (24) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV4_NETCONF = 24;
/** `RTNLGRP_IPV6_NETCONF` (25) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_NETCONF = 25;
/** `RTNLGRP_MDB` (26) of <linux/rtnetlink.h>. */
export const RTNLGRP_MDB = 26;
/** `RTNLGRP_MPLS_ROUTE` (27) of <linux/rtnetlink.h>. */
export const RTNLGRP_MPLS_ROUTE = 27;
/** `RTNLGRP_NSID` (28) of <linux/rtnetlink.h>. */
export const RTNLGRP_NSID = 28;
/** `RTNLGRP_MPLS_NETCONF` (29) of <linux/rtnetlink.h>. */
export const RTNLGRP_MPLS_NETCONF = 29;
/** `RTNLGRP_IPV4_MROUTE_R` (30) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV4_MROUTE_R = 30;
/** `RTNLGRP_IPV6_MROUTE_R` (31) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_MROUTE_R = 31;
/** `RTNLGRP_NEXTHOP` (32) of <linux/rtnetlink.h>. */
export const RTNLGRP_NEXTHOP = 32;
/** `RTNLGRP_BRVLAN` (33) of <linux/rtnetlink.h>. */
export const RTNLGRP_BRVLAN = 33;
/** `RTNLGRP_MCTP_IFADDR` (34) of <linux/rtnetlink.h>. */
export const RTNLGRP_MCTP_IFADDR = 34;
/** `RTNLGRP_TUNNEL` (35) of <linux/rtnetlink.h>. */
export const RTNLGRP_TUNNEL = 35;
/** `RTNLGRP_STATS` (36) of <linux/rtnetlink.h>. */
export const RTNLGRP_STATS = 36;
/** `RTNLGRP_IPV4_MCADDR` (37) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV4_MCADDR = 37;
/** `RTNLGRP_IPV6_MCADDR` (38) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_MCADDR = 38;
/** `RTNLGRP_IPV6_ACADDR` (39) of <linux/rtnetlink.h>. */
export const RTNLGRP_IPV6_ACADDR = 39;

/**
 * AF_BRIDGE link messages lay out IFLA_AF_SPEC and IFLA_PROTINFO differently (IFLA_BR_MSG), and
 * AF_INET6 ones carry IFLA_INET6_* in IFLA_PROTINFO (IFLA_INET6_MSG).
 */
const linkAttrsFor = (h: { family: number }) =>
  (h.family === AF.AF_BRIDGE ? IFLA_BR_MSG : h.family === AF.AF_INET6 ? IFLA_INET6_MSG : undefined);
const link = (name: string, type: number, flagClass: MessageSchema['flagClass']): MessageSchema =>
  ({ name, type, header: IFINFOMSG, attrs: IFLA, attrsFor: linkAttrsFor, flagClass });
const addr = (name: string, type: number, flagClass: MessageSchema['flagClass']): MessageSchema =>
  ({ name, type, header: IFADDRMSG, attrs: IFA, flagClass });
const route = (name: string, type: number, flagClass: MessageSchema['flagClass']): MessageSchema =>
  ({ name, type, header: RTMSG, attrs: RTA, flagClass });
const neigh = (name: string, type: number, flagClass: MessageSchema['flagClass']): MessageSchema =>
  ({ name, type, header: NDMSG, attrs: NDA, flagClass });
const rule = (name: string, type: number, flagClass: MessageSchema['flagClass']): MessageSchema =>
  ({ name, type, header: FIB_RULE_HDR, attrs: FRA, flagClass });
const nsid = (name: string, type: number, flagClass: MessageSchema['flagClass']): MessageSchema =>
  ({ name, type, header: RTGENMSG, attrs: NETNSA, flagClass });

const family = (types: ReadonlyArray<readonly [string, number, MessageSchema['flagClass']]>, header: MessageSchema['header'], attrs: MessageSchema['attrs']): MessageSchema[] =>
  types.map(([name, type, flagClass]) => ({ name, type, header, attrs, flagClass }));

/**
 * NETLINK_ROUTE with its message table. RTM_SETLINK takes NEW-class flags (it modifies, like
 * RTM_NEWLINK without NLM_F_CREATE). Neighbours are struct ndmsg + NDA_*, rules struct
 * fib_rule_hdr + FRA_*, namespace ids struct rtgenmsg + NETNSA_*; other message types decode with their payload kept as raw bytes.
 */
export const rtnetlink = new Protocol('rtnetlink', NETLINK_ROUTE).register(
  link('RTM_NEWLINK', RTM_NEWLINK, 'new'),
  link('RTM_DELLINK', RTM_DELLINK, 'del'),
  link('RTM_GETLINK', RTM_GETLINK, 'get'),
  link('RTM_SETLINK', RTM_SETLINK, 'new'),
  addr('RTM_NEWADDR', RTM_NEWADDR, 'new'),
  addr('RTM_DELADDR', RTM_DELADDR, 'del'),
  addr('RTM_GETADDR', RTM_GETADDR, 'get'),
  route('RTM_NEWROUTE', RTM_NEWROUTE, 'new'),
  route('RTM_DELROUTE', RTM_DELROUTE, 'del'),
  route('RTM_GETROUTE', RTM_GETROUTE, 'get'),
  neigh('RTM_NEWNEIGH', RTM_NEWNEIGH, 'new'),
  neigh('RTM_DELNEIGH', RTM_DELNEIGH, 'del'),
  neigh('RTM_GETNEIGH', RTM_GETNEIGH, 'get'),
  rule('RTM_NEWRULE', RTM_NEWRULE, 'new'),
  rule('RTM_DELRULE', RTM_DELRULE, 'del'),
  rule('RTM_GETRULE', RTM_GETRULE, 'get'),
  nsid('RTM_NEWNSID', RTM_NEWNSID, 'new'),
  nsid('RTM_DELNSID', RTM_DELNSID, 'del'),
  nsid('RTM_GETNSID', RTM_GETNSID, 'get'),
  // Families decoded for `netlink-dump decode` only (rtnl-families.schema.ts).
  ...family([['RTM_NEWNEXTHOP', RTM_NEWNEXTHOP, 'new'], ['RTM_DELNEXTHOP', RTM_DELNEXTHOP, 'del'], ['RTM_GETNEXTHOP', RTM_GETNEXTHOP, 'get']], NHMSG, NHA),
  ...family([['RTM_NEWNETCONF', RTM_NEWNETCONF, 'new'], ['RTM_DELNETCONF', RTM_DELNETCONF, 'del'], ['RTM_GETNETCONF', RTM_GETNETCONF, 'get']], NETCONFMSG, NETCONFA),
  ...family([['RTM_NEWADDRLABEL', RTM_NEWADDRLABEL, 'new'], ['RTM_DELADDRLABEL', RTM_DELADDRLABEL, 'del'], ['RTM_GETADDRLABEL', RTM_GETADDRLABEL, 'get']], IFADDRLBLMSG, IFAL),
  ...family([['RTM_NEWNEIGHTBL', RTM_NEWNEIGHTBL, 'new'], ['RTM_GETNEIGHTBL', RTM_GETNEIGHTBL, 'get'], ['RTM_SETNEIGHTBL', RTM_SETNEIGHTBL, 'new']], NDTMSG, NDTA),
  ...family([
    ['RTM_NEWQDISC', RTM_NEWQDISC, 'new'], ['RTM_DELQDISC', RTM_DELQDISC, 'del'], ['RTM_GETQDISC', RTM_GETQDISC, 'get'],
    ['RTM_NEWTCLASS', RTM_NEWTCLASS, 'new'], ['RTM_DELTCLASS', RTM_DELTCLASS, 'del'], ['RTM_GETTCLASS', RTM_GETTCLASS, 'get'],
    ['RTM_NEWTFILTER', RTM_NEWTFILTER, 'new'], ['RTM_DELTFILTER', RTM_DELTFILTER, 'del'], ['RTM_GETTFILTER', RTM_GETTFILTER, 'get'],
    ['RTM_NEWCHAIN', RTM_NEWCHAIN, 'new'], ['RTM_DELCHAIN', RTM_DELCHAIN, 'del'], ['RTM_GETCHAIN', RTM_GETCHAIN, 'get'],
  ], TCMSG, TCA),
  ...family([['RTM_NEWMDB', RTM_NEWMDB, 'new'], ['RTM_DELMDB', RTM_DELMDB, 'del'], ['RTM_GETMDB', RTM_GETMDB, 'get']], BR_PORT_MSG, MDBA),
  ...family([['RTM_NEWSTATS', RTM_NEWSTATS, 'new'], ['RTM_GETSTATS', RTM_GETSTATS, 'get'], ['RTM_SETSTATS', RTM_SETSTATS, 'new']], IF_STATS_MSG, IFLA_STATS),
);
