/**
 * nftables and nfnetlink numbers, from <linux/netfilter/nfnetlink.h>, <linux/netfilter/nf_tables.h>,
 * <linux/netfilter.h> (NFPROTO_*, NF_* verdicts, NF_INET_* hooks). Kernel names verbatim,
 * numbers explicit; test/unit/nft-uapi.test.ts cross-checks them against the installed headers.
 */

/** `#define NFNETLINK_V0 0`: struct nfgenmsg.version. */
export const NFNETLINK_V0 = 0;

/** Subsystem ids (the high byte of an nfnetlink message type). */
export const NFNL_SUBSYS_NONE = 0;
/** `NFNL_SUBSYS_NFTABLES` (10) of <linux/netfilter/nfnetlink.h>. */
export const NFNL_SUBSYS_NFTABLES = 10;

/** `#define NFNL_MSG_BATCH_BEGIN NLMSG_MIN_TYPE` and `NFNL_MSG_BATCH_END NLMSG_MIN_TYPE+1`. */
export const NFNL_MSG_BATCH_BEGIN = 0x10;
/** `NFNL_MSG_BATCH_END` (0x11) of <linux/netfilter/nfnetlink.h>. */
export const NFNL_MSG_BATCH_END = 0x11;

/** `enum nfnetlink_groups`: the group nftables changes are announced on. */
export const NFNLGRP_NFTABLES = 7;

/** `enum nf_tables_msg_types` (the low byte; see {@link nftType}). */
export const NFT_MSG_NEWTABLE = 0;
/** `NFT_MSG_GETTABLE` (1) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETTABLE = 1;
/** `NFT_MSG_DELTABLE` (2) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_DELTABLE = 2;
/** `NFT_MSG_NEWCHAIN` (3) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_NEWCHAIN = 3;
/** `NFT_MSG_GETCHAIN` (4) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETCHAIN = 4;
/** `NFT_MSG_DELCHAIN` (5) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_DELCHAIN = 5;
/** `NFT_MSG_NEWRULE` (6) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_NEWRULE = 6;
/** `NFT_MSG_GETRULE` (7) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETRULE = 7;
/** `NFT_MSG_DELRULE` (8) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_DELRULE = 8;
/** `NFT_MSG_NEWSET` (9) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_NEWSET = 9;
/** `NFT_MSG_GETSET` (10) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETSET = 10;
/** `NFT_MSG_DELSET` (11) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_DELSET = 11;
/** `NFT_MSG_NEWSETELEM` (12) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_NEWSETELEM = 12;
/** `NFT_MSG_GETSETELEM` (13) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETSETELEM = 13;
/** `NFT_MSG_DELSETELEM` (14) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_DELSETELEM = 14;
/** `NFT_MSG_NEWGEN` (15) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_NEWGEN = 15;
/** `NFT_MSG_GETGEN` (16) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETGEN = 16;
/** `NFT_MSG_TRACE` (17) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_TRACE = 17;
/** `NFT_MSG_NEWOBJ` (18) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_NEWOBJ = 18;
/** `NFT_MSG_GETOBJ` (19) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETOBJ = 19;
/** `NFT_MSG_DELOBJ` (20) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_DELOBJ = 20;
/** `NFT_MSG_GETOBJ_RESET` (21) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETOBJ_RESET = 21;
/** `NFT_MSG_NEWFLOWTABLE` (22) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_NEWFLOWTABLE = 22;
/** `NFT_MSG_GETFLOWTABLE` (23) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_GETFLOWTABLE = 23;
/** `NFT_MSG_DELFLOWTABLE` (24) of <linux/netfilter/nf_tables.h>. */
export const NFT_MSG_DELFLOWTABLE = 24;

/** nlmsg_type of an nftables message: `(NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_*`. */
export const nftType = (msg: number): number => (NFNL_SUBSYS_NFTABLES << 8) | msg;

/** `enum nft_verdicts` (negative: nftables-internal) and NF_* from <linux/netfilter.h>. */
export const NF_DROP = 0;
/** `NF_ACCEPT` (1) of <linux/netfilter.h>. */
export const NF_ACCEPT = 1;
/** `NF_STOLEN` (2) of <linux/netfilter.h>. */
export const NF_STOLEN = 2;
/** `NF_QUEUE` (3) of <linux/netfilter.h>. */
export const NF_QUEUE = 3;
/** `NF_REPEAT` (4) of <linux/netfilter.h>. */
export const NF_REPEAT = 4;
/** `NF_STOP` (5) of <linux/netfilter.h>. */
export const NF_STOP = 5;
/** `NFT_CONTINUE` (-1) of <linux/netfilter/nf_tables.h>. */
export const NFT_CONTINUE = -1;
/** `NFT_BREAK` (-2) of <linux/netfilter/nf_tables.h>. */
export const NFT_BREAK = -2;
/** `NFT_JUMP` (-3) of <linux/netfilter/nf_tables.h>. */
export const NFT_JUMP = -3;
/** `NFT_GOTO` (-4) of <linux/netfilter/nf_tables.h>. */
export const NFT_GOTO = -4;
/** `NFT_RETURN` (-5) of <linux/netfilter/nf_tables.h>. */
export const NFT_RETURN = -5;

/** Address families of struct nfgenmsg (`enum { NFPROTO_UNSPEC = 0, … }`). */
export const NFPROTO_UNSPEC = 0;
/** `NFPROTO_INET` (1) of <linux/netfilter.h>. */
export const NFPROTO_INET = 1;
/** `NFPROTO_IPV4` (2) of <linux/netfilter.h>. */
export const NFPROTO_IPV4 = 2;
/** `NFPROTO_ARP` (3) of <linux/netfilter.h>. */
export const NFPROTO_ARP = 3;
/** `NFPROTO_NETDEV` (5) of <linux/netfilter.h>. */
export const NFPROTO_NETDEV = 5;
/** `NFPROTO_BRIDGE` (7) of <linux/netfilter.h>. */
export const NFPROTO_BRIDGE = 7;
/** `NFPROTO_IPV6` (10) of <linux/netfilter.h>. */
export const NFPROTO_IPV6 = 10;

/** `enum nf_inet_hooks` (ip, ip6, inet, bridge). */
export const NF_INET_PRE_ROUTING = 0;
/** `NF_INET_LOCAL_IN` (1) of <linux/netfilter.h>. */
export const NF_INET_LOCAL_IN = 1;
/** `NF_INET_FORWARD` (2) of <linux/netfilter.h>. */
export const NF_INET_FORWARD = 2;
/** `NF_INET_LOCAL_OUT` (3) of <linux/netfilter.h>. */
export const NF_INET_LOCAL_OUT = 3;
/** `NF_INET_POST_ROUTING` (4) of <linux/netfilter.h>. */
export const NF_INET_POST_ROUTING = 4;
/** `NF_INET_INGRESS` (5) of <linux/netfilter.h>. */
export const NF_INET_INGRESS = 5;
/** `enum nf_dev_hooks` (netdev). */
export const NF_NETDEV_INGRESS = 0;
/** `NF_NETDEV_EGRESS` (1) of <linux/netfilter.h>. */
export const NF_NETDEV_EGRESS = 1;
/** <linux/netfilter_arp.h> NF_ARP_IN / OUT / FORWARD. */
export const NF_ARP_IN = 0;
/** `NF_ARP_OUT` (1) of <linux/netfilter.h>. */
export const NF_ARP_OUT = 1;
/** `NF_ARP_FORWARD` (2) of <linux/netfilter.h>. */
export const NF_ARP_FORWARD = 2;

/** `enum nft_registers`: the verdict register, four 16-byte registers, sixteen 32-bit views. */
export const NFT_REG_VERDICT = 0;
/** `NFT_REG_1` (1) of <linux/netfilter/nf_tables.h>. */
export const NFT_REG_1 = 1;
/** `NFT_REG_2` (2) of <linux/netfilter/nf_tables.h>. */
export const NFT_REG_2 = 2;
/** `NFT_REG_3` (3) of <linux/netfilter/nf_tables.h>. */
export const NFT_REG_3 = 3;
/** `NFT_REG_4` (4) of <linux/netfilter/nf_tables.h>. */
export const NFT_REG_4 = 4;
/** `NFT_REG32_00` (8) of <linux/netfilter/nf_tables.h>. */
export const NFT_REG32_00 = 8;
/** `NFT_REG32_15` (23) of <linux/netfilter/nf_tables.h>. */
export const NFT_REG32_15 = 23;

/** `enum nft_table_flags`. */
export const NFT_TABLE_F_DORMANT = 0x1;
/** `NFT_TABLE_F_OWNER` (0x2) of <linux/netfilter/nf_tables.h>. */
export const NFT_TABLE_F_OWNER = 0x2;
/** `enum nft_chain_flags`. */
export const NFT_CHAIN_BASE = 1 << 0;
/** `NFT_CHAIN_HW_OFFLOAD` (1 << 1) of <linux/netfilter/nf_tables.h>. */
export const NFT_CHAIN_HW_OFFLOAD = 1 << 1;
/** `NFT_CHAIN_BINDING` (1 << 2) of <linux/netfilter/nf_tables.h>. */
export const NFT_CHAIN_BINDING = 1 << 2;

/** `enum nft_set_flags`. */
export const NFT_SET_ANONYMOUS = 0x1;
/** `NFT_SET_CONSTANT` (0x2) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_CONSTANT = 0x2;
/** `NFT_SET_INTERVAL` (0x4) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_INTERVAL = 0x4;
/** `NFT_SET_MAP` (0x8) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_MAP = 0x8;
/** `NFT_SET_TIMEOUT` (0x10) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_TIMEOUT = 0x10;
/** `NFT_SET_EVAL` (0x20) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_EVAL = 0x20;
/** `NFT_SET_OBJECT` (0x40) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_OBJECT = 0x40;
/** `NFT_SET_CONCAT` (0x80) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_CONCAT = 0x80;
/** `NFT_SET_EXPR` (0x100) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_EXPR = 0x100;
/** `enum nft_set_elem_flags`. */
export const NFT_SET_ELEM_INTERVAL_END = 0x1;
/** `NFT_SET_ELEM_CATCHALL` (0x2) of <linux/netfilter/nf_tables.h>. */
export const NFT_SET_ELEM_CATCHALL = 0x2;
/** `enum nft_data_types`: NFTA_SET_DATA_TYPE of a verdict map. */
export const NFT_DATA_VALUE = 0;
/** `NFT_DATA_VERDICT` (0xffffff00) of <linux/netfilter/nf_tables.h>. */
export const NFT_DATA_VERDICT = 0xffffff00;

/** NFT_USERDATA_MAXLEN: the most bytes NFTA_RULE_USERDATA (and the other USERDATA) may hold. */
export const NFT_USERDATA_MAXLEN = 256;
/** NFT_NAME_MAXLEN: table/chain/set names, NUL included. */
export const NFT_NAME_MAXLEN = 256;
