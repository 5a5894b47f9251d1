//! The benchmark messages: SNMPv2c Responses with 1, 10 and 50 bindings of mixed types, as an
//! agent answering an ifTable walk sends them. `cargo xtask fixtures` writes them to
//! `testdata/bench/`; the criterion benches and `cargo xtask bench` read them from there, so
//! every decoder measured parses the very same octets.

use std::path::Path;

use bytes::Bytes;
use snmp_mpm::{CommunityMessage, Message, Version};
use snmp_smi::{BasicPdu, Oid, Pdu, Value, VarBind, oid};

/// The sizes benchmarked.
pub(crate) const SIZES: [usize; 3] = [1, 10, 50];

/// The file holding the `n`-binding Response.
pub(crate) fn path(root: &Path, n: usize) -> std::path::PathBuf {
    root.join(format!("testdata/bench/v2c-response-{n}.ber"))
}

/// A Response of `n` bindings cycling through the common types of an ifTable row.
pub(crate) fn response(n: usize) -> Message {
    const IF_ENTRY: Oid = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1);
    let varbinds = (0..n)
        .map(|i| {
            let row = u32::try_from(i / 8 + 1).unwrap_or(u32::MAX);
            let (column, value) = match i % 8 {
                0 => (2, Value::from(format!("GigabitEthernet0/{row}"))),
                1 => (3, Value::Integer(6)),
                2 => (5, Value::Gauge32(1_000_000_000)),
                3 => (
                    6,
                    Value::OctetString(Bytes::from_static(&[0x00, 0x1b, 0x21, 0x3c, 0x9a, 0x10])),
                ),
                4 => (9, Value::TimeTicks(123_456_789)),
                5 => (10, Value::Counter32(3_000_000_000)),
                6 => (22, Value::ObjectIdentifier(oid!(0, 0))),
                _ => (16, Value::Counter32(42)),
            };
            let name = IF_ENTRY.extend(&[column, row]).unwrap_or_default();
            VarBind::new(name, value)
        })
        .collect();
    Message::Community(CommunityMessage {
        version: Version::V2c,
        community: Bytes::from_static(b"public"),
        pdu: Pdu::Response(BasicPdu::new(1_234_567, varbinds)),
    })
}

/// Writes the fixtures, or with `check` verifies that the committed ones are current.
pub(crate) fn run(root: &Path, check: bool) -> Result<(), String> {
    for n in SIZES {
        let wire = response(n).to_bytes().map_err(|e| e.to_string())?;
        let file = path(root, n);
        if check {
            let on_disk = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            if on_disk != wire[..] {
                return Err(format!(
                    "{} is stale: run cargo xtask fixtures",
                    file.display()
                ));
            }
        } else {
            std::fs::write(&file, &wire).map_err(|e| format!("{}: {e}", file.display()))?;
            println!("wrote {} ({} octets)", file.display(), wire.len());
        }
    }
    Ok(())
}
