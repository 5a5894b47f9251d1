//! Scalar objects: one instance each, `object.0`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use snmp_engine::{MibHandler, RequestInfo, SetError};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};

use super::syntax::{Access, Syntax, lock};

/// An application check of a value about to be written.
type Validator = Arc<dyn Fn(&Value) -> Result<(), ErrorStatus> + Send + Sync>;

/// One scalar object's value, shared between the agent and the application: clones see
/// the same value, so the application reads what managers SET and updates what they GET
/// while the agent runs.
///
/// ```
/// use snmp_hlapi::instrument::{Scalar, Syntax};
/// use snmp_hlapi::{ErrorStatus, Value};
///
/// let contact = Scalar::read_write("ops", Syntax::display_string())
///     .validate(|v| match v.as_bytes() {
///         Some(b) if b.is_ascii() => Ok(()),
///         _ => Err(ErrorStatus::WRONG_VALUE),
///     });
/// let seen_by_app = contact.clone();
/// contact.set("noc");
/// assert_eq!(seen_by_app.value(), Value::from("noc"));
/// ```
#[derive(Clone)]
pub struct Scalar {
    value: Arc<Mutex<Value>>,
    access: Access,
    syntax: Option<Syntax>,
    validator: Option<Validator>,
}

impl Scalar {
    /// A read-only object: a SET of it is notWritable.
    pub fn read_only(value: impl Into<Value>) -> Self {
        Self {
            value: Arc::new(Mutex::new(value.into())),
            access: Access::ReadOnly,
            syntax: None,
            validator: None,
        }
    }

    /// A read-write object whose SET values must fit `syntax` (wrongType, wrongLength,
    /// wrongValue otherwise).
    pub fn read_write(value: impl Into<Value>, syntax: Syntax) -> Self {
        Self {
            value: Arc::new(Mutex::new(value.into())),
            access: Access::ReadWrite,
            syntax: Some(syntax),
            validator: None,
        }
    }

    /// Adds a check of the values a SET writes, run after the syntax's: its error-status
    /// (usually wrongValue or inconsistentValue) fails the SET.
    #[must_use]
    pub fn validate(
        mut self,
        check: impl Fn(&Value) -> Result<(), ErrorStatus> + Send + Sync + 'static,
    ) -> Self {
        self.validator = Some(Arc::new(check));
        self
    }

    /// The current value.
    pub fn value(&self) -> Value {
        lock(&self.value).clone()
    }

    /// Replaces the value (no check: the application knows its data).
    pub fn set(&self, value: impl Into<Value>) {
        *lock(&self.value) = value.into();
    }

    /// The checks of a SET of `value`, instance aside.
    fn check(&self, value: &Value) -> Result<(), ErrorStatus> {
        if !self.access.is_writable() {
            return Err(ErrorStatus::NOT_WRITABLE);
        }
        if let Some(syntax) = &self.syntax {
            syntax.check(value)?;
        }
        Ok(())
    }

    fn replace(&self, value: Value) -> Value {
        core::mem::replace(&mut *lock(&self.value), value)
    }
}

impl fmt::Debug for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scalar")
            .field("value", &self.value())
            .field("access", &self.access)
            .field("syntax", &self.syntax)
            .finish_non_exhaustive()
    }
}

/// One object of a [`Scalars`] group.
enum Object {
    Stored(Scalar),
    Computed(Box<dyn Fn() -> Value + Send>),
}

impl Object {
    fn value(&self) -> Value {
        match self {
            Self::Stored(s) => s.value(),
            Self::Computed(f) => f(),
        }
    }
}

/// The handler of a group of scalar objects under one root: object `root.arc` has the one
/// instance `root.arc.0`.
///
/// GET of an unknown object is noSuchObject; of a known one without the `.0` or with more
/// arcs, noSuchInstance. SET of an unknown or read-only object is notWritable; of a writable
/// one, the value is checked (wrongType, wrongLength, wrongValue, then the validator), then
/// the instance (anything but `.0` is noCreation), and a commit keeps the old value for undo.
///
/// ```
/// use snmp_hlapi::instrument::{Scalar, Scalars, Syntax};
/// use snmp_hlapi::{Value, oid};
///
/// let name = Scalar::read_write("router", Syntax::display_string());
/// let group = Scalars::new(oid!(1, 3, 6, 1, 4, 1, 99999, 1))
///     .object(1, name.clone())
///     .computed(2, || Value::Gauge32(42));
/// assert_eq!(group.root(), &oid!(1, 3, 6, 1, 4, 1, 99999, 1));
/// ```
pub struct Scalars {
    root: Oid,
    objects: BTreeMap<u32, Object>,
    /// The values the last commit replaced, in order.
    undo: Vec<(u32, Value)>,
}

impl Scalars {
    /// An empty group under `root` (register the handler at `root`).
    pub fn new(root: Oid) -> Self {
        Self {
            root,
            objects: BTreeMap::new(),
            undo: Vec::new(),
        }
    }

    /// Adds the object `root.arc` (replacing one at the same arc).
    #[must_use]
    pub fn object(mut self, arc: u32, scalar: Scalar) -> Self {
        self.objects.insert(arc, Object::Stored(scalar));
        self
    }

    /// Adds the read-only object `root.arc`, whose value `value` computes on each read.
    #[must_use]
    pub fn computed(mut self, arc: u32, value: impl Fn() -> Value + Send + 'static) -> Self {
        self.objects.insert(arc, Object::Computed(Box::new(value)));
        self
    }

    /// The root of the group.
    pub fn root(&self) -> &Oid {
        &self.root
    }

    /// The writable object a binding sets, after every check.
    fn target(&self, vb: &VarBind) -> Result<(u32, &Scalar), ErrorStatus> {
        let suffix = vb.oid.strip_prefix(&self.root).unwrap_or_default();
        let Some((&arc, instance)) = suffix.split_first() else {
            return Err(ErrorStatus::NOT_WRITABLE);
        };
        let Some(Object::Stored(scalar)) = self.objects.get(&arc) else {
            return Err(ErrorStatus::NOT_WRITABLE);
        };
        scalar.check(&vb.value)?;
        if instance != [0] {
            return Err(ErrorStatus::NO_CREATION);
        }
        if let Some(validator) = &scalar.validator {
            validator(&vb.value)?;
        }
        Ok((arc, scalar))
    }
}

impl fmt::Debug for Scalars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scalars")
            .field("root", &self.root)
            .field("objects", &self.objects.keys())
            .finish_non_exhaustive()
    }
}

impl MibHandler for Scalars {
    fn get(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Value {
        let suffix = oid.strip_prefix(&self.root).unwrap_or_default();
        let Some((arc, instance)) = suffix.split_first() else {
            return Value::NoSuchObject;
        };
        match self.objects.get(arc) {
            None => Value::NoSuchObject,
            Some(object) if instance == [0] => object.value(),
            Some(_) => Value::NoSuchInstance,
        }
    }

    fn get_next(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        self.objects.iter().find_map(|(&arc, object)| {
            let instance = self.root.extend(&[arc, 0]).ok()?;
            (instance > *oid).then(|| VarBind::new(instance, object.value()))
        })
    }

    fn test_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        for (i, vb) in varbinds.iter().enumerate() {
            self.target(vb).map_err(|status| SetError::new(status, i))?;
        }
        Ok(())
    }

    fn commit_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        self.undo.clear();
        for (i, vb) in varbinds.iter().enumerate() {
            let (arc, scalar) = self
                .target(vb)
                .map_err(|_| SetError::new(ErrorStatus::COMMIT_FAILED, i))?;
            let old = scalar.replace(vb.value.clone());
            self.undo.push((arc, old));
        }
        Ok(())
    }

    fn undo_set(&mut self, _: &RequestInfo<'_>, _: &[VarBind]) -> Result<(), SetError> {
        while let Some((arc, old)) = self.undo.pop() {
            if let Some(Object::Stored(scalar)) = self.objects.get(&arc) {
                scalar.replace(old);
            }
        }
        Ok(())
    }

    fn cleanup_set(&mut self, _: &RequestInfo<'_>, _: &[VarBind]) {
        self.undo.clear();
    }
}

#[cfg(test)]
mod tests {
    use snmp_smi::oid;

    use super::super::tests::info;
    use super::*;

    const ROOT: Oid = oid!(1, 3, 6, 1, 4, 1, 99999, 1);

    fn group() -> (Scalars, Scalar) {
        let name = Scalar::read_write("router", Syntax::octet_string().size(1, 8)).validate(|v| {
            match v.as_bytes() {
                Some(b"forbidden") | Some(b"bad") => Err(ErrorStatus::INCONSISTENT_VALUE),
                _ => Ok(()),
            }
        });
        let group = Scalars::new(ROOT)
            .object(1, name.clone())
            .object(3, Scalar::read_only(Value::Integer(7)))
            .computed(5, || Value::TimeTicks(100));
        (group, name)
    }

    fn at(arcs: &[u32]) -> Oid {
        ROOT.extend(arcs).unwrap()
    }

    #[test]
    fn get_answers_instances_and_exceptions() {
        let (mut g, name) = group();
        let info = info();
        assert_eq!(g.get(&info, &at(&[1, 0])), Value::from("router"));
        assert_eq!(g.get(&info, &at(&[3, 0])), Value::Integer(7));
        assert_eq!(g.get(&info, &at(&[5, 0])), Value::TimeTicks(100));
        assert_eq!(g.get(&info, &at(&[1])), Value::NoSuchInstance);
        assert_eq!(g.get(&info, &at(&[1, 0, 0])), Value::NoSuchInstance);
        assert_eq!(g.get(&info, &at(&[1, 1])), Value::NoSuchInstance);
        assert_eq!(g.get(&info, &at(&[2, 0])), Value::NoSuchObject);
        assert_eq!(g.get(&info, &ROOT), Value::NoSuchObject);
        name.set("core");
        assert_eq!(g.get(&info, &at(&[1, 0])), Value::from("core"));
    }

    #[test]
    fn get_next_walks_in_order() {
        let (mut g, _) = group();
        let info = info();
        let mut walked = Vec::new();
        let mut cursor = ROOT;
        while let Some(vb) = g.get_next(&info, &cursor) {
            cursor = vb.oid.clone();
            walked.push(vb);
        }
        let oids: Vec<Oid> = walked.iter().map(|vb| vb.oid.clone()).collect();
        assert_eq!(oids, [at(&[1, 0]), at(&[3, 0]), at(&[5, 0])]);
        assert_eq!(g.get_next(&info, &at(&[1])).unwrap().oid, at(&[1, 0]));
        assert_eq!(g.get_next(&info, &at(&[1, 0, 5])).unwrap().oid, at(&[3, 0]));
        assert_eq!(g.get_next(&info, &at(&[4, 99])).unwrap().oid, at(&[5, 0]));
        assert!(g.get_next(&info, &at(&[5, 0])).is_none());
    }

    #[test]
    fn set_errors() {
        let (mut g, name) = group();
        let info = info();
        let cases = [
            (VarBind::new(at(&[1, 0]), 5), ErrorStatus::WRONG_TYPE),
            (VarBind::new(at(&[1, 0]), ""), ErrorStatus::WRONG_LENGTH),
            (
                VarBind::new(at(&[1, 0]), "123456789"),
                ErrorStatus::WRONG_LENGTH,
            ),
            (
                VarBind::new(at(&[1, 0]), "bad"),
                ErrorStatus::INCONSISTENT_VALUE,
            ),
            (VarBind::new(at(&[1]), "x"), ErrorStatus::NO_CREATION),
            (VarBind::new(at(&[1, 1]), "x"), ErrorStatus::NO_CREATION),
            (VarBind::new(at(&[3, 0]), 8), ErrorStatus::NOT_WRITABLE),
            (
                VarBind::new(at(&[5, 0]), Value::TimeTicks(1)),
                ErrorStatus::NOT_WRITABLE,
            ),
            (VarBind::new(at(&[9, 0]), 1), ErrorStatus::NOT_WRITABLE),
        ];
        for (vb, status) in cases {
            let good = VarBind::new(at(&[1, 0]), "ok");
            assert_eq!(
                g.test_set(&info, &[good, vb.clone()]),
                Err(SetError::new(status, 1)),
                "{vb}"
            );
        }
        assert_eq!(name.value(), Value::from("router"));
    }

    #[test]
    fn commit_then_undo_restores() {
        let (mut g, name) = group();
        let info = info();
        let set = [
            VarBind::new(at(&[1, 0]), "first"),
            VarBind::new(at(&[1, 0]), "second"),
        ];
        g.test_set(&info, &set).unwrap();
        g.commit_set(&info, &set).unwrap();
        assert_eq!(name.value(), Value::from("second"));
        assert_eq!(g.get(&info, &at(&[1, 0])), Value::from("second"));
        g.undo_set(&info, &set).unwrap();
        g.cleanup_set(&info, &set);
        assert_eq!(name.value(), Value::from("router"));

        let set = [VarBind::new(at(&[1, 0]), "kept")];
        g.test_set(&info, &set).unwrap();
        g.commit_set(&info, &set).unwrap();
        g.cleanup_set(&info, &set);
        // An undo after cleanup has nothing left to revert.
        g.undo_set(&info, &set).unwrap();
        assert_eq!(name.value(), Value::from("kept"));
    }
}
