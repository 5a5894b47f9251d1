//! The SNMP MIB compiler and resolver: SMIv1 and SMIv2 modules (RFC 1155, 1212, 1215,
//! RFC 2578-2580) read from a search path of directories, their IMPORTS followed, and every
//! definition placed in one OID tree with what its module says about it.
//!
//! - [`Loader`] indexes the search path by module name (the name in `NAME DEFINITIONS ::=
//!   BEGIN`, whatever the file is called) and parses modules with what they import.
//! - [`MibCache`] keeps the compiled tree on disk (`~/.cache/snmp-rs/` by default), keyed by
//!   the source files' names, sizes and modification times: [`Mib::load_cached`] reads the 464
//!   IETF modules back in tens of milliseconds, and compiles them again when a file changed.
//! - `Mib::ietf()` (feature `ietf`) gives the 464 IETF and IANA modules compiled in, without
//!   their DESCRIPTION texts: names and formats with no MIB file on the host.
//! - [`Mib`] is the resolved tree: [`Mib::resolve`] turns `SNMPv2-MIB::sysDescr.0`,
//!   `sysDescr.0` or `.1.3.6.1.2.1.1.1.0` into an [`Oid`](snmp_smi::Oid);
//!   [`Mib::name_of`] and [`Mib::format_oid`] go back, as net-snmp's `snmptranslate` does.
//! - [`Object`] holds one node's facts: syntax, textual-convention chain, base type, access,
//!   status, enumerations, units, DISPLAY-HINT, INDEX (with IMPLIED), AUGMENTS, DEFVAL.
//! - [`format_octets`] and [`format_integer`] show values as a DISPLAY-HINT says (RFC 2579);
//!   [`Mib::format_value`] shows a received value as net-snmp's tools do (enumeration labels,
//!   BITS names, DISPLAY-HINT, UNITS, TimeTicks, under a [`ValueFormat`]), and
//!   [`Mib::parse_value`] reads one from text as `snmpset OID = TEXT` does.
//! - [`Mib::index_kinds`], [`Mib::decode_instance`], [`decode_index`] and [`encode_index`] read
//!   and write table instances (RFC 2578 section 7.7).
//!
//! The parser is as lenient as net-snmp with the mistakes vendor MIBs make (missing commas,
//! clauses out of order, undeclared imports), and its errors name the file, line and column.
//! No input makes it panic.

mod cache;
mod error;
mod hint;
mod ietf;
mod index;
mod lexer;
mod loader;
mod mib;
mod model;
mod parser;
mod value;

pub use cache::{CacheOutcome, MibCache};
pub use error::{MibError, ParseError, ResolveError};
pub use hint::{format_integer, format_octets};
pub use index::{IndexKind, IndexValue, decode_index, encode_index, format_inet_address};
pub use loader::Loader;
pub use mib::{Mib, Object, OidFormat};
pub use model::{Access, BaseType, IndexPart, ObjectKind, Range, Status, Syntax, TypeRef};
pub use value::{StringFormat, ValueError, ValueFormat, format_plain_value, parse_base_value};

/// Entry points for the fuzz targets (built with `--cfg fuzzing` only).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    /// Parses `text` as MIB modules and resolves them; must never panic.
    pub fn parse_and_resolve(text: &str) {
        if let Ok(modules) = crate::parser::parse(text, std::path::Path::new("fuzz")) {
            let refs: Vec<&crate::parser::Module> = modules.iter().collect();
            let mib = crate::mib::Mib::build(&refs, &[]);
            for o in mib.objects() {
                let _ = mib.format_oid(&o.oid, crate::OidFormat::Full);
                let _ = mib.resolve(&o.name);
            }
        }
    }
}
