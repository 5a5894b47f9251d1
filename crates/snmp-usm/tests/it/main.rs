//! Integration tests of snmp-usm: the published and cross-checked vectors of
//! `../shared/vectors.txt`, real captured messages, and property tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod captures;
mod proptests;
mod vectors;

/// Octets from hex digits, ignoring spaces.
fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(digits.len().is_multiple_of(2), "odd hex: {s}");
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}
