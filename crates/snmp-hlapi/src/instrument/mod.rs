//! The agent's MIB instrumentation: ready-made [`MibHandler`](snmp_engine::MibHandler)s
//! for the two shapes of SMI objects, to register in a [`Mib`](snmp_engine::Mib).
//!
//! - [`Scalars`]: a group of scalar objects under one root, each a [`Scalar`] value shared
//!   with the application (or computed on each read), writable ones checked by a
//!   [`Syntax`] and an optional validator.
//! - [`Table`]: a conceptual table kept in memory, its rows in index order (the INDEX
//!   clause's [`IndexSyntax`]es, RFC 2578 section 7.7), shared with the application through
//!   [`TableRows`], with row creation and deletion by a [`RowStatus`] column (RFC 2579).
//!
//! Both check all their bindings of a SET in `test_set`, apply them in `commit_set` and
//! restore the previous values in `undo_set`.
//!
//! ```
//! use snmp_engine::Mib;
//! use snmp_hlapi::instrument::{
//!     Access, Column, IndexSyntax, Scalar, Scalars, Syntax, Table,
//! };
//! use snmp_hlapi::{Value, oid};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // One writable scalar: 1.3.6.1.4.1.99999.1.1.0, a DisplayString.
//! let greeting = Scalar::read_write("hello", Syntax::display_string());
//! let scalars = Scalars::new(oid!(1, 3, 6, 1, 4, 1, 99999, 1)).object(1, greeting.clone());
//!
//! // One table: INDEX { name }, a read-create counter limit with a DEFVAL, a RowStatus.
//! let table = Table::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1))
//!     .index_column(1, IndexSyntax::ImpliedOctetString, Access::NotAccessible)
//!     .column(2, Column::new(Syntax::gauge32(), Access::ReadCreate).default_value(Value::Gauge32(10)))
//!     .row_status(3);
//! let rows = table.rows();
//! rows.insert_row(&["eth0".into()], [(2, Value::Gauge32(100))])?;
//!
//! let mut mib = Mib::new();
//! mib.register(scalars.root().clone(), scalars)?;
//! mib.register(table.entry().clone(), table)?;
//!
//! // The application keeps its handles: `greeting.value()`, `rows.indexes()`...
//! assert_eq!(greeting.value(), Value::from("hello"));
//! assert_eq!(rows.len(), 1);
//! # Ok(())
//! # }
//! ```

mod asynchronous;
mod index;
mod row_status;
mod scalar;
mod syntax;
mod table;

pub use asynchronous::{Async, AsyncMibHandler, HandlerFuture};
pub use index::{IndexError, IndexSyntax, IndexValue, decode_index, encode_index};
pub use row_status::RowStatus;
pub use scalar::{Scalar, Scalars};
pub use syntax::{Access, Syntax};
pub use table::{Column, Table, TableRows};

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddr};
    use std::time::Instant;

    use snmp_engine::RequestInfo;
    use snmp_mpm::{SecurityLevel, Version};
    use snmp_vacm::SecurityModel;

    /// A v2c request from loopback, for calling handlers directly.
    #[allow(clippy::disallowed_methods)] // a test's clock
    pub(super) fn info() -> RequestInfo<'static> {
        RequestInfo::new(
            Instant::now(),
            SocketAddr::from((Ipv4Addr::LOCALHOST, 50_000)),
            Version::V2c,
            SecurityModel::V2c,
            b"private",
            SecurityLevel::NoAuthNoPriv,
            b"",
        )
    }
}
