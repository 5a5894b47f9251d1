//! IF-MIB (RFC 2863): the interfaces group (ifNumber, ifTable) and the ifXTable, from
//! `/sys/class/net/IF/*` and `/proc/net/dev`.

use std::path::Path;

use bytes::Bytes;
use snmp_smi::Value;

use super::proc::{self, NetDevStats};
use super::{Snapshot, oid_of, read_text};

/// `interfaces`.
const INTERFACES: &[u32] = &[1, 3, 6, 1, 2, 1, 2];
/// `ifEntry`.
const IF_ENTRY: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1];
/// `ifXTable`.
const IF_X_TABLE: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1];
/// `ifXEntry`.
const IF_X_ENTRY: &[u32] = &[1, 3, 6, 1, 2, 1, 31, 1, 1, 1];

const IF_OBJECTS: &[(&[u32], &[u32])] = &[
    (INTERFACES, &[1]),
    (
        IF_ENTRY,
        &[
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
        ],
    ),
];
const IF_X_OBJECTS: &[(&[u32], &[u32])] = &[(
    IF_X_ENTRY,
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ],
)];

/// `IFF_UP`, in `/sys/class/net/IF/flags`.
const IFF_UP: u32 = 0x1;
/// `IFF_PROMISC`.
const IFF_PROMISC: u32 = 0x100;
/// `ARPHRD_LOOPBACK`, in `/sys/class/net/IF/type`.
const ARPHRD_LOOPBACK: u32 = 772;
/// net-snmp's ifSpeed of a loopback interface, bits per second.
const LOOPBACK_SPEED: u64 = 10_000_000;

/// One interface: its sysfs attributes and its `/proc/net/dev` counters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Interface {
    pub(crate) index: u32,
    pub(crate) name: String,
    /// `ARPHRD_*`.
    pub(crate) kind: u32,
    pub(crate) flags: u32,
    pub(crate) mtu: i32,
    /// Mb/s, when the driver knows it.
    pub(crate) speed: Option<u64>,
    pub(crate) address: Vec<u8>,
    pub(crate) operstate: String,
    pub(crate) carrier: Option<bool>,
    pub(crate) stats: NetDevStats,
}

impl Interface {
    fn is_loopback(&self) -> bool {
        self.kind == ARPHRD_LOOPBACK
    }

    /// ifType (IANAifType) from the ARPHRD type, as net-snmp maps it.
    pub(crate) fn if_type(&self) -> i32 {
        match self.kind {
            1 => 6,                             // ethernetCsmacd
            4 => 9,                             // iso88025TokenRing
            32 => 199,                          // infiniband
            256..=259 => 28,                    // slip
            512 => 23,                          // ppp
            768 | 769 | 776 | 778 | 823 => 131, // tunnel
            772 => 24,                          // softwareLoopback
            774 => 15,                          // fddi
            801..=803 => 71,                    // ieee80211
            _ => 1,                             // other
        }
    }

    /// ifAdminStatus: up(1) with IFF_UP, else down(2).
    pub(crate) fn admin_status(&self) -> i32 {
        if self.flags & IFF_UP != 0 { 1 } else { 2 }
    }

    /// ifOperStatus from the kernel's RFC 2863 operstate; `unknown` (loopback, drivers
    /// without link detection) is up when the interface is up with a carrier, as the kernel's
    /// IFF_RUNNING that net-snmp reads.
    pub(crate) fn oper_status(&self) -> i32 {
        match self.operstate.as_str() {
            "up" => 1,
            "down" => 2,
            "testing" => 3,
            "dormant" => 5,
            "notpresent" => 6,
            "lowerlayerdown" => 7,
            _ if self.admin_status() == 1 && self.carrier != Some(false) => 1,
            _ => 2,
        }
    }

    /// ifSpeed in bits per second, at most 4294967295; 0 unknown.
    pub(crate) fn speed_bps(&self) -> u32 {
        let bps = match self.speed {
            _ if self.is_loopback() => LOOPBACK_SPEED,
            Some(mbps) => mbps.saturating_mul(1_000_000),
            None => 0,
        };
        u32::try_from(bps).unwrap_or(u32::MAX)
    }

    /// ifHighSpeed in Mb/s.
    pub(crate) fn high_speed(&self) -> u32 {
        let mbps = match self.speed {
            _ if self.is_loopback() => LOOPBACK_SPEED / 1_000_000,
            Some(mbps) => mbps,
            None => 0,
        };
        u32::try_from(mbps).unwrap_or(u32::MAX)
    }

    /// ifPhysAddress: empty for loopback.
    pub(crate) fn phys_address(&self) -> Vec<u8> {
        if self.is_loopback() {
            Vec::new()
        } else {
            self.address.clone()
        }
    }

    fn in_ucast(&self) -> u64 {
        self.stats
            .rx_packets
            .saturating_sub(self.stats.rx_multicast)
    }
}

/// The interfaces under `root`, by ifIndex: every directory of `sys/class/net` with a valid
/// `ifindex` (1..=2147483647), its counters from `proc/net/dev` (zero if it has no line).
pub(crate) fn read_interfaces(root: &Path) -> Vec<Interface> {
    let stats = read_text(root, "proc/net/dev")
        .map(|t| proc::parse_net_dev(&t))
        .unwrap_or_default();
    let Ok(dir) = std::fs::read_dir(root.join("sys/class/net")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in dir.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let path = entry.path();
        let attr = |file: &str| std::fs::read_to_string(path.join(file)).ok();
        let Some(index) = attr("ifindex")
            .and_then(|t| proc::parse_number::<i32>(&t))
            .filter(|&i| i > 0)
            .and_then(|i| u32::try_from(i).ok())
        else {
            continue;
        };
        out.push(Interface {
            index,
            kind: attr("type")
                .and_then(|t| proc::parse_number(&t))
                .unwrap_or(0),
            flags: attr("flags")
                .and_then(|t| proc::parse_hex_flags(&t))
                .unwrap_or(0),
            mtu: attr("mtu")
                .and_then(|t| proc::parse_number(&t))
                .unwrap_or(0),
            speed: attr("speed")
                .and_then(|t| proc::parse_number::<i64>(&t))
                .and_then(|s| u64::try_from(s).ok())
                .filter(|&s| s > 0),
            address: attr("address")
                .and_then(|t| proc::parse_mac(&t))
                .unwrap_or_default(),
            operstate: attr("operstate")
                .map(|t| t.trim().to_owned())
                .unwrap_or_default(),
            carrier: attr("carrier")
                .and_then(|t| proc::parse_number::<u8>(&t))
                .map(|c| c != 0),
            stats: stats.get(&name).cloned().unwrap_or_default(),
            name,
        });
    }
    out.sort_by_key(|i| i.index);
    out.dedup_by_key(|i| i.index);
    out
}

/// The low 32 bits of a counter: a Counter32 that wraps as the kernel's 64-bit one grows.
fn counter32(v: u64) -> Value {
    Value::Counter32(u32::try_from(v & 0xffff_ffff).unwrap_or(0))
}

fn octets(bytes: impl Into<Bytes>) -> Value {
    Value::OctetString(bytes.into())
}

/// The `0.0` of ifSpecific and hrDeviceID.
pub(crate) fn zero_dot_zero() -> Value {
    Value::ObjectIdentifier(oid_of(&[0, 0]))
}

fn if_snapshot(interfaces: &[Interface]) -> Snapshot {
    let mut s = Snapshot::default();
    let count = i32::try_from(interfaces.len()).unwrap_or(i32::MAX);
    s.push(INTERFACES, &[1, 0], Value::Integer(count));
    for i in interfaces {
        let col = |c: u32| [c, i.index];
        let st = &i.stats;
        s.push(
            IF_ENTRY,
            &col(1),
            Value::Integer(i32::try_from(i.index).unwrap_or(0)),
        );
        s.push(IF_ENTRY, &col(2), octets(i.name.clone().into_bytes()));
        s.push(IF_ENTRY, &col(3), Value::Integer(i.if_type()));
        s.push(IF_ENTRY, &col(4), Value::Integer(i.mtu));
        s.push(IF_ENTRY, &col(5), Value::Gauge32(i.speed_bps()));
        s.push(IF_ENTRY, &col(6), octets(i.phys_address()));
        s.push(IF_ENTRY, &col(7), Value::Integer(i.admin_status()));
        s.push(IF_ENTRY, &col(8), Value::Integer(i.oper_status()));
        s.push(IF_ENTRY, &col(9), Value::TimeTicks(0));
        s.push(IF_ENTRY, &col(10), counter32(st.rx_bytes));
        s.push(IF_ENTRY, &col(11), counter32(i.in_ucast()));
        s.push(IF_ENTRY, &col(12), counter32(st.rx_multicast));
        s.push(IF_ENTRY, &col(13), counter32(st.rx_drop));
        s.push(IF_ENTRY, &col(14), counter32(st.rx_errs));
        s.push(IF_ENTRY, &col(15), Value::Counter32(0));
        s.push(IF_ENTRY, &col(16), counter32(st.tx_bytes));
        s.push(IF_ENTRY, &col(17), counter32(st.tx_packets));
        s.push(IF_ENTRY, &col(18), Value::Counter32(0));
        s.push(IF_ENTRY, &col(19), counter32(st.tx_drop));
        s.push(IF_ENTRY, &col(20), counter32(st.tx_errs));
        s.push(IF_ENTRY, &col(21), Value::Gauge32(0));
        s.push(IF_ENTRY, &col(22), zero_dot_zero());
    }
    s.finish()
}

/// The ifXTable as net-snmp's: no broadcast counts (Linux keeps none: 0), no
/// ifLinkUpDownTrapEnable (net-snmp leaves it out too).
fn if_x_snapshot(interfaces: &[Interface]) -> Snapshot {
    let mut s = Snapshot::default();
    for i in interfaces {
        let col = |c: u32| [c, i.index];
        let st = &i.stats;
        s.push(IF_X_ENTRY, &col(1), octets(i.name.clone().into_bytes()));
        s.push(IF_X_ENTRY, &col(2), counter32(st.rx_multicast));
        s.push(IF_X_ENTRY, &col(3), Value::Counter32(0));
        s.push(IF_X_ENTRY, &col(4), Value::Counter32(0));
        s.push(IF_X_ENTRY, &col(5), Value::Counter32(0));
        s.push(IF_X_ENTRY, &col(6), Value::Counter64(st.rx_bytes));
        s.push(IF_X_ENTRY, &col(7), Value::Counter64(i.in_ucast()));
        s.push(IF_X_ENTRY, &col(8), Value::Counter64(st.rx_multicast));
        s.push(IF_X_ENTRY, &col(9), Value::Counter64(0));
        s.push(IF_X_ENTRY, &col(10), Value::Counter64(st.tx_bytes));
        s.push(IF_X_ENTRY, &col(11), Value::Counter64(st.tx_packets));
        s.push(IF_X_ENTRY, &col(12), Value::Counter64(0));
        s.push(IF_X_ENTRY, &col(13), Value::Counter64(0));
        s.push(IF_X_ENTRY, &col(15), Value::Gauge32(i.high_speed()));
        let promiscuous = if i.flags & IFF_PROMISC != 0 { 1 } else { 2 };
        s.push(IF_X_ENTRY, &col(16), Value::Integer(promiscuous));
        let connector = if i.is_loopback() { 2 } else { 1 };
        s.push(IF_X_ENTRY, &col(17), Value::Integer(connector));
        s.push(IF_X_ENTRY, &col(18), octets(Bytes::new()));
        s.push(IF_X_ENTRY, &col(19), Value::TimeTicks(0));
    }
    s.finish()
}

snapshot_handler! {
    /// The interfaces group of IF-MIB (`1.3.6.1.2.1.2`): ifNumber.0 and the ifTable, one row
    /// per interface of `/sys/class/net` indexed by its `ifindex`, with the counters of
    /// `/proc/net/dev` (Counter32: the low 32 bits). ifInUcastPkts is the received packets less
    /// the multicast ones, ifInNUcastPkts the multicast ones; ifLastChange, ifInUnknownProtos,
    /// ifOutNUcastPkts and ifOutQLen are 0, ifSpecific `0.0`.
    ///
    /// ```no_run
    /// use snmp_engine::Mib;
    /// use snmp_hlapi::host::IfMib;
    /// use snmp_hlapi::Oid;
    ///
    /// let mut mib = Mib::new();
    /// mib.register(Oid::from_slice(IfMib::SUBTREE)?, IfMib::new())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    IfMib {
        subtree: INTERFACES, "`interfaces`, 1.3.6.1.2.1.2",
        reads: "`sys/class/net` and `proc/net/dev`",
        objects: IF_OBJECTS,
        load: |root| if_snapshot(&read_interfaces(root)),
    }
}

snapshot_handler! {
    /// The ifXTable of IF-MIB (`1.3.6.1.2.1.31.1.1`), indexed as the [`IfMib`]'s ifTable:
    /// ifName, the multicast and 64-bit counters (ifHC*: Counter64 from `/proc/net/dev`;
    /// broadcast counts 0, Linux keeps none), ifHighSpeed (Mb/s), ifPromiscuousMode
    /// (IFF_PROMISC), ifConnectorPresent (false for loopback only), an empty ifAlias and
    /// ifCounterDiscontinuityTime 0. ifLinkUpDownTrapEnable is left out, as net-snmp does.
    IfXTable {
        subtree: IF_X_TABLE, "`ifXTable`, 1.3.6.1.2.1.31.1.1",
        reads: "`sys/class/net` and `proc/net/dev`",
        objects: IF_X_OBJECTS,
        load: |root| if_x_snapshot(&read_interfaces(root)),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use snmp_engine::MibHandler;

    use super::super::fixture::{Tree, info, lines, oid, start, walk};
    use super::*;

    const NET_DEV: &str = "\
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 3952615   35982    0    0    0     0          0         0  3952615   35982    0    0    0     0       0          0
  eth0: 4294967301 11701    3    4    0     0          0         7   741483    7860    5    6    0     0       0          0
  broken: 1 2
";

    fn iface(tree: &Tree, name: &str, files: &[(&str, &str)]) {
        for (file, content) in files {
            tree.file(
                &format!("sys/class/net/{name}/{file}"),
                format!("{content}\n"),
            );
        }
    }

    /// lo (1), eth0 (2, 1 Gb/s, promiscuous), ifb0 (3, down, speed unreadable), a
    /// directory without ifindex, and one with a malformed ifindex.
    fn fixture() -> Tree {
        let tree = Tree::new();
        tree.file("proc/net/dev", NET_DEV);
        iface(
            &tree,
            "lo",
            &[
                ("ifindex", "1"),
                ("type", "772"),
                ("flags", "0x9"),
                ("mtu", "65536"),
                ("address", "00:00:00:00:00:00"),
                ("operstate", "unknown"),
                ("carrier", "1"),
            ],
        );
        iface(
            &tree,
            "eth0",
            &[
                ("ifindex", "2"),
                ("type", "1"),
                ("flags", "0x1103"),
                ("mtu", "1500"),
                ("speed", "1000"),
                ("address", "02:fc:00:00:00:01"),
                ("operstate", "up"),
                ("carrier", "1"),
            ],
        );
        iface(
            &tree,
            "ifb0",
            &[
                ("ifindex", "3"),
                ("type", "1"),
                ("flags", "0x82"),
                ("mtu", "1500"),
                ("speed", "-1"),
                ("address", "aa:bc:00:42:8a:27"),
                ("operstate", "down"),
            ],
        );
        iface(&tree, "noindex", &[("type", "1")]);
        iface(&tree, "badindex", &[("ifindex", "x"), ("type", "1")]);
        iface(&tree, "zeroindex", &[("ifindex", "0")]);
        tree
    }

    #[test]
    fn interfaces_read_from_sysfs_and_proc() {
        let tree = fixture();
        let ifs = read_interfaces(tree.path());
        let names: Vec<&str> = ifs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["lo", "eth0", "ifb0"]);
        let lo = &ifs[0];
        assert_eq!(
            (lo.if_type(), lo.speed_bps(), lo.high_speed()),
            (24, 10_000_000, 10)
        );
        assert_eq!((lo.admin_status(), lo.oper_status()), (1, 1));
        assert!(lo.phys_address().is_empty());
        let eth0 = &ifs[1];
        assert_eq!((eth0.if_type(), eth0.mtu), (6, 1500));
        assert_eq!((eth0.speed_bps(), eth0.high_speed()), (1_000_000_000, 1000));
        assert_eq!(eth0.phys_address(), [2, 0xfc, 0, 0, 0, 1]);
        assert_eq!(eth0.stats.rx_bytes, 4_294_967_301);
        let ifb0 = &ifs[2];
        assert_eq!((ifb0.admin_status(), ifb0.oper_status()), (2, 2));
        assert_eq!((ifb0.speed_bps(), ifb0.high_speed()), (0, 0));
        assert_eq!(ifb0.stats, NetDevStats::default());
    }

    #[test]
    fn oper_status_from_operstate_and_carrier() {
        let mut i = Interface {
            flags: IFF_UP,
            ..Interface::default()
        };
        for (state, carrier, expected) in [
            ("up", None, 1),
            ("down", Some(true), 2),
            ("dormant", None, 5),
            ("lowerlayerdown", None, 7),
            ("unknown", Some(true), 1),
            ("unknown", None, 1),
            ("unknown", Some(false), 2),
            ("", Some(false), 2),
        ] {
            i.operstate = state.to_owned();
            i.carrier = carrier;
            assert_eq!(i.oper_status(), expected, "{state} {carrier:?}");
        }
        i.flags = 0;
        i.operstate = "unknown".to_owned();
        i.carrier = Some(true);
        assert_eq!(i.oper_status(), 2);
        i.speed = Some(100_000);
        assert_eq!((i.speed_bps(), i.high_speed()), (u32::MAX, 100_000));
        for (kind, t) in [(1, 6), (772, 24), (512, 23), (776, 131), (65534, 1)] {
            i.kind = kind;
            assert_eq!(i.if_type(), t, "{kind}");
        }
    }

    #[test]
    fn if_table_get_and_walk() {
        let tree = fixture();
        let now = start();
        let mut h = IfMib::with_root(tree.path());
        let get = |h: &mut IfMib, s: &str| h.get(&info(now), &oid(s));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.1.0"), Value::Integer(3));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.2.2"), Value::from("eth0"));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.3.1"), Value::Integer(24));
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.2.2.1.5.1"),
            Value::Gauge32(10_000_000)
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.2.2.1.6.2"),
            Value::OctetString(Bytes::from_static(&[2, 0xfc, 0, 0, 0, 1]))
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.2.2.1.6.1"),
            Value::OctetString(Bytes::new())
        );
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.7.3"), Value::Integer(2));
        // The low 32 bits of 4294967301.
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.10.2"), Value::Counter32(5));
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.2.2.1.11.2"),
            Value::Counter32(11694)
        );
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.12.2"), Value::Counter32(7));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.13.2"), Value::Counter32(4));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.14.2"), Value::Counter32(3));
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.2.2.1.17.2"),
            Value::Counter32(7860)
        );
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.19.2"), Value::Counter32(6));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.20.2"), Value::Counter32(5));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.21.2"), Value::Gauge32(0));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.22.2"), zero_dot_zero());
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.2.4"), Value::NoSuchInstance);
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.2.1.23.1"), Value::NoSuchObject);
        assert_eq!(get(&mut h, "1.3.6.1.2.1.2.3.0"), Value::NoSuchObject);

        let all = walk(&mut h, now, "1.3.6.1.2.1.2");
        assert_eq!(all.len(), 1 + 22 * 3);
        let order: Vec<String> = lines(&all[..5]);
        assert_eq!(
            order,
            [
                "1.3.6.1.2.1.2.1.0 = Integer(3)",
                "1.3.6.1.2.1.2.2.1.1.1 = Integer(1)",
                "1.3.6.1.2.1.2.2.1.1.2 = Integer(2)",
                "1.3.6.1.2.1.2.2.1.1.3 = Integer(3)",
                "1.3.6.1.2.1.2.2.1.2.1 = OctetString(b\"lo\")",
            ]
        );
        assert_eq!(all.last().unwrap().oid, oid("1.3.6.1.2.1.2.2.1.22.3"));
        assert!(
            h.get_next(&info(now), &oid("1.3.6.1.2.1.2.2.1.22.3"))
                .is_none()
        );
    }

    #[test]
    fn cached_until_the_period_ends() {
        let tree = fixture();
        let now = start();
        let mut h = IfMib::with_root(tree.path());
        h.cache_period(Duration::from_secs(10));
        let number = oid("1.3.6.1.2.1.2.1.0");
        assert_eq!(h.get(&info(now), &number), Value::Integer(3));
        std::fs::remove_dir_all(tree.path().join("sys/class/net/ifb0")).unwrap();
        let later = now + Duration::from_secs(9);
        assert_eq!(h.get(&info(later), &number), Value::Integer(3));
        let after = now + Duration::from_secs(10);
        assert_eq!(h.get(&info(after), &number), Value::Integer(2));
    }

    #[test]
    fn if_x_table_get_and_walk() {
        let tree = fixture();
        let now = start();
        let mut h = IfXTable::with_root(tree.path());
        let get = |h: &mut IfXTable, s: &str| h.get(&info(now), &oid(s));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.31.1.1.1.1.1"), Value::from("lo"));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.31.1.1.1.2.2"), Value::Counter32(7));
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.31.1.1.1.6.2"),
            Value::Counter64(4_294_967_301)
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.31.1.1.1.7.2"),
            Value::Counter64(11694)
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.31.1.1.1.11.1"),
            Value::Counter64(35982)
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.31.1.1.1.15.2"),
            Value::Gauge32(1000)
        );
        assert_eq!(get(&mut h, "1.3.6.1.2.1.31.1.1.1.16.2"), Value::Integer(1));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.31.1.1.1.16.1"), Value::Integer(2));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.31.1.1.1.17.1"), Value::Integer(2));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.31.1.1.1.17.2"), Value::Integer(1));
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.31.1.1.1.18.2"),
            Value::OctetString(Bytes::new())
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.31.1.1.1.14.2"),
            Value::NoSuchInstance
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.31.1.1.1.20.2"),
            Value::NoSuchObject
        );
        let all = walk(&mut h, now, "1.3.6.1.2.1.31.1.1");
        assert_eq!(all.len(), 18 * 3);
        assert_eq!(all[2].oid, oid("1.3.6.1.2.1.31.1.1.1.1.3"));
        assert_eq!(all[3].oid, oid("1.3.6.1.2.1.31.1.1.1.2.1"));
        assert!(h.get_next(&info(now), &all.last().unwrap().oid).is_none());
    }

    #[test]
    fn malformed_files_are_tolerated() {
        let tree = Tree::new();
        tree.file("proc/net/dev", b"\xff\xfe garbage\n:::\n");
        iface(
            &tree,
            "x0",
            &[
                ("ifindex", "7"),
                ("type", "nonsense"),
                ("flags", "0xZZ"),
                ("mtu", "-"),
                ("speed", "fast"),
                ("address", "zz:zz"),
                ("operstate", ""),
            ],
        );
        let ifs = read_interfaces(tree.path());
        assert_eq!(ifs.len(), 1);
        let x0 = &ifs[0];
        assert_eq!(
            (x0.index, x0.kind, x0.flags, x0.mtu, x0.speed),
            (7, 0, 0, 0, None)
        );
        assert!(x0.address.is_empty());
        let mut h = IfMib::with_root(tree.path());
        let now = start();
        assert_eq!(walk(&mut h, now, "1.3.6.1.2.1.2").len(), 1 + 22);
    }
}
