//! A blocking manager, for programs without an async runtime (in the manner of
//! `reqwest::blocking`): [`Manager`] wraps the async [`crate::Manager`] with a
//! current-thread Tokio runtime of its own, and each call runs its request to completion
//! on the calling thread. Walks are iterators.
//!
//! ```no_run
//! use snmp_hlapi::blocking::Manager;
//! use snmp_hlapi::{Auth, Target, oid};
//!
//! let manager = Manager::new()?;
//! let agent: Target = "192.0.2.1:161".parse()?;
//! let public = Auth::community_v2c("public");
//! let descr = manager.get(&agent, &public, [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)])?;
//! println!("{}", descr[0]);
//! // The interfaces table, 25 rows a request.
//! for vb in manager.bulk_walk(&agent, &public, oid!(1, 3, 6, 1, 2, 1, 2, 2), 25) {
//!     println!("{}", vb?);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The calls must not be made from within an async runtime (they would block its thread):
//! there, use the async [`crate::Manager`].

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use snmp_smi::{Oid, VarBind};
use tokio::runtime::{Builder, Runtime};

use crate::{Auth, EngineId, Error, ManagerConfig, Target, WalkOptions};

/// A blocking SNMP manager: the operations of the async [`crate::Manager`] (GET, GETNEXT,
/// GETBULK, SET, walks), each run to its end before it returns.
///
/// It owns a current-thread Tokio runtime, which runs the manager's transports only while
/// a call is in progress; a request's retries and timeouts count from when it was sent.
/// Not `Clone`: share it by reference (it is `Sync`), or make one per thread.
///
/// # Panics
///
/// Every method panics if called from within an async runtime (Tokio's `block_on` refuses
/// to nest); so does dropping the manager there.
#[derive(Debug)]
pub struct Manager {
    runtime: Runtime,
    inner: crate::Manager,
}

impl Manager {
    /// A manager with the default [`ManagerConfig`], its socket bound.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`]: the runtime cannot be made or no socket can be bound.
    pub fn new() -> Result<Self, Error> {
        Self::with_config(&ManagerConfig::default())
    }

    /// A manager set up by `config`, its socket bound.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`]: the runtime cannot be made or the socket cannot be bound.
    pub fn with_config(config: &ManagerConfig) -> Result<Self, Error> {
        let runtime = Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e: io::Error| Error::Bind(Arc::new(e)))?;
        let inner = runtime.block_on(crate::Manager::with_config(config))?;
        Ok(Self { runtime, inner })
    }

    /// The async manager inside, for what this one does not offer. Its futures must be
    /// run with [`block_on`](Self::block_on): the transports live on this manager's runtime.
    pub fn as_async(&self) -> &crate::Manager {
        &self.inner
    }

    /// Runs `future` (an operation of [`as_async`](Self::as_async)) to its end on this
    /// manager's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// This manager's snmpEngineID.
    pub fn engine_id(&self) -> &EngineId {
        self.inner.engine_id()
    }

    /// The local addresses of the community transport's sockets.
    pub fn local_addrs(&self) -> &[SocketAddr] {
        self.inner.local_addrs()
    }

    /// GET (see [`crate::Manager::get`]).
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub fn get(
        &self,
        target: &Target,
        auth: &Auth,
        oids: impl IntoIterator<Item = Oid>,
    ) -> Result<Vec<VarBind>, Error> {
        self.block_on(self.inner.get(target, auth, oids))
    }

    /// GETNEXT (see [`crate::Manager::get_next`]).
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub fn get_next(
        &self,
        target: &Target,
        auth: &Auth,
        oids: impl IntoIterator<Item = Oid>,
    ) -> Result<Vec<VarBind>, Error> {
        self.block_on(self.inner.get_next(target, auth, oids))
    }

    /// GETBULK (see [`crate::Manager::get_bulk`]).
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub fn get_bulk(
        &self,
        target: &Target,
        auth: &Auth,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: impl IntoIterator<Item = Oid>,
    ) -> Result<Vec<VarBind>, Error> {
        self.block_on(
            self.inner
                .get_bulk(target, auth, non_repeaters, max_repetitions, oids),
        )
    }

    /// SET (see [`crate::Manager::set`]).
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub fn set(
        &self,
        target: &Target,
        auth: &Auth,
        varbinds: impl IntoIterator<Item = VarBind>,
    ) -> Result<Vec<VarBind>, Error> {
        self.block_on(self.inner.set(target, auth, varbinds))
    }

    /// A GETNEXT walk of the subtree under `root` (see [`crate::Manager::walk`]), as an
    /// iterator; each `next` sends a request when the bindings received are used up.
    pub fn walk(&self, target: &Target, auth: &Auth, root: Oid) -> Walk<'_> {
        Walk {
            manager: self,
            walk: self.inner.walk(target, auth, root),
        }
    }

    /// A GETBULK walk of the subtree under `root` (see [`crate::Manager::bulk_walk`]), as an
    /// iterator.
    pub fn bulk_walk(
        &self,
        target: &Target,
        auth: &Auth,
        root: Oid,
        max_repetitions: u32,
    ) -> Walk<'_> {
        Walk {
            manager: self,
            walk: self.inner.bulk_walk(target, auth, root, max_repetitions),
        }
    }
}

/// A walk of a blocking [`Manager`]: an iterator of bindings, ending at the subtree's end or
/// after the error that ends it (see [`crate::Walk`]). Collect it into
/// `Result<Vec<VarBind>, Error>` for the whole subtree or the first error.
#[derive(Debug)]
pub struct Walk<'a> {
    manager: &'a Manager,
    walk: crate::Walk,
}

impl Walk<'_> {
    /// Replaces the walk's options (before the first binding is read).
    #[must_use]
    pub fn with_options(mut self, options: WalkOptions) -> Self {
        self.walk = self.walk.with_options(options);
        self
    }

    /// Whether this bulk walk went on with GETNEXT because the agent's GETBULK was broken.
    pub fn fell_back_to_get_next(&self) -> bool {
        self.walk.fell_back_to_get_next()
    }
}

impl Iterator for Walk<'_> {
    type Item = Result<VarBind, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.manager.block_on(self.walk.next())
    }
}
