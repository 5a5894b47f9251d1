//! Walks: a subtree read with GETNEXT or GETBULK, one binding at a time.

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use snmp_engine::{RequestError, RequestPdu};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};
use snmp_transport::TransportError;

use crate::{Auth, Error, Manager, Target};

/// The row limit of a walk that tolerates non-increasing OIDs and was given none.
pub const TOLERANT_MAX_ROWS: usize = 100_000;

/// How a [`Walk`] goes: `Default` plus setters.
///
/// ```
/// use snmp_hlapi::WalkOptions;
///
/// let mut options = WalkOptions::default();
/// options.lexicographic(true).ignore_non_increasing(true).max_rows(Some(500));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalkOptions {
    lexicographic: bool,
    ignore_non_increasing: bool,
    max_rows: Option<usize>,
    /// Inverted so that `Default` turns shrinking on.
    keep_size_on_timeout: bool,
}

impl WalkOptions {
    /// Whether to go on past the end of the subtree, to the end of the agent's MIB view
    /// (PySNMP's `lexicographicMode=True`). Default: `false`, stop at the first OID outside
    /// the root.
    pub fn lexicographic(&mut self, on: bool) -> &mut Self {
        self.lexicographic = on;
        self
    }

    /// Whether to accept an OID that is not greater than the one before it (PySNMP's
    /// `ignoreNonIncreasingOid`). Default: `false`, such an OID ends the walk with
    /// [`Error::NonIncreasing`]. When `true` the walk is still bounded: by
    /// [`max_rows`](Self::max_rows), or [`TOLERANT_MAX_ROWS`] if none is given.
    pub fn ignore_non_increasing(&mut self, on: bool) -> &mut Self {
        self.ignore_non_increasing = on;
        self
    }

    /// The most bindings the walk yields (`None`, the default: no limit but the subtree's
    /// end).
    pub fn max_rows(&mut self, rows: Option<usize>) -> &mut Self {
        self.max_rows = rows;
        self
    }

    /// Whether a GETBULK of a bulk walk that times out (every retry spent) is sent again
    /// with half the max-repetitions, as on tooBig: for agents that drop large responses
    /// or take longer than the timeout to build them. Default: `true`. Before the agent's
    /// first answer to the walk this is done once (an agent that is down costs one timeout
    /// more, not one per halving); after it, down to max-repetitions 1. Then the timeout
    /// ends the walk. [`Walk::max_repetitions`] tells what the walk uses now.
    pub fn shrink_on_timeout(&mut self, on: bool) -> &mut Self {
        self.keep_size_on_timeout = !on;
        self
    }

    fn limit(&self) -> Option<usize> {
        match self.max_rows {
            None if self.ignore_non_increasing => Some(TOLERANT_MAX_ROWS),
            rows => rows,
        }
    }
}

/// GETNEXT, or GETBULK of this many repetitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Next,
    Bulk(u32),
}

/// One request of a walk, owning what it needs, so that the walk can be polled as a
/// [`Stream`].
struct InFlight(Pin<Box<dyn Future<Output = Result<Vec<VarBind>, Error>> + Send>>);

impl fmt::Debug for InFlight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InFlight")
    }
}

/// A walk in progress, made by [`Manager::walk`] or [`Manager::bulk_walk`]: call
/// [`next`](Self::next) until it returns `None`, or read it as a [`Stream`] (with the
/// `StreamExt` of `futures` or `tokio-stream`). Requests are sent as bindings are asked
/// for; dropping the walk stops it.
///
/// It ends at the first OID outside the root (unless
/// [`lexicographic`](WalkOptions::lexicographic)), at `endOfMibView`, at `noSuchObject` or
/// `noSuchInstance`, at `max_rows`, after an error (yielded once), or on SNMPv1's
/// `noSuchName` (the v1 end of the MIB). An OID not greater than the one before is
/// [`Error::NonIncreasing`], never a loop.
///
/// ```no_run
/// # #[allow(dead_code)]
/// # async fn f(manager: snmp_hlapi::Manager, target: snmp_hlapi::Target) -> Result<(), snmp_hlapi::Error> {
/// use snmp_hlapi::{Auth, WalkOptions, oid};
///
/// let mut options = WalkOptions::default();
/// options.max_rows(Some(1000));
/// let mut walk = manager
///     .bulk_walk(&target, &Auth::community_v2c("public"), oid!(1, 3, 6, 1, 2, 1, 2), 25)
///     .with_options(options);
/// while let Some(vb) = walk.next().await {
///     println!("{}", vb?);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Walk {
    manager: Manager,
    target: Target,
    auth: Auth,
    root: Oid,
    mode: Mode,
    options: WalkOptions,
    /// The last OID asked about or yielded: where the next request starts.
    cursor: Oid,
    /// Bindings received and not yet yielded.
    buffer: VecDeque<VarBind>,
    /// An error to yield once the buffer is empty.
    failure: Option<Error>,
    /// Yielded so far, with what is in the buffer.
    rows: usize,
    done: bool,
    /// Whether a broken GETBULK made this bulk walk go on with GETNEXT.
    bulk_fell_back: bool,
    /// Whether the agent has answered a request of this walk.
    answered: bool,
    /// Whether a timeout halved max-repetitions before the agent's first answer.
    shrunk_unanswered: bool,
    /// The request sent and not yet answered.
    in_flight: Option<InFlight>,
}

impl Walk {
    pub(crate) fn new(manager: Manager, target: Target, auth: Auth, root: Oid, mode: Mode) -> Self {
        Self {
            manager,
            target,
            auth,
            cursor: root.clone(),
            root,
            mode,
            options: WalkOptions::default(),
            buffer: VecDeque::new(),
            failure: None,
            rows: 0,
            done: false,
            bulk_fell_back: false,
            answered: false,
            shrunk_unanswered: false,
            in_flight: None,
        }
    }

    /// A walk that yields only `e`.
    pub(crate) fn fail_with(mut self, e: Error) -> Self {
        self.failure = Some(e);
        self.done = true;
        self
    }

    /// Replaces the walk's options (before the first [`next`](Self::next)).
    #[must_use]
    pub fn with_options(mut self, options: WalkOptions) -> Self {
        self.options = options;
        self
    }

    /// The root of the walk.
    pub fn root(&self) -> &Oid {
        &self.root
    }

    /// The max-repetitions of this walk's next GETBULK: the one asked for, less after a
    /// tooBig or a timeout halved it; `None` for a walk by GETNEXT (or a bulk walk that fell
    /// back to it).
    pub fn max_repetitions(&self) -> Option<u32> {
        match self.mode {
            Mode::Bulk(n) => Some(n),
            Mode::Next => None,
        }
    }

    /// Whether this bulk walk went on with GETNEXT because the agent's GETBULK was broken
    /// (an error-status, or a response without bindings, to the first GETBULK).
    pub fn fell_back_to_get_next(&self) -> bool {
        self.bulk_fell_back
    }

    /// The next binding of the walk, `None` at its end, or the error that ends it.
    ///
    /// Cancel-safe: a `next` dropped while its request is in flight leaves the request to
    /// the walk, and the next call takes its answer (in `select!`, no binding is lost).
    pub async fn next(&mut self) -> Option<Result<VarBind, Error>> {
        poll_fn(|cx| self.poll_binding(cx)).await
    }

    /// Polls for the next binding: sends the next request when the buffer is empty, and
    /// takes its answer in.
    fn poll_binding(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<VarBind, Error>>> {
        ready!(self.poll_fill(cx));
        if let Some(vb) = self.buffer.pop_front() {
            return Poll::Ready(Some(Ok(vb)));
        }
        Poll::Ready(self.failure.take().map(Err))
    }

    /// Polls until the buffer holds bindings or the walk is over (then `failure` is what
    /// remains to yield, if anything).
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            if let Some(request) = &mut self.in_flight {
                let outcome = ready!(request.0.as_mut().poll(cx));
                self.in_flight = None;
                self.absorb(outcome);
                continue;
            }
            if !self.buffer.is_empty() || self.failure.is_some() || self.done {
                return Poll::Ready(());
            }
            self.send();
        }
    }

    /// Every remaining binding, or the first error.
    ///
    /// # Errors
    ///
    /// The error that ended the walk.
    pub async fn collect(mut self) -> Result<Vec<VarBind>, Error> {
        let mut out = Vec::new();
        loop {
            poll_fn(|cx| self.poll_fill(cx)).await;
            if self.buffer.is_empty() {
                return self.failure.take().map_or(Ok(out), Err);
            }
            // A whole answer at once; the buffer is the answer's own list (no copy).
            let mut batch = Vec::from(core::mem::take(&mut self.buffer));
            if out.is_empty() {
                out = batch;
            } else {
                out.append(&mut batch);
            }
        }
    }

    /// Sends the next request, or sets `done` at the row limit.
    fn send(&mut self) {
        if self.options.limit().is_some_and(|l| self.rows >= l) {
            self.done = true;
            return;
        }
        let oids = [self.cursor.clone()];
        let pdu = match self.mode {
            Mode::Next => RequestPdu::get_next(oids),
            Mode::Bulk(n) => RequestPdu::get_bulk(0, i32::try_from(n).unwrap_or(i32::MAX), oids),
        };
        let (manager, target, auth) =
            (self.manager.clone(), self.target.clone(), self.auth.clone());
        self.in_flight = Some(InFlight(Box::pin(async move {
            manager.request(&target, &auth, pdu).await
        })));
    }

    /// One answer: fills the buffer, or sets `done` (and maybe `failure`).
    fn absorb(&mut self, outcome: Result<Vec<VarBind>, Error>) {
        let limit = self.options.limit();
        let mut varbinds = match outcome {
            Ok(varbinds) => varbinds,
            Err(e) => return self.failed(e),
        };
        self.answered = true;
        if varbinds.is_empty() {
            // A GETBULK answered with no binding at all: a broken GETBULK; walk on with
            // GETNEXT from the same place.
            if let Mode::Bulk(_) = self.mode {
                self.mode = Mode::Next;
                self.bulk_fell_back = true;
                return;
            }
            self.done = true;
            return;
        }
        // The answer's bindings that belong to the walk: a prefix of them.
        let mut take = 0;
        let mut previous = &self.cursor;
        for vb in &varbinds {
            if matches!(
                vb.value,
                Value::EndOfMibView | Value::NoSuchObject | Value::NoSuchInstance
            ) || (!self.options.lexicographic && !vb.oid.starts_with(&self.root))
            {
                self.done = true;
                break;
            }
            if vb.oid <= *previous && !self.options.ignore_non_increasing {
                self.done = true;
                self.failure = Some(Error::NonIncreasing {
                    previous: Box::new(previous.clone()),
                    next: Box::new(vb.oid.clone()),
                });
                break;
            }
            previous = &vb.oid;
            take += 1;
            if limit.is_some_and(|l| self.rows + take >= l) {
                self.done = true;
                break;
            }
        }
        varbinds.truncate(take);
        if let Some(last) = varbinds.last() {
            self.cursor = last.oid.clone();
        }
        self.rows += take;
        if self.buffer.is_empty() {
            // The answer's own list becomes the buffer, without a copy.
            self.buffer = VecDeque::from(varbinds);
        } else {
            self.buffer.extend(varbinds);
        }
    }

    /// A request failed: halve a GETBULK on tooBig, or on a timeout as
    /// [`WalkOptions::shrink_on_timeout`] says, and go on; stop quietly on SNMPv1's end of
    /// the MIB; otherwise stop with the error.
    fn failed(&mut self, e: Error) {
        match (&e, self.mode) {
            (Error::Transport(TransportError::Request(RequestError::TooBig)), Mode::Bulk(n))
                if n > 1 =>
            {
                self.mode = Mode::Bulk(n / 2);
            }
            (Error::Transport(TransportError::Request(RequestError::Timeout)), Mode::Bulk(n))
                if n > 1
                    && !self.options.keep_size_on_timeout
                    && (self.answered || !self.shrunk_unanswered) =>
            {
                self.shrunk_unanswered |= !self.answered;
                self.mode = Mode::Bulk(n / 2);
            }
            (
                Error::Status {
                    status: ErrorStatus::NO_SUCH_NAME,
                    ..
                },
                _,
            ) if self.auth.is_v1() => self.done = true,
            // An agent that refuses GETBULK itself (genErr, noSuchName, badValue...) before
            // the walk got anywhere: a broken GETBULK; walk on with GETNEXT.
            (Error::Status { .. }, Mode::Bulk(_)) if self.rows == 0 => {
                self.mode = Mode::Next;
                self.bulk_fell_back = true;
            }
            _ => {
                self.done = true;
                self.failure = Some(e);
            }
        }
    }
}

impl Stream for Walk {
    type Item = Result<VarBind, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_binding(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let known = self.buffer.len() + usize::from(self.failure.is_some());
        if self.done && self.in_flight.is_none() {
            (known, Some(known))
        } else {
            (known, None)
        }
    }
}
