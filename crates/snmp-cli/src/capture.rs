//! pcap and pcapng files, read with `pcap-parser`: every packet, numbered as tshark numbers
//! frames, with the link type of its interface.

use std::io::{self, Read};

use pcap_parser::pcapng::Block;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{Linktype, PcapBlockOwned, PcapError};

use crate::InputError;

/// The first read buffer; it grows for larger packets.
const INITIAL_BUFFER: usize = 1 << 16;
/// The largest block read (a pcap record or a pcapng block), 16 MiB: far above any snaplen
/// (tcpdump's is 256 KiB), so that a damaged length field ends the file instead of
/// allocating gigabytes.
const MAX_BUFFER: usize = 1 << 24;

/// The magic numbers a capture starts with: pcap in both byte orders, with microsecond and
/// nanosecond timestamps, the "modified" pcap of old Linux patches, and pcapng's Section
/// Header Block.
const MAGICS: [[u8; 4]; 7] = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
    [0x34, 0xcd, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xcd, 0x34],
    [0x0a, 0x0d, 0x0d, 0x0a],
];

/// Whether a file starting with `head` is a pcap or pcapng capture.
pub(crate) fn is_capture(head: &[u8]) -> bool {
    head.get(..4).is_some_and(|m| MAGICS.iter().any(|x| x == m))
}

/// The length of the file header a capture starting with `head` needs: 24 octets for pcap,
/// 28 for pcapng's smallest Section Header Block.
pub(crate) fn header_len(head: &[u8]) -> usize {
    if head.first() == Some(&0x0a) { 28 } else { 24 }
}

/// One packet of a capture.
#[derive(Debug)]
pub(crate) struct Packet {
    /// 1-based, counting every packet record of the file.
    pub(crate) frame: u64,
    /// The link type of the interface it was captured on (the low 16 bits of the field).
    pub(crate) linktype: u16,
    /// The captured octets.
    pub(crate) data: Vec<u8>,
}

/// An interface of a pcapng section.
#[derive(Debug, Clone, Copy)]
struct Interface {
    linktype: u16,
    snaplen: u32,
}

/// Reads the packets of a capture one at a time.
pub(crate) struct CaptureReader<'r> {
    reader: Box<dyn PcapReaderIterator + 'r>,
    capacity: usize,
    /// The interfaces of the current pcapng section, or the one link type of a pcap file.
    interfaces: Vec<Interface>,
    frame: u64,
    done: bool,
}

impl<'r> CaptureReader<'r> {
    /// Starts reading a capture (whose first octets are still to be read from `input`).
    pub(crate) fn new(input: impl Read + 'r) -> Result<Self, InputError> {
        let reader =
            pcap_parser::create_reader(INITIAL_BUFFER, Fill(input)).map_err(|e| match e {
                PcapError::Eof | PcapError::UnexpectedEof | PcapError::Incomplete(_) => {
                    InputError::TruncatedHeader
                }
                PcapError::ReadError => InputError::Io(io::Error::other("read error")),
                _ => InputError::Malformed {
                    frame: 0,
                    offset: 0,
                },
            })?;
        Ok(Self {
            reader,
            capacity: INITIAL_BUFFER,
            interfaces: Vec::new(),
            frame: 0,
            done: false,
        })
    }

    /// The next packet, `None` at the end of the file, or an error for a damaged file (after
    /// which there is nothing more).
    pub(crate) fn next_packet(&mut self) -> Option<Result<Packet, InputError>> {
        if self.done {
            return None;
        }
        let next = self.read();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }

    fn read(&mut self) -> Option<Result<Packet, InputError>> {
        loop {
            let offset = self.reader.consumed();
            match self.reader.next() {
                Ok((size, block)) => {
                    let packet = on_block(&mut self.interfaces, &mut self.frame, block);
                    self.reader.consume(size);
                    if packet.is_some() {
                        return packet.map(Ok);
                    }
                }
                Err(PcapError::Eof) => return None,
                Err(PcapError::Incomplete(_)) => {
                    let before = self.reader.data().len();
                    if self.reader.refill().is_err() {
                        return Some(Err(InputError::Io(io::Error::other("read error"))));
                    }
                    // A full buffer that a refill cannot add to: make it larger.
                    if self.reader.data().len() == before
                        && !self.reader.reader_exhausted()
                        && !self.grow()
                    {
                        return Some(Err(self.too_large()));
                    }
                }
                Err(PcapError::BufferTooSmall) => {
                    if !self.grow() {
                        return Some(Err(self.too_large()));
                    }
                }
                Err(PcapError::UnexpectedEof) => {
                    return Some(Err(InputError::Truncated {
                        frame: self.frame + 1,
                    }));
                }
                Err(PcapError::ReadError) => {
                    return Some(Err(InputError::Io(io::Error::other("read error"))));
                }
                Err(_) => {
                    return Some(Err(InputError::Malformed {
                        frame: self.frame + 1,
                        offset,
                    }));
                }
            }
        }
    }

    /// Doubles the buffer, up to [`MAX_BUFFER`].
    fn grow(&mut self) -> bool {
        let size = self.capacity.saturating_mul(2);
        if size > MAX_BUFFER || !self.reader.grow(size) {
            return false;
        }
        self.capacity = size;
        true
    }

    fn too_large(&self) -> InputError {
        InputError::TooLarge {
            frame: self.frame + 1,
            limit: MAX_BUFFER,
        }
    }
}

/// A reader whose reads fill the buffer up to the end of the input: pcap-parser parses the
/// file header from one single read, which a short read (a pipe, or the magic number read
/// ahead and chained back) would cut.
struct Fill<R>(R);

impl<R: Read> Read for Fill<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
            match self.0.read(rest) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if filled == 0 => return Err(e),
                Err(_) => break,
            }
        }
        Ok(filled)
    }
}

/// Keeps the state that blocks change (link types, frame count) and returns the packet a
/// block holds.
fn on_block(
    interfaces: &mut Vec<Interface>,
    frame: &mut u64,
    block: PcapBlockOwned<'_>,
) -> Option<Packet> {
    let (iface, data) = match block {
        PcapBlockOwned::LegacyHeader(h) => {
            interfaces.clear();
            interfaces.push(Interface {
                linktype: low16(h.network),
                snaplen: h.snaplen,
            });
            return None;
        }
        PcapBlockOwned::Legacy(b) => (0, cut(b.data, b.caplen)),
        PcapBlockOwned::NG(Block::SectionHeader(_)) => {
            interfaces.clear();
            return None;
        }
        PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
            interfaces.push(Interface {
                linktype: low16(idb.linktype),
                snaplen: idb.snaplen,
            });
            return None;
        }
        PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => (
            usize::try_from(epb.if_id).unwrap_or(usize::MAX),
            cut(epb.data, epb.caplen),
        ),
        // A Simple Packet Block holds min(original length, snaplen) octets, then padding.
        PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
            let snaplen = interfaces.first().map_or(0, |i| i.snaplen);
            let len = if snaplen == 0 {
                spb.origlen
            } else {
                spb.origlen.min(snaplen)
            };
            (0, cut(spb.data, len))
        }
        // Wireshark shows each systemd journal entry as a frame: count it, read nothing.
        PcapBlockOwned::NG(Block::SystemdJournalExport(_)) => {
            *frame += 1;
            return None;
        }
        PcapBlockOwned::NG(_) => return None,
    };
    *frame += 1;
    // A packet on an interface that was never described has no link type we can read.
    let linktype = interfaces.get(iface).map_or(u16::MAX, |i| i.linktype);
    Some(Packet {
        frame: *frame,
        linktype,
        data: data.to_vec(),
    })
}

/// The link type proper: the low 16 bits (pcap keeps FCS information in the upper ones).
fn low16(linktype: Linktype) -> u16 {
    let [a, b, _, _] = linktype.0.to_le_bytes();
    u16::from_le_bytes([a, b])
}

/// The first `len` octets of a block's data (which may include padding).
fn cut(data: &[u8], len: u32) -> &[u8] {
    usize::try_from(len)
        .ok()
        .and_then(|len| data.get(..len))
        .unwrap_or(data)
}

/// Captures built for tests.
#[cfg(test)]
pub(crate) mod tests_support {
    /// A little-endian pcap file of this link type holding these packets.
    pub(crate) fn pcap(linktype: u32, packets: &[&[u8]]) -> Vec<u8> {
        let mut v = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        v.extend(65535u32.to_le_bytes());
        v.extend(linktype.to_le_bytes());
        for p in packets {
            v.extend([0; 8]);
            let len = u32::try_from(p.len()).unwrap();
            v.extend(len.to_le_bytes());
            v.extend(len.to_le_bytes());
            v.extend(*p);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::pcap;
    use super::*;

    fn all(data: &[u8]) -> (Vec<Packet>, Option<InputError>) {
        let mut r = CaptureReader::new(data).unwrap();
        let mut packets = Vec::new();
        while let Some(p) = r.next_packet() {
            match p {
                Ok(p) => packets.push(p),
                Err(e) => {
                    assert!(r.next_packet().is_none(), "nothing after an error");
                    return (packets, Some(e));
                }
            }
        }
        (packets, None)
    }

    #[test]
    fn magic_numbers() {
        assert!(is_capture(&[0xd4, 0xc3, 0xb2, 0xa1, 2]));
        assert!(is_capture(&[0x0a, 0x0d, 0x0d, 0x0a]));
        assert!(!is_capture(&[0x30, 0x29, 0x02, 0x01]));
        assert!(!is_capture(&[0xd4, 0xc3]));
    }

    #[test]
    fn frames_are_numbered_and_typed() {
        let file = pcap(0x3000_0001, &[b"one", b"", b"three"]);
        let (packets, err) = all(&file);
        assert!(err.is_none(), "{err:?}");
        let got: Vec<_> = packets
            .iter()
            .map(|p| (p.frame, p.linktype, p.data.as_slice()))
            .collect();
        assert_eq!(
            got,
            [(1, 1, &b"one"[..]), (2, 1, &b""[..]), (3, 1, &b"three"[..])]
        );
    }

    #[test]
    fn a_file_cut_short_is_an_error_after_its_whole_packets() {
        let file = pcap(101, &[b"one", b"two"]);
        let (packets, err) = all(&file[..file.len() - 1]);
        assert_eq!(packets.len(), 1);
        assert!(
            matches!(err, Some(InputError::Truncated { frame: 2 })),
            "{err:?}"
        );
        // Cut inside the file header.
        assert!(matches!(
            CaptureReader::new(&file[..10]).err(),
            Some(InputError::TruncatedHeader)
        ));
    }

    #[test]
    fn large_packets_grow_the_buffer() {
        let big = vec![0x55; INITIAL_BUFFER * 3];
        let file = pcap(101, &[&big, b"x"]);
        let (packets, err) = all(&file);
        assert!(err.is_none(), "{err:?}");
        assert_eq!(packets.len(), 2);
        assert_eq!(packets[0].data.len(), big.len());
    }

    #[test]
    fn absurd_record_lengths_are_refused() {
        let mut file = pcap(101, &[b"abc"]);
        // caplen of the first record: 4 GiB - 1.
        file[24 + 8..24 + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        let (packets, err) = all(&file);
        assert!(packets.is_empty());
        assert!(err.is_some());
    }

    #[test]
    fn pcapng_interfaces_and_sections() {
        fn block(kind: u32, body: &[u8]) -> Vec<u8> {
            let pad = (4 - body.len() % 4) % 4;
            let len = u32::try_from(12 + body.len() + pad).unwrap();
            let mut v = kind.to_le_bytes().to_vec();
            v.extend(len.to_le_bytes());
            v.extend(body);
            v.extend(vec![0; pad]);
            v.extend(len.to_le_bytes());
            v
        }
        let shb = block(
            0x0a0d_0d0a,
            &[
                0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ],
        );
        let idb = |linktype: u16| {
            let mut b = linktype.to_le_bytes().to_vec();
            b.extend([0, 0]);
            b.extend(0u32.to_le_bytes());
            block(1, &b)
        };
        let epb = |if_id: u32, data: &[u8]| {
            let mut b = if_id.to_le_bytes().to_vec();
            b.extend([0; 8]);
            let len = u32::try_from(data.len()).unwrap();
            b.extend(len.to_le_bytes());
            b.extend(len.to_le_bytes());
            b.extend(data);
            block(6, &b)
        };
        let spb = |data: &[u8]| {
            let mut b = u32::try_from(data.len()).unwrap().to_le_bytes().to_vec();
            b.extend(data);
            block(3, &b)
        };
        let file = [
            shb.clone(),
            idb(1),
            idb(113),
            epb(1, b"cooked"),
            epb(0, b"ether"),
            spb(b"simple"),
            epb(7, b"nowhere"),
            // A new section forgets the interfaces.
            shb,
            idb(101),
            epb(0, b"raw"),
        ]
        .concat();
        let (packets, err) = all(&file);
        assert!(err.is_none(), "{err:?}");
        let got: Vec<_> = packets
            .iter()
            .map(|p| (p.frame, p.linktype, p.data.as_slice()))
            .collect();
        assert_eq!(
            got,
            [
                (1, 113, &b"cooked"[..]),
                (2, 1, &b"ether"[..]),
                (3, 1, &b"simple"[..]),
                (4, u16::MAX, &b"nowhere"[..]),
                (5, 101, &b"raw"[..]),
            ]
        );
    }
}
