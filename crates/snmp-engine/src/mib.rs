//! The instrumentation seam of the command responder: the [`MibHandler`] trait a subtree's
//! code implements, and the [`Mib`] registration tree that orders handlers so GETNEXT and
//! GETBULK walk across them lexicographically.

use std::fmt;
use std::net::SocketAddr;
use std::time::Instant;

use snmp_mpm::{SecurityLevel, Version};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};
use snmp_vacm::SecurityModel;

/// Who asks, and in which context: what a handler may base its answer on.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct RequestInfo<'a> {
    /// The driver's clock when the request arrived.
    pub now: Instant,
    /// Where the request came from.
    pub peer: SocketAddr,
    /// The message version.
    pub version: Version,
    /// The security model (SNMPv1, SNMPv2c or USM).
    pub security_model: SecurityModel,
    /// The security name: the community's securityName, or the USM user name.
    pub security_name: &'a [u8],
    /// The security level the request came with.
    pub level: SecurityLevel,
    /// The context name (`""` is the default context).
    pub context_name: &'a [u8],
}

impl<'a> RequestInfo<'a> {
    /// Describes a request (the responder builds these; tests and other drivers may too).
    pub const fn new(
        now: Instant,
        peer: SocketAddr,
        version: Version,
        security_model: SecurityModel,
        security_name: &'a [u8],
        level: SecurityLevel,
        context_name: &'a [u8],
    ) -> Self {
        Self {
            now,
            peer,
            version,
            security_model,
            security_name,
            level,
            context_name,
        }
    }
}

/// A failed SET phase: the RFC 3416 error-status and the position, within the bindings the
/// handler was given, of the binding at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SetError {
    /// The error-status to answer (an SNMPv2 code; SNMPv1 requesters get it mapped by RFC 3584).
    pub status: ErrorStatus,
    /// The index, 0-based, in the slice the handler was given.
    pub index: usize,
}

impl SetError {
    /// `status` at the binding `index` of the handler's slice.
    pub const fn new(status: ErrorStatus, index: usize) -> Self {
        Self { status, index }
    }
}

/// The code behind one registered subtree. Every OID a method sees lies in the subtree it
/// was registered at (for [`get_next`](Self::get_next), at or after the root).
///
/// Reads: [`get`](Self::get) answers an instance or an exception, [`get_next`](Self::get_next)
/// the first instance after an OID. Writes follow RFC 3416 section 4.2.5's two phases: the
/// responder calls [`test_set`](Self::test_set) on every handler a SET touches, and only if
/// all pass, [`commit_set`](Self::commit_set) on each; if a commit fails, it calls
/// [`undo_set`](Self::undo_set) on those that committed. [`cleanup_set`](Self::cleanup_set)
/// ends every SET that reached `test_set`. A handler gets all its bindings of one SET at once
/// (a table sees a whole row creation together).
///
/// ```
/// use snmp_engine::{MibHandler, RequestInfo};
/// use snmp_smi::{Oid, Value, VarBind, oid};
///
/// /// One read-only scalar.
/// struct Answer;
///
/// impl MibHandler for Answer {
///     fn get(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Value {
///         if *oid == oid!(1, 3, 6, 1, 4, 1, 99999, 1, 0) {
///             Value::Integer(42)
///         } else {
///             Value::NoSuchObject
///         }
///     }
///
///     fn get_next(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
///         let instance = oid!(1, 3, 6, 1, 4, 1, 99999, 1, 0);
///         (*oid < instance).then(|| VarBind::new(instance, 42))
///     }
/// }
///
/// let mut mib = snmp_engine::Mib::new();
/// mib.register(oid!(1, 3, 6, 1, 4, 1, 99999), Answer)?;
/// # Ok::<(), snmp_engine::RegisterError>(())
/// ```
pub trait MibHandler: Send {
    /// The value of the instance `oid`: [`Value::NoSuchObject`] when no object of the handler
    /// has that OID as an instance, [`Value::NoSuchInstance`] when the object exists but not
    /// this instance.
    fn get(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Value;

    /// The first instance lexicographically after `oid` in the handler's subtree, with its
    /// value; `None` when there is none.
    fn get_next(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind>;

    /// SET phase one: checks every binding (type, length, value, creatability) and reserves
    /// what a commit needs. The default refuses: `notWritable` at the first binding.
    ///
    /// # Errors
    /// The first binding that cannot be set, with the RFC 3416 status (wrongType,
    /// wrongLength, wrongValue, noCreation, inconsistentValue, notWritable,
    /// resourceUnavailable...).
    fn test_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        let _ = (info, varbinds);
        Err(SetError::new(ErrorStatus::NOT_WRITABLE, 0))
    }

    /// SET phase two: applies the bindings that passed [`test_set`](Self::test_set).
    ///
    /// # Errors
    /// The binding that could not be applied (the responder answers commitFailed, or
    /// undoFailed if undoing the others fails too).
    fn commit_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        let _ = (info, varbinds);
        Ok(())
    }

    /// Reverts a [`commit_set`](Self::commit_set) after another handler's commit failed.
    ///
    /// # Errors
    /// The binding that could not be restored (the responder answers undoFailed).
    fn undo_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        let _ = (info, varbinds);
        Ok(())
    }

    /// Ends a SET, whatever its outcome: frees what `test_set` reserved.
    fn cleanup_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) {
        let _ = (info, varbinds);
    }
}

/// Why a handler could not be registered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The subtree overlaps one registered before (the same, inside it, or around it).
    #[error("subtree {new} overlaps the registered subtree {existing}")]
    Overlap {
        /// The subtree asked for (boxed: an `Oid` is large, errors small).
        new: Box<Oid>,
        /// The registration in the way.
        existing: Box<Oid>,
    },
    /// The empty OID cannot be registered.
    #[error("the empty OID cannot be registered")]
    Empty,
}

/// What a registration points at.
pub(crate) enum Entry {
    /// A user's handler.
    Handler(Box<dyn MibHandler>),
    /// One of the engine's own groups, answered from its state.
    Builtin,
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Handler(_) => f.write_str("Handler"),
            Self::Builtin => f.write_str("Builtin"),
        }
    }
}

/// The handlers of one context, by subtree, in OID order; subtrees never overlap.
///
/// ```
/// use snmp_engine::{Mib, MibHandler, RegisterError, RequestInfo};
/// use snmp_smi::{Oid, Value, VarBind, oid};
///
/// struct Nothing;
/// impl MibHandler for Nothing {
///     fn get(&mut self, _: &RequestInfo<'_>, _: &Oid) -> Value { Value::NoSuchObject }
///     fn get_next(&mut self, _: &RequestInfo<'_>, _: &Oid) -> Option<VarBind> { None }
/// }
///
/// let mut mib = Mib::new();
/// mib.register(oid!(1, 3, 6, 1, 4, 1, 99999), Nothing)?;
/// assert!(matches!(
///     mib.register(oid!(1, 3, 6, 1, 4, 1, 99999, 2), Nothing),
///     Err(RegisterError::Overlap { .. })
/// ));
/// assert!(mib.unregister(&oid!(1, 3, 6, 1, 4, 1, 99999)));
/// # Ok::<(), RegisterError>(())
/// ```
#[derive(Debug, Default)]
pub struct Mib {
    entries: Vec<(Oid, Entry)>,
}

impl Mib {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves the subtree `root` with `handler`.
    ///
    /// # Errors
    /// [`RegisterError::Overlap`] if `root` is, contains or lies in a registered subtree;
    /// [`RegisterError::Empty`] for the empty OID.
    pub fn register(
        &mut self,
        root: Oid,
        handler: impl MibHandler + 'static,
    ) -> Result<(), RegisterError> {
        self.insert(root, Entry::Handler(Box::new(handler)))
    }

    /// [`register`](Self::register) for a handler already boxed.
    ///
    /// # Errors
    /// As [`register`](Self::register).
    pub fn register_boxed(
        &mut self,
        root: Oid,
        handler: Box<dyn MibHandler>,
    ) -> Result<(), RegisterError> {
        self.insert(root, Entry::Handler(handler))
    }

    /// Removes the handler registered at exactly `root`; whether there was one.
    pub fn unregister(&mut self, root: &Oid) -> bool {
        match self.entries.binary_search_by(|(r, _)| r.cmp(root)) {
            Ok(i) => {
                self.entries.remove(i);
                true
            }
            Err(_) => false,
        }
    }

    /// The registered subtrees, in order.
    pub fn subtrees(&self) -> impl Iterator<Item = &Oid> {
        self.entries.iter().map(|(r, _)| r)
    }

    pub(crate) fn insert(&mut self, root: Oid, entry: Entry) -> Result<(), RegisterError> {
        if root.is_empty() {
            return Err(RegisterError::Empty);
        }
        let i = match self.entries.binary_search_by(|(r, _)| r.cmp(&root)) {
            Ok(i) => {
                return Err(self.overlap(root, i));
            }
            Err(i) => i,
        };
        // The one before could contain it; the one after could lie inside it.
        if let Some(before) = i.checked_sub(1)
            && self
                .entries
                .get(before)
                .is_some_and(|(r, _)| root.starts_with(r))
        {
            return Err(self.overlap(root, before));
        }
        if self
            .entries
            .get(i)
            .is_some_and(|(r, _)| r.starts_with(&root))
        {
            return Err(self.overlap(root, i));
        }
        self.entries.insert(i, (root, entry));
        Ok(())
    }

    fn overlap(&self, new: Oid, i: usize) -> RegisterError {
        let existing = self
            .entries
            .get(i)
            .map(|(r, _)| r.clone())
            .unwrap_or_default();
        RegisterError::Overlap {
            new: Box::new(new),
            existing: Box::new(existing),
        }
    }

    /// The position of the registration whose subtree holds `oid`.
    pub(crate) fn find(&self, oid: &Oid) -> Option<usize> {
        let i = match self.entries.binary_search_by(|(r, _)| r.cmp(oid)) {
            Ok(i) => return Some(i),
            Err(0) => return None,
            Err(i) => i - 1,
        };
        self.entries
            .get(i)
            .filter(|(r, _)| oid.starts_with(r))
            .map(|_| i)
    }

    /// The first registration that could hold an instance after `oid`: the one whose subtree
    /// holds it, or else the first one after it.
    pub(crate) fn first_from(&self, oid: &Oid) -> usize {
        match self.entries.binary_search_by(|(r, _)| r.cmp(oid)) {
            Ok(i) => i,
            Err(i) => match i.checked_sub(1) {
                Some(before)
                    if self
                        .entries
                        .get(before)
                        .is_some_and(|(r, _)| oid.starts_with(r)) =>
                {
                    before
                }
                _ => i,
            },
        }
    }

    pub(crate) fn entry_mut(&mut self, i: usize) -> Option<(&Oid, &mut Entry)> {
        self.entries.get_mut(i).map(|(r, e)| (&*r, e))
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use snmp_smi::oid;

    use super::*;

    struct Nothing;
    impl MibHandler for Nothing {
        fn get(&mut self, _: &RequestInfo<'_>, _: &Oid) -> Value {
            Value::NoSuchObject
        }
        fn get_next(&mut self, _: &RequestInfo<'_>, _: &Oid) -> Option<VarBind> {
            None
        }
    }

    #[test]
    fn registrations_stay_sorted_and_disjoint() {
        let mut mib = Mib::new();
        mib.register(oid!(1, 3, 6, 1, 2, 1, 2), Nothing).unwrap();
        mib.register(oid!(1, 3, 6, 1, 2, 1, 1), Nothing).unwrap();
        mib.register(oid!(1, 3, 6, 1, 4, 1), Nothing).unwrap();
        let roots: Vec<String> = mib.subtrees().map(ToString::to_string).collect();
        assert_eq!(roots, ["1.3.6.1.2.1.1", "1.3.6.1.2.1.2", "1.3.6.1.4.1"]);
        for (bad, existing) in [
            (oid!(1, 3, 6, 1, 2, 1, 1), "1.3.6.1.2.1.1"),
            (oid!(1, 3, 6, 1, 2, 1, 1, 5), "1.3.6.1.2.1.1"),
            (oid!(1, 3, 6, 1, 2), "1.3.6.1.2.1.1"),
            (oid!(1, 3, 6, 1, 4, 1, 9), "1.3.6.1.4.1"),
        ] {
            match mib.register(bad.clone(), Nothing) {
                Err(RegisterError::Overlap { new, existing: e }) => {
                    assert_eq!(*new, bad);
                    assert_eq!(e.to_string(), existing);
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(
            mib.register(Oid::default(), Nothing),
            Err(RegisterError::Empty)
        );
        mib.register(oid!(1, 3, 6, 1, 2, 1, 3), Nothing).unwrap();
        assert_eq!(mib.len(), 4);
    }

    #[test]
    fn find_and_first_from() {
        let mut mib = Mib::new();
        mib.register(oid!(1, 3, 6, 1, 2, 1, 1), Nothing).unwrap();
        mib.register(oid!(1, 3, 6, 1, 2, 1, 4), Nothing).unwrap();
        assert_eq!(mib.find(&oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)), Some(0));
        assert_eq!(mib.find(&oid!(1, 3, 6, 1, 2, 1, 1)), Some(0));
        assert_eq!(mib.find(&oid!(1, 3, 6, 1, 2, 1, 2, 1)), None);
        assert_eq!(mib.find(&oid!(1, 3, 6, 1, 2, 1)), None);
        assert_eq!(mib.find(&oid!(1, 3, 6, 1, 2, 1, 4, 20)), Some(1));
        assert_eq!(mib.first_from(&oid!(1)), 0);
        assert_eq!(mib.first_from(&oid!(1, 3, 6, 1, 2, 1, 1, 9)), 0);
        assert_eq!(mib.first_from(&oid!(1, 3, 6, 1, 2, 1, 2)), 1);
        assert_eq!(mib.first_from(&oid!(1, 3, 6, 1, 2, 1, 4)), 1);
        assert_eq!(mib.first_from(&oid!(1, 3, 6, 1, 2, 1, 5)), 2);
        assert!(mib.unregister(&oid!(1, 3, 6, 1, 2, 1, 1)));
        assert!(!mib.unregister(&oid!(1, 3, 6, 1, 2, 1, 1)));
        assert_eq!(mib.find(&oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)), None);
    }
}
