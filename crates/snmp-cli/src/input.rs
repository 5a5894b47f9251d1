//! The files `snmp decode` reads: pcap and pcapng captures, raw BER messages, base64 messages.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::net::SocketAddr;
use std::path::Path;

use bytes::Bytes;

use crate::capture::{self, CaptureReader};
use crate::net::{self, Extractor};

/// The largest raw or base64 message file read (an SNMP message over UDP is at most 65507
/// octets; this leaves room for other transports and for line breaks).
pub const MAX_RAW_FILE: u64 = 1 << 20;

/// A file that cannot be read, or a capture that is damaged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The operating system refused to open or read it.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A capture whose file header is cut short.
    #[error("the capture is cut short in its file header")]
    TruncatedHeader,
    /// A capture whose file header cannot be read.
    #[error("malformed capture file header")]
    MalformedHeader,
    /// A capture that ends in the middle of a packet record.
    #[error("the capture is cut short in frame {frame}")]
    Truncated {
        /// The frame that is incomplete.
        frame: u64,
    },
    /// A capture block that pcap-parser cannot read.
    #[error("malformed capture block at byte {offset} (frame {frame})")]
    Malformed {
        /// The frame it would have been.
        frame: u64,
        /// Its offset in the file.
        offset: usize,
    },
    /// A capture block larger than the reader accepts.
    #[error("frame {frame} is larger than {limit} octets")]
    TooLarge {
        /// The frame.
        frame: u64,
        /// The limit.
        limit: usize,
    },
    /// A raw or base64 message file larger than [`MAX_RAW_FILE`].
    #[error("not a capture, and larger than {limit} octets for a single message")]
    RawTooLarge {
        /// The limit.
        limit: u64,
    },
    /// A `.b64` file that is not base64.
    #[error("invalid base64 at byte {offset}")]
    Base64 {
        /// The offset of the offending character in the file.
        offset: usize,
    },
}

/// One SNMP message to decode: where it was found and its octets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Datagram {
    /// The frame number: 1-based over every packet of a capture, as tshark numbers them; 1
    /// for a raw or base64 file.
    pub frame: u64,
    /// The sender, when the file records it (captures).
    pub src: Option<SocketAddr>,
    /// The receiver, when the file records it (captures).
    pub dst: Option<SocketAddr>,
    /// The UDP payload: the SNMP message (or what claims to be one).
    pub payload: Bytes,
}

impl Datagram {
    /// A message read from a raw file: frame 1, no addresses.
    pub fn raw(payload: impl Into<Bytes>) -> Self {
        Self {
            frame: 1,
            src: None,
            dst: None,
            payload: payload.into(),
        }
    }
}

/// The SNMP messages of one file, in order.
///
/// - A pcap or pcapng capture (recognised by its magic number, whatever its name) yields the
///   UDP payload of every packet to or from port 161 or 162, over Ethernet (with VLAN tags),
///   raw IP, Linux cooked capture or BSD loopback, IPv4 or IPv6 (fragments reassembled), and
///   the UDP datagram quoted in an ICMP or ICMPv6 error. Frames of other link types are
///   skipped and counted in [`Datagrams::skipped_link_types`].
/// - A file named `*.b64` holds one base64 message.
/// - Any other file holds one raw BER message.
///
/// A damaged capture yields its whole packets, then one [`InputError`], then nothing.
///
/// ```no_run
/// use snmp_cli::Datagrams;
///
/// for datagram in Datagrams::open("capture.pcapng".as_ref())? {
///     let datagram = datagram?;
///     println!("frame {}: {} octets", datagram.frame, datagram.payload.len());
/// }
/// # Ok::<(), snmp_cli::InputError>(())
/// ```
pub struct Datagrams {
    source: Source,
    extractor: Extractor,
    skipped: BTreeMap<u16, u64>,
}

enum Source {
    One(Option<Datagram>),
    Capture(CaptureReader<'static>),
}

impl Datagrams {
    /// Opens a file and finds out what it holds.
    pub fn open(path: &Path) -> Result<Self, InputError> {
        let file = File::open(path)?;
        let base64 = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("b64"));
        Self::from_reader(file, base64)
    }

    /// Reads from `input`, a capture, a raw message, or (when `base64`) a base64 message.
    pub fn from_reader(mut input: impl Read + 'static, base64: bool) -> Result<Self, InputError> {
        // Enough for any capture's file header.
        let mut head = Vec::with_capacity(32);
        (&mut input).take(32).read_to_end(&mut head)?;
        let source = if !base64 && capture::is_capture(&head) {
            if head.len() < capture::header_len(&head) {
                return Err(InputError::TruncatedHeader);
            }
            Source::Capture(CaptureReader::new(Cursor::new(head).chain(input))?)
        } else {
            let mut all = head;
            input.take(MAX_RAW_FILE + 1).read_to_end(&mut all)?;
            if u64::try_from(all.len()).unwrap_or(u64::MAX) > MAX_RAW_FILE {
                return Err(InputError::RawTooLarge {
                    limit: MAX_RAW_FILE,
                });
            }
            let payload = if base64 {
                crate::base64::decode(&all)?
            } else {
                all
            };
            Source::One(Some(Datagram::raw(payload)))
        };
        Ok(Self {
            source,
            extractor: Extractor::default(),
            skipped: BTreeMap::new(),
        })
    }

    /// The link types this capture used that cannot be read, each with the number of frames
    /// skipped (so far).
    pub fn skipped_link_types(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        self.skipped.iter().map(|(l, n)| (*l, *n))
    }
}

impl Iterator for Datagrams {
    type Item = Result<Datagram, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            Source::One(d) => d.take().map(Ok),
            Source::Capture(reader) => loop {
                let packet = match reader.next_packet()? {
                    Ok(p) => p,
                    Err(e) => return Some(Err(e)),
                };
                if !net::is_supported(packet.linktype) {
                    *self.skipped.entry(packet.linktype).or_default() += 1;
                    continue;
                }
                if let Some(udp) = self.extractor.datagram(packet.linktype, &packet.data) {
                    return Some(Ok(Datagram {
                        frame: packet.frame,
                        src: Some(udp.src),
                        dst: Some(udp.dst),
                        payload: Bytes::from(udp.payload),
                    }));
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::tests_support::pcap;

    #[test]
    fn raw_and_base64_files_hold_one_message() {
        let raw = [0x30, 0x03, 0x02, 0x01, 0x01];
        let all: Vec<_> = Datagrams::from_reader(Cursor::new(raw.to_vec()), false)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(all, [Datagram::raw(raw.to_vec())]);
        let all: Vec<_> = Datagrams::from_reader(Cursor::new(b"MAMCAQE=\n".to_vec()), true)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(all, [Datagram::raw(raw.to_vec())]);
        // An empty file is one empty message (which will not decode).
        let all: Vec<_> = Datagrams::from_reader(Cursor::new(Vec::new()), false)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(all, [Datagram::raw(Vec::new())]);
    }

    #[test]
    fn raw_files_are_bounded() {
        let big = vec![0x30; usize::try_from(MAX_RAW_FILE).unwrap() + 1];
        assert!(matches!(
            Datagrams::from_reader(Cursor::new(big), false),
            Err(InputError::RawTooLarge { .. })
        ));
        assert!(matches!(
            Datagrams::from_reader(Cursor::new(b"MAMC*QE=".to_vec()), true),
            Err(InputError::Base64 { offset: 4 })
        ));
    }

    #[test]
    fn captures_yield_snmp_datagrams_and_count_other_link_types() {
        let snmp = [0x30, 0x03, 0x02, 0x01, 0x01];
        let mut udp = vec![0x9c, 0x40, 0x00, 0xa1, 0x00, 0x0d, 0, 0];
        udp.extend(snmp);
        let mut ip = vec![
            0x45, 0, 0, 33, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        ip.extend(&udp);
        let mut dns = ip.clone();
        dns[22] = 0;
        dns[23] = 53;
        let file = pcap(101, &[&ip, &dns, &ip]);
        let got: Vec<_> = Datagrams::from_reader(Cursor::new(file), false)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let frames: Vec<_> = got.iter().map(|d| d.frame).collect();
        assert_eq!(frames, [1, 3]);
        assert_eq!(got[0].src, Some("10.0.0.1:40000".parse().unwrap()));
        assert_eq!(got[0].dst, Some("10.0.0.2:161".parse().unwrap()));
        assert_eq!(got[0].payload, snmp[..]);

        let file = pcap(105, &[&ip, &ip]);
        let mut d = Datagrams::from_reader(Cursor::new(file), false).unwrap();
        assert!(d.next().is_none());
        assert_eq!(d.skipped_link_types().collect::<Vec<_>>(), [(105, 2)]);
    }

    /// Every octet of a small capture changed, and every truncation: no panic, and the
    /// datagrams end (after at most one error).
    #[test]
    fn damaged_captures_never_panic() {
        let snmp = [
            0x30, 0x1a, 0x02, 0x01, 0x01, 0x04, 0x01, b'p', 0xa2, 0x12, 0x02, 0x01, 0x07, 0x02,
            0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x07, 0x30, 0x05, 0x06, 0x01, 0x2b, 0x05, 0x00,
        ];
        let mut udp = vec![0x9c, 0x40, 0x00, 0xa1, 0x00, 0x24, 0, 0];
        udp.extend(snmp);
        let mut ip = vec![
            0x45, 0, 0, 56, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        ip.extend(&udp);
        let mut frame = vec![0; 12];
        frame.extend([0x08, 0x00]);
        frame.extend(&ip);
        let file = pcap(1, &[&frame, &frame]);
        let drain = |data: Vec<u8>| {
            let Ok(datagrams) = Datagrams::from_reader(Cursor::new(data), false) else {
                return;
            };
            let mut decoder = crate::MessageDecoder::new(Vec::new());
            let mut n = 0;
            for d in datagrams {
                n += 1;
                assert!(n <= 3, "the datagrams do not end");
                if let Ok(d) = d {
                    let _ = decoder.decode(&d);
                }
            }
        };
        assert_eq!(
            Datagrams::from_reader(Cursor::new(file.clone()), false)
                .unwrap()
                .count(),
            2
        );
        for at in 0..file.len() {
            for v in [0x00, 0x7f, 0x80, 0xff] {
                let mut damaged = file.clone();
                damaged[at] = v;
                drain(damaged);
            }
        }
        for len in 0..file.len() {
            drain(file[..len].to_vec());
        }
    }
}
