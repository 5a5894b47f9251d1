//! Handlers written with `async fn`: [`AsyncMibHandler`], served through [`Async`].

use std::future::Future;
use std::pin::Pin;

use snmp_engine::{MibHandler, RequestInfo, SetError};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};
use tokio::runtime::{Handle, RuntimeFlavor};

/// A boxed future of an [`AsyncMibHandler`] method.
pub type HandlerFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A [`MibHandler`] whose methods are asynchronous: they may await a database, another
/// device or a file while the agent answers a request. Wrap it in [`Async`] to register it.
///
/// Each method returns a boxed future (write `Box::pin(async move { ... })`); the meanings
/// are those of [`MibHandler`]'s methods.
///
/// ```
/// use snmp_engine::RequestInfo;
/// use snmp_hlapi::instrument::{AsyncMibHandler, HandlerFuture};
/// use snmp_hlapi::{Oid, Value, VarBind, oid};
///
/// /// A temperature read from somewhere slow.
/// struct Temperature;
///
/// const INSTANCE: Oid = oid!(1, 3, 6, 1, 4, 1, 99999, 5, 1, 0);
///
/// impl AsyncMibHandler for Temperature {
///     fn get<'a>(&'a mut self, _: &'a RequestInfo<'a>, oid: &'a Oid) -> HandlerFuture<'a, Value> {
///         Box::pin(async move {
///             if *oid != INSTANCE {
///                 return Value::NoSuchObject;
///             }
///             tokio::time::sleep(std::time::Duration::from_millis(1)).await;
///             Value::Integer(21)
///         })
///     }
///
///     fn get_next<'a>(
///         &'a mut self,
///         info: &'a RequestInfo<'a>,
///         oid: &'a Oid,
///     ) -> HandlerFuture<'a, Option<VarBind>> {
///         Box::pin(async move {
///             if *oid >= INSTANCE {
///                 return None;
///             }
///             let value = self.get(info, &INSTANCE).await;
///             Some(VarBind::new(INSTANCE, value))
///         })
///     }
/// }
///
/// // Registered like any handler (the agent then needs a multi-threaded runtime).
/// let builder = snmp_hlapi::agent::Agent::builder()
///     .register_async(oid!(1, 3, 6, 1, 4, 1, 99999, 5), Temperature);
/// # drop(builder);
/// ```
pub trait AsyncMibHandler: Send {
    /// As [`MibHandler::get`].
    fn get<'a>(&'a mut self, info: &'a RequestInfo<'a>, oid: &'a Oid) -> HandlerFuture<'a, Value>;

    /// As [`MibHandler::get_next`].
    fn get_next<'a>(
        &'a mut self,
        info: &'a RequestInfo<'a>,
        oid: &'a Oid,
    ) -> HandlerFuture<'a, Option<VarBind>>;

    /// As [`MibHandler::test_set`]; the default refuses (notWritable).
    fn test_set<'a>(
        &'a mut self,
        info: &'a RequestInfo<'a>,
        varbinds: &'a [VarBind],
    ) -> HandlerFuture<'a, Result<(), SetError>> {
        let _ = (info, varbinds);
        Box::pin(async { Err(SetError::new(ErrorStatus::NOT_WRITABLE, 0)) })
    }

    /// As [`MibHandler::commit_set`].
    fn commit_set<'a>(
        &'a mut self,
        info: &'a RequestInfo<'a>,
        varbinds: &'a [VarBind],
    ) -> HandlerFuture<'a, Result<(), SetError>> {
        let _ = (info, varbinds);
        Box::pin(async { Ok(()) })
    }

    /// As [`MibHandler::undo_set`].
    fn undo_set<'a>(
        &'a mut self,
        info: &'a RequestInfo<'a>,
        varbinds: &'a [VarBind],
    ) -> HandlerFuture<'a, Result<(), SetError>> {
        let _ = (info, varbinds);
        Box::pin(async { Ok(()) })
    }

    /// As [`MibHandler::cleanup_set`].
    fn cleanup_set<'a>(
        &'a mut self,
        info: &'a RequestInfo<'a>,
        varbinds: &'a [VarBind],
    ) -> HandlerFuture<'a, ()> {
        let _ = (info, varbinds);
        Box::pin(async {})
    }
}

/// Serves an [`AsyncMibHandler`] as a [`MibHandler`]: each call runs the handler's future to
/// its end on the agent's Tokio runtime, which must be multi-threaded
/// ([`AgentBuilder::start`](crate::agent::AgentBuilder::start) checks; other requests wait
/// meanwhile, as they do for any handler, while the runtime's other tasks go on on its other
/// threads).
///
/// Outside a multi-threaded runtime the handler cannot run: a GET answers noSuchObject, a
/// GETNEXT passes the subtree over, a SET fails with genErr.
#[derive(Debug)]
#[allow(clippy::exhaustive_structs)] // a wrapper, by definition: `Async(handler)`
pub struct Async<H>(pub H);

/// The runtime to run a handler's future on, if it allows blocking in place.
fn runtime() -> Option<Handle> {
    Handle::try_current()
        .ok()
        .filter(|h| h.runtime_flavor() == RuntimeFlavor::MultiThread)
}

fn run<F: Future>(handle: &Handle, future: F) -> F::Output {
    tokio::task::block_in_place(|| handle.block_on(future))
}

impl<H: AsyncMibHandler> MibHandler for Async<H> {
    fn get(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Value {
        match runtime() {
            Some(h) => run(&h, self.0.get(info, oid)),
            None => Value::NoSuchObject,
        }
    }

    fn get_next(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        run(&runtime()?, self.0.get_next(info, oid))
    }

    fn test_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        match runtime() {
            Some(h) => run(&h, self.0.test_set(info, varbinds)),
            None => Err(SetError::new(ErrorStatus::GEN_ERR, 0)),
        }
    }

    fn commit_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        match runtime() {
            Some(h) => run(&h, self.0.commit_set(info, varbinds)),
            None => Err(SetError::new(ErrorStatus::GEN_ERR, 0)),
        }
    }

    fn undo_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        match runtime() {
            Some(h) => run(&h, self.0.undo_set(info, varbinds)),
            None => Err(SetError::new(ErrorStatus::GEN_ERR, 0)),
        }
    }

    fn cleanup_set(&mut self, info: &RequestInfo<'_>, varbinds: &[VarBind]) {
        if let Some(h) = runtime() {
            run(&h, self.0.cleanup_set(info, varbinds));
        }
    }
}
