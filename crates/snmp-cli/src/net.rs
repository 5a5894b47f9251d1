//! From a captured frame to the SNMP datagram it carries: the link layer, IPv4 and IPv6 (with
//! fragment reassembly), UDP, and the UDP datagram quoted inside an ICMP or ICMPv6 error.
//!
//! Everything here reads untrusted octets with `get`, never with indexing, and gives up on a
//! frame (as "not SNMP") when a header is cut short.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The UDP ports of SNMP: 161 (agents) and 162 (notification receivers), RFC 3417 section 3.
const SNMP_PORTS: [u16; 2] = [161, 162];

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
/// 802.1Q, 802.1ad and the older QinQ tag: each is 4 octets before the real EtherType.
const ETHERTYPE_VLAN: [u16; 3] = [0x8100, 0x88a8, 0x9100];
/// How many VLAN tags are skipped at most (QinQ uses two).
const MAX_VLAN_TAGS: usize = 4;

const PROTO_ICMP: u8 = 1;
const PROTO_UDP: u8 = 17;
const PROTO_ICMPV6: u8 = 58;
/// IPv6 extension headers skipped to reach the transport: hop-by-hop, routing, destination
/// options (all `(len + 1) * 8` octets long).
const IPV6_SKIPPED: [u8; 3] = [0, 43, 60];
const IPV6_FRAGMENT: u8 = 44;
/// At most this many IPv6 extension headers are followed.
const MAX_IPV6_EXTENSIONS: usize = 8;

/// The largest datagram reassembled from fragments (the IP length fields are 16 bits).
const MAX_REASSEMBLED: usize = 0xffff;
/// At most this many datagrams wait for their missing fragments; beyond, the oldest is dropped.
const MAX_PENDING: usize = 256;

/// The link types read, as numbered at <https://www.tcpdump.org/linktypes.html>.
mod linktype {
    /// BSD loopback: a 4-octet address family in the capturing host's byte order.
    pub(super) const NULL: u16 = 0;
    /// Ethernet, with or without 802.1Q VLAN tags.
    pub(super) const ETHERNET: u16 = 1;
    /// Raw IP (OpenBSD's number).
    pub(super) const RAW_OPENBSD: u16 = 12;
    /// Raw IP.
    pub(super) const RAW: u16 = 101;
    /// OpenBSD loopback: like [`NULL`] but in network byte order.
    pub(super) const LOOP: u16 = 108;
    /// Linux cooked capture (`tcpdump -i any`), 16-octet header.
    pub(super) const LINUX_SLL: u16 = 113;
    /// Raw IPv4.
    pub(super) const IPV4: u16 = 228;
    /// Raw IPv6.
    pub(super) const IPV6: u16 = 229;
    /// Linux cooked capture v2, 20-octet header.
    pub(super) const LINUX_SLL2: u16 = 276;
}

/// Whether frames of this link type can be read.
pub(crate) fn is_supported(linktype: u16) -> bool {
    use linktype::*;
    matches!(
        linktype,
        NULL | ETHERNET | RAW_OPENBSD | RAW | LOOP | LINUX_SLL | IPV4 | IPV6 | LINUX_SLL2
    )
}

/// A UDP datagram to or from an SNMP port.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Udp {
    /// Where it came from.
    pub(crate) src: SocketAddr,
    /// Where it went.
    pub(crate) dst: SocketAddr,
    /// The UDP payload, the SNMP message.
    pub(crate) payload: Vec<u8>,
}

/// Finds SNMP datagrams in the frames of one capture, reassembling IP fragments across them.
#[derive(Debug, Default)]
pub(crate) struct Extractor {
    pending: HashMap<FragmentKey, Fragments>,
    /// Arrival order of the pending datagrams, to drop the oldest.
    arrivals: u64,
}

/// What identifies the fragments of one datagram (RFC 791 section 3.2, RFC 8200 section 4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FragmentKey {
    src: IpAddr,
    dst: IpAddr,
    id: u32,
    protocol: u8,
}

/// The fragments of one datagram received so far, by offset.
#[derive(Debug, Default)]
struct Fragments {
    pieces: BTreeMap<usize, Vec<u8>>,
    /// The datagram's length, known once the last fragment came.
    total: Option<usize>,
    arrival: u64,
}

/// An IP packet's header, as far as we need it.
struct IpHeader<'a> {
    src: IpAddr,
    dst: IpAddr,
    protocol: u8,
    /// Identification and offset of a fragment, and whether more follow.
    fragment: Option<(u32, usize, bool)>,
    payload: &'a [u8],
}

impl Extractor {
    /// The SNMP datagram in `frame`, a frame of link type `linktype`, if it holds one (or
    /// completes one from fragments).
    pub(crate) fn datagram(&mut self, linktype: u16, frame: &[u8]) -> Option<Udp> {
        let packet = link_payload(linktype, frame)?;
        let ip = ip_header(packet)?;
        match ip.fragment {
            None => transport(&ip, ip.payload, true),
            Some((id, offset, more)) => {
                let key = FragmentKey {
                    src: ip.src,
                    dst: ip.dst,
                    id,
                    protocol: ip.protocol,
                };
                let whole = self.reassemble(key, offset, more, ip.payload)?;
                transport(&ip, &whole, true)
            }
        }
    }

    /// Adds a fragment; returns the datagram's payload once every fragment is in.
    fn reassemble(
        &mut self,
        key: FragmentKey,
        offset: usize,
        more: bool,
        data: &[u8],
    ) -> Option<Vec<u8>> {
        let end = offset.checked_add(data.len())?;
        if end > MAX_REASSEMBLED {
            self.pending.remove(&key);
            return None;
        }
        if !self.pending.contains_key(&key) && self.pending.len() >= MAX_PENDING {
            let oldest = self
                .pending
                .iter()
                .min_by_key(|(_, f)| f.arrival)
                .map(|(k, _)| *k);
            if let Some(oldest) = oldest {
                self.pending.remove(&oldest);
            }
        }
        self.arrivals += 1;
        let arrival = self.arrivals;
        let entry = self.pending.entry(key).or_insert_with(|| Fragments {
            arrival,
            ..Fragments::default()
        });
        entry.pieces.insert(offset, data.to_vec());
        if !more {
            entry.total = Some(end);
        }
        let total = entry.total?;
        // Complete when the pieces cover 0..total without a gap.
        let mut covered = 0;
        for (start, piece) in &entry.pieces {
            if *start > covered {
                return None;
            }
            covered = covered.max(start + piece.len());
        }
        if covered < total {
            return None;
        }
        let entry = self.pending.remove(&key)?;
        let mut whole = vec![0; total];
        for (start, piece) in entry.pieces {
            let end = (start + piece.len()).min(total);
            if let (Some(dst), Some(src)) = (whole.get_mut(start..end), piece.get(..end - start)) {
                dst.copy_from_slice(src);
            }
        }
        Some(whole)
    }
}

/// The network-layer packet of a frame, or `None` for anything but IPv4 and IPv6.
fn link_payload(linktype: u16, frame: &[u8]) -> Option<&[u8]> {
    match linktype {
        linktype::ETHERNET => {
            let mut ethertype = be16(frame, 12)?;
            let mut at = 14;
            for _ in 0..MAX_VLAN_TAGS {
                if !ETHERTYPE_VLAN.contains(&ethertype) {
                    break;
                }
                ethertype = be16(frame, at + 2)?;
                at += 4;
            }
            ip_ethertype(ethertype, frame.get(at..)?)
        }
        linktype::RAW | linktype::RAW_OPENBSD | linktype::IPV4 | linktype::IPV6 => Some(frame),
        linktype::NULL | linktype::LOOP => {
            let bytes: [u8; 4] = frame.get(..4)?.try_into().ok()?;
            // The family is in the capturing host's byte order (NULL) or network order (LOOP):
            // both are tried, as tshark does.
            let family = match u32::from_le_bytes(bytes) {
                f if f <= 0xffff => f,
                _ => u32::from_be_bytes(bytes),
            };
            match family {
                // AF_INET everywhere; AF_INET6 on NetBSD/OpenBSD, FreeBSD, and macOS.
                2 | 24 | 28 | 30 => frame.get(4..),
                _ => None,
            }
        }
        linktype::LINUX_SLL => ip_ethertype(be16(frame, 14)?, frame.get(16..)?),
        linktype::LINUX_SLL2 => ip_ethertype(be16(frame, 0)?, frame.get(20..)?),
        _ => None,
    }
}

fn ip_ethertype(ethertype: u16, packet: &[u8]) -> Option<&[u8]> {
    matches!(ethertype, ETHERTYPE_IPV4 | ETHERTYPE_IPV6).then_some(packet)
}

/// Reads an IPv4 or IPv6 header; the payload is cut to the header's length field (or to what
/// was captured, if less).
fn ip_header(packet: &[u8]) -> Option<IpHeader<'_>> {
    match packet.first()? >> 4 {
        4 => {
            let ihl = usize::from(packet.first()? & 0x0f) * 4;
            if ihl < 20 {
                return None;
            }
            let total = usize::from(be16(packet, 2)?);
            // A total length of 0 is what TCP segmentation offload leaves: take the capture.
            let end = if total == 0 {
                packet.len()
            } else {
                total.min(packet.len())
            };
            let payload = packet.get(ihl..end.max(ihl))?;
            let id = u32::from(be16(packet, 4)?);
            let flags_offset = be16(packet, 6)?;
            let more = flags_offset & 0x2000 != 0;
            let offset = usize::from(flags_offset & 0x1fff) * 8;
            let fragment = (more || offset != 0).then_some((id, offset, more));
            Some(IpHeader {
                src: IpAddr::V4(Ipv4Addr::from(array4(packet, 12)?)),
                dst: IpAddr::V4(Ipv4Addr::from(array4(packet, 16)?)),
                protocol: *packet.get(9)?,
                fragment,
                payload,
            })
        }
        6 => {
            let len = usize::from(be16(packet, 4)?);
            let src: [u8; 16] = packet.get(8..24)?.try_into().ok()?;
            let dst: [u8; 16] = packet.get(24..40)?.try_into().ok()?;
            // A payload length of 0 is a jumbogram (or offload): take the capture.
            let end = if len == 0 {
                packet.len()
            } else {
                (40 + len).min(packet.len())
            };
            let mut payload = packet.get(40..end.max(40))?;
            let mut next = *packet.get(6)?;
            let mut fragment = None;
            for _ in 0..MAX_IPV6_EXTENSIONS {
                if IPV6_SKIPPED.contains(&next) {
                    let len = (usize::from(*payload.get(1)?) + 1) * 8;
                    next = *payload.first()?;
                    payload = payload.get(len..)?;
                } else if next == IPV6_FRAGMENT {
                    let offset_flags = be16(payload, 2)?;
                    let id = u32::from_be_bytes(array4(payload, 4)?);
                    fragment = Some((
                        id,
                        usize::from(offset_flags & 0xfff8),
                        offset_flags & 1 != 0,
                    ));
                    next = *payload.first()?;
                    payload = payload.get(8..)?;
                } else {
                    break;
                }
            }
            Some(IpHeader {
                src: IpAddr::V6(Ipv6Addr::from(src)),
                dst: IpAddr::V6(Ipv6Addr::from(dst)),
                protocol: next,
                fragment,
                payload,
            })
        }
        _ => None,
    }
}

/// The SNMP datagram in an IP payload: UDP to or from port 161 or 162, or (when `outer`) an
/// ICMP error quoting one.
fn transport(ip: &IpHeader<'_>, payload: &[u8], outer: bool) -> Option<Udp> {
    match ip.protocol {
        PROTO_UDP => {
            let sport = be16(payload, 0)?;
            let dport = be16(payload, 2)?;
            if !SNMP_PORTS.contains(&sport) && !SNMP_PORTS.contains(&dport) {
                return None;
            }
            let len = usize::from(be16(payload, 4)?);
            // A length below the header's own (0 for an IPv6 jumbogram) says nothing: take
            // what the IP layer gives.
            let end = if len >= 8 {
                len.min(payload.len())
            } else {
                payload.len()
            };
            Some(Udp {
                src: SocketAddr::new(ip.src, sport),
                dst: SocketAddr::new(ip.dst, dport),
                payload: payload.get(8..end)?.to_vec(),
            })
        }
        // Destination unreachable, source quench, redirect, time exceeded, parameter problem:
        // the 8-octet ICMP header, then the offending packet's IP header and first octets.
        PROTO_ICMP if outer && matches!(payload.first(), Some(3 | 4 | 5 | 11 | 12)) => {
            quoted(payload.get(8..)?)
        }
        // ICMPv6 errors (RFC 4443): destination unreachable, packet too big, time exceeded,
        // parameter problem.
        PROTO_ICMPV6 if outer && matches!(payload.first(), Some(1..=4)) => {
            quoted(payload.get(8..)?)
        }
        _ => None,
    }
}

/// The SNMP datagram quoted in an ICMP error: only a first (or whole) fragment has a UDP
/// header to read.
fn quoted(packet: &[u8]) -> Option<Udp> {
    let ip = ip_header(packet)?;
    if matches!(ip.fragment, Some((_, offset, _)) if offset != 0) {
        return None;
    }
    transport(&ip, ip.payload, false)
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn array4(data: &[u8], at: usize) -> Option<[u8; 4]> {
    data.get(at..at + 4)?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SNMP: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x01];

    fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend(sport.to_be_bytes());
        v.extend(dport.to_be_bytes());
        v.extend(u16::try_from(payload.len() + 8).unwrap().to_be_bytes());
        v.extend([0, 0]);
        v.extend(payload);
        v
    }

    fn ipv4(protocol: u8, id: u16, flags_offset: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0x45, 0];
        v.extend(u16::try_from(payload.len() + 20).unwrap().to_be_bytes());
        v.extend(id.to_be_bytes());
        v.extend(flags_offset.to_be_bytes());
        v.extend([64, protocol, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2]);
        v.extend(payload);
        v
    }

    fn ipv6(next: u8, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0x60, 0, 0, 0];
        v.extend(u16::try_from(payload.len()).unwrap().to_be_bytes());
        v.extend([next, 64]);
        v.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).octets());
        v.extend(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2).octets());
        v.extend(payload);
        v
    }

    fn ethernet(ethertype: &[u8], packet: &[u8]) -> Vec<u8> {
        let mut v = vec![0; 12];
        v.extend(ethertype);
        v.extend(packet);
        v
    }

    fn one(linktype: u16, frame: &[u8]) -> Option<Udp> {
        Extractor::default().datagram(linktype, frame)
    }

    fn v4_udp(sport: u16, dport: u16) -> Udp {
        Udp {
            src: SocketAddr::new("192.0.2.1".parse().unwrap(), sport),
            dst: SocketAddr::new("192.0.2.2".parse().unwrap(), dport),
            payload: SNMP.to_vec(),
        }
    }

    #[test]
    fn ethernet_ipv4_udp() {
        let frame = ethernet(&[0x08, 0x00], &ipv4(17, 1, 0, &udp(40000, 161, SNMP)));
        assert_eq!(one(1, &frame), Some(v4_udp(40000, 161)));
        // Either port may be SNMP's.
        let frame = ethernet(&[0x08, 0x00], &ipv4(17, 1, 0, &udp(162, 5000, SNMP)));
        assert_eq!(one(1, &frame), Some(v4_udp(162, 5000)));
        // Neither is.
        let frame = ethernet(&[0x08, 0x00], &ipv4(17, 1, 0, &udp(53, 5000, SNMP)));
        assert_eq!(one(1, &frame), None);
        // Ethernet padding after a short IP packet is not payload.
        let mut frame = ethernet(&[0x08, 0x00], &ipv4(17, 1, 0, &udp(40000, 161, SNMP)));
        frame.extend([0; 10]);
        assert_eq!(one(1, &frame), Some(v4_udp(40000, 161)));
    }

    #[test]
    fn vlan_tags() {
        let packet = ipv4(17, 1, 0, &udp(40000, 161, SNMP));
        let frame = ethernet(&[0x81, 0x00, 0x00, 0x2a, 0x08, 0x00], &packet);
        assert_eq!(one(1, &frame), Some(v4_udp(40000, 161)));
        let frame = ethernet(
            &[0x88, 0xa8, 0x00, 0x01, 0x81, 0x00, 0x00, 0x2a, 0x08, 0x00],
            &packet,
        );
        assert_eq!(one(1, &frame), Some(v4_udp(40000, 161)));
        // ARP is not IP.
        assert_eq!(one(1, &ethernet(&[0x08, 0x06], &packet)), None);
    }

    #[test]
    fn raw_loopback_and_cooked_links() {
        let packet = ipv4(17, 1, 0, &udp(40000, 161, SNMP));
        for linktype in [12, 101, 228] {
            assert_eq!(
                one(linktype, &packet),
                Some(v4_udp(40000, 161)),
                "{linktype}"
            );
        }
        // BSD loopback, little-endian and big-endian AF_INET.
        for family in [[2, 0, 0, 0], [0, 0, 0, 2]] {
            let frame = [&family[..], &packet].concat();
            assert_eq!(one(0, &frame), Some(v4_udp(40000, 161)));
            assert_eq!(one(108, &frame), Some(v4_udp(40000, 161)));
        }
        assert_eq!(one(0, &[&[7, 0, 0, 0][..], &packet].concat()), None);
        // Linux cooked v1: 14 octets, then the protocol.
        let sll = [&[0u8; 14][..], &[0x08, 0x00], &packet].concat();
        assert_eq!(one(113, &sll), Some(v4_udp(40000, 161)));
        // v2: the protocol first, then 18 octets.
        let sll2 = [&[0x08u8, 0x00][..], &[0; 18], &packet].concat();
        assert_eq!(one(276, &sll2), Some(v4_udp(40000, 161)));
        // Unknown link types give nothing.
        assert!(!is_supported(105));
        assert_eq!(one(105, &packet), None);
    }

    #[test]
    fn ipv6_with_extension_headers() {
        let u = udp(161, 40000, SNMP);
        let want = Udp {
            src: "[2001:db8::1]:161".parse().unwrap(),
            dst: "[2001:db8::2]:40000".parse().unwrap(),
            payload: SNMP.to_vec(),
        };
        assert_eq!(one(229, &ipv6(17, &u)), Some(want));
        // Hop-by-hop options (8 octets), then UDP.
        let hop = [&[17u8, 0, 0, 0, 0, 0, 0, 0][..], &u].concat();
        let frame = ethernet(&[0x86, 0xdd], &ipv6(0, &hop));
        assert_eq!(one(1, &frame).map(|d| d.payload), Some(SNMP.to_vec()));
    }

    #[test]
    fn icmp_quotes_a_datagram() {
        let inner = ipv4(17, 1, 0, &udp(60377, 162, SNMP));
        let icmp = [&[3u8, 3, 0, 0, 0, 0, 0, 0][..], &inner].concat();
        let frame = ethernet(&[0x08, 0x00], &ipv4(1, 2, 0, &icmp));
        assert_eq!(one(1, &frame), Some(v4_udp(60377, 162)));
        // An echo request quotes nothing.
        let echo = [&[8u8, 0, 0, 0, 0, 0, 0, 0][..], &inner].concat();
        assert_eq!(
            one(1, &ethernet(&[0x08, 0x00], &ipv4(1, 2, 0, &echo))),
            None
        );
        // An ICMP error quoting an ICMP error is not followed.
        let nested = ipv4(1, 3, 0, &icmp);
        let outer = [&[3u8, 3, 0, 0, 0, 0, 0, 0][..], &nested].concat();
        assert_eq!(one(101, &ipv4(1, 4, 0, &outer)), None);
        // ICMPv6 destination unreachable.
        let inner6 = ipv6(17, &udp(40000, 161, SNMP));
        let icmp6 = [&[1u8, 4, 0, 0, 0, 0, 0, 0][..], &inner6].concat();
        assert_eq!(
            one(229, &ipv6(58, &icmp6)).map(|d| d.dst),
            Some("[2001:db8::2]:161".parse().unwrap())
        );
    }

    #[test]
    fn fragments_are_reassembled() {
        let payload: Vec<u8> = (0..100u8).collect();
        let datagram = udp(40000, 161, &payload);
        let (a, b) = datagram.split_at(48);
        let first = ipv4(17, 7, 0x2000, a);
        let second = ipv4(17, 7, 6, b); // offset 48 = 6 * 8
        let mut x = Extractor::default();
        // In either order, the datagram comes with the fragment that completes it.
        assert_eq!(x.datagram(101, &second), None);
        assert_eq!(
            x.datagram(101, &first).map(|d| d.payload),
            Some(payload.clone())
        );
        assert!(x.pending.is_empty());
        assert_eq!(x.datagram(101, &first), None);
        assert_eq!(
            x.datagram(101, &second).map(|d| d.payload),
            Some(payload.clone())
        );
        // A gap keeps it waiting.
        let third = ipv4(17, 8, 7, b);
        assert_eq!(x.datagram(101, &ipv4(17, 8, 0x2000, a)), None);
        assert_eq!(x.datagram(101, &third), None);
        // IPv6 fragment header: offset 48, last.
        let mut y = Extractor::default();
        let frag = |offset_flags: u16, data: &[u8]| {
            let mut h = vec![17, 0];
            h.extend(offset_flags.to_be_bytes());
            h.extend(9u32.to_be_bytes());
            h.extend(data);
            ipv6(44, &h)
        };
        assert_eq!(y.datagram(229, &frag(1, a)), None);
        assert_eq!(
            y.datagram(229, &frag(48, b)).map(|d| d.payload),
            Some(payload)
        );
    }

    #[test]
    fn oversized_and_pending_fragments_are_bounded() {
        let mut x = Extractor::default();
        // Offset 65528 plus 16 octets is beyond any datagram.
        assert_eq!(x.datagram(101, &ipv4(17, 1, 0x1fff, &[0; 16])), None);
        assert!(x.pending.is_empty());
        for id in 0..=u16::try_from(MAX_PENDING).unwrap() {
            assert_eq!(x.datagram(101, &ipv4(17, id, 0x2000, &[0; 8])), None);
        }
        assert_eq!(x.pending.len(), MAX_PENDING);
    }

    #[test]
    fn truncated_headers_are_not_snmp() {
        let frame = ethernet(&[0x08, 0x00], &ipv4(17, 1, 0, &udp(40000, 161, SNMP)));
        for len in 0..frame.len() {
            // No panic, whatever is cut; a cut inside the payload still gives a datagram.
            let _ = one(1, frame.get(..len).unwrap());
        }
        assert_eq!(one(1, frame.get(..14 + 20 + 7).unwrap()), None);
        // An IHL below 5 is not IPv4.
        let mut bad = ipv4(17, 1, 0, &udp(40000, 161, SNMP));
        bad[0] = 0x44;
        assert_eq!(one(101, &bad), None);
    }

    #[test]
    fn bogus_lengths_take_what_was_captured() {
        // IPv4 total length 0 (segmentation offload) and a UDP length above the capture.
        let mut packet = ipv4(17, 1, 0, &udp(40000, 161, SNMP));
        packet[2] = 0;
        packet[3] = 0;
        packet[24] = 0x30;
        packet[25] = 0x30;
        assert_eq!(one(101, &packet).map(|d| d.payload), Some(SNMP.to_vec()));
    }
}
