//! Helpers on response bindings (PySNMP's `is_end_of_mib` and exception checks).

use snmp_smi::{Value, VarBind};

/// What a binding of a response says beyond its value: the RFC 3416 exceptions.
///
/// ```
/// use snmp_hlapi::{Value, VarBind, VarBindExt, oid};
///
/// let vb = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 9, 0), Value::NoSuchInstance);
/// assert!(vb.is_exception());
/// assert!(!vb.is_end_of_mib());
/// ```
pub trait VarBindExt {
    /// Whether the value is `noSuchObject`, `noSuchInstance` or `endOfMibView`.
    fn is_exception(&self) -> bool;
    /// Whether the value is `endOfMibView`.
    fn is_end_of_mib(&self) -> bool;
}

impl VarBindExt for VarBind {
    fn is_exception(&self) -> bool {
        self.value.is_exception()
    }

    fn is_end_of_mib(&self) -> bool {
        matches!(self.value, Value::EndOfMibView)
    }
}

/// Whether a GETNEXT or GETBULK response says there is nothing more to read: every binding is
/// `endOfMibView` (as PySNMP's `is_end_of_mib`, true of no bindings at all).
///
/// ```
/// use snmp_hlapi::{Value, VarBind, is_end_of_mib, oid};
///
/// let end = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 9, 0), Value::EndOfMibView);
/// assert!(is_end_of_mib(&[end.clone(), end]));
/// ```
pub fn is_end_of_mib(varbinds: &[VarBind]) -> bool {
    varbinds.iter().all(VarBindExt::is_end_of_mib)
}
