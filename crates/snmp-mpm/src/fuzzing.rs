//! The checks the fuzz targets run, here so that every crasher saved under
//! `tests/data/fuzz/` is replayed by the ordinary test suite with the very same oracle.

use bytes::Bytes;
use snmp_ber::{Anomaly, DecodeOptions, Decoder};

use crate::Message;

/// Decodes `data` leniently and strictly; it may fail, never panic.
pub fn decode(data: &[u8]) {
    let wire = Bytes::copy_from_slice(data);
    for options in [DecodeOptions::LENIENT, DecodeOptions::STRICT] {
        let dec = Decoder::new(options);
        if let Ok(m) = Message::decode(&dec, &wire) {
            let _ = m.pdu().map(|p| p.varbinds().len());
        }
    }
}

/// decode -> encode -> decode: whatever decodes re-encodes to a message that decodes to the
/// same value, and input the strict decoder accepts re-encodes to exactly the same octets.
///
/// # Panics
/// When one of those properties does not hold: that is the bug the fuzzer looks for.
#[allow(clippy::expect_used)] // panicking is how a fuzz oracle reports
pub fn round_trip(data: &[u8]) {
    let wire = Bytes::copy_from_slice(data);
    if let Ok(m) = Message::decode(&Decoder::new(DecodeOptions::LENIENT), &wire) {
        let re = m.to_bytes().expect("a decoded message encodes");
        // Our output is canonical; the one thing it may carry that strict decoding refuses is
        // a Counter64 in an SNMPv1 message that came in that way.
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let again = Message::decode(&dec, &re).expect("our encoding decodes");
        assert!(
            dec.anomalies()
                .iter()
                .all(|(a, _)| a == Anomaly::Counter64InV1)
        );
        assert_eq!(again, m);
        assert_eq!(again.to_bytes().expect("encodes"), re);
    }
    if let Ok(m) = Message::decode(&Decoder::new(DecodeOptions::STRICT), &wire) {
        assert_eq!(
            m.to_bytes().expect("encodes"),
            wire,
            "canonical input re-encodes identically"
        );
    }
}
