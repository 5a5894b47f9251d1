//! The command generator's configuration.

use std::time::Duration;

/// How a [`CommandGenerator`](crate::CommandGenerator) behaves: `Default` plus setters.
///
/// The defaults are net-snmp's: a 1-second timeout and 5 retries (so 6 transmissions), a
/// msgMaxSize of 65507 (the largest UDP payload over IPv4), and replies accepted from any
/// address (multi-homed agents answer from another one; such replies are counted).
///
/// ```
/// use std::time::Duration;
/// use snmp_engine::GeneratorConfig;
///
/// let mut config = GeneratorConfig::default();
/// config.rng_seed(42).timeout(Duration::from_millis(500)).retries(2).strict_source(true);
/// ```
#[derive(Clone, Debug)]
pub struct GeneratorConfig {
    pub(crate) rng_seed: u64,
    pub(crate) timeout: Duration,
    pub(crate) retries: u32,
    pub(crate) max_message_size: u32,
    pub(crate) strict_source: bool,
}

impl Default for GeneratorConfig {
    fn default() -> Self {
        Self {
            rng_seed: 0,
            timeout: Duration::from_secs(1),
            retries: 5,
            max_message_size: 65507,
            strict_source: false,
        }
    }
}

impl GeneratorConfig {
    /// Seeds the generator of request-ids and msgIDs (not secrets). Take it from a random
    /// source in production, so that identifiers are hard to guess; a fixed seed replays.
    pub fn rng_seed(&mut self, seed: u64) -> &mut Self {
        self.rng_seed = seed;
        self
    }

    /// How long to wait for an answer before retrying, unless the target says otherwise.
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// How many times to retransmit a request that gets no answer, unless the target says
    /// otherwise.
    pub fn retries(&mut self, retries: u32) -> &mut Self {
        self.retries = retries;
        self
    }

    /// The largest message this engine sends or accepts (SNMPv3 msgMaxSize), and the default
    /// limit of a request's size; at least 484 (RFC 3412 section 6), at most 2147483647.
    pub fn max_message_size(&mut self, size: u32) -> &mut Self {
        self.max_message_size = size.clamp(484, 2_147_483_647);
        self
    }

    /// Whether a reply from another address than the one asked is dropped (`true`) or
    /// accepted and counted (`false`, the default).
    pub fn strict_source(&mut self, strict: bool) -> &mut Self {
        self.strict_source = strict;
        self
    }
}
