//! SNMPv3 trap (PySNMP's `v3-trap.py`: `SnmpEngine(OctetString(hexValue='8000000001020304'))`,
//! `UsmUserData('usr-sha-aes', 'authkey1', 'privkey1', usmHMACSHAAuthProtocol,
//! usmAesCfb128Protocol)`, `'trap'`, coldStart): this engine is authoritative, so the
//! receiver must know the user for this engine ID (snmptrapd: `createUser -e
//! 0x8000000001020304 usr-sha-aes SHA authkey1 AES privkey1`). Credentials from SNMP_USER,
//! SNMP_AUTH_PASS, SNMP_PRIV_PASS, else those of the PySNMP sample.
//!
//! Usage: `cargo run -p snmp-hlapi --example send_v3_trap -- [RECEIVER]` (default
//! 127.0.0.1:162).

use snmp_hlapi::{
    Auth, AuthProtocol, EngineId, Manager, ManagerConfig, NotificationKind, PrivProtocol, Target,
    UsmAuth, VarBind, oid,
};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let receiver = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:162".to_owned());
    let target = Target::resolve(&receiver).await?;
    let mut config = ManagerConfig::default();
    config.engine_id("0x8000000001020304".parse::<EngineId>()?);
    let manager = Manager::with_config(&config).await?;
    let user = UsmAuth::new(env("SNMP_USER", "usr-sha-aes"))
        .auth(AuthProtocol::Sha1, env("SNMP_AUTH_PASS", "authkey1"))?
        .privacy(PrivProtocol::Aes128, env("SNMP_PRIV_PASS", "privkey1"))?;
    let sent = manager
        .send_notification(
            &target,
            &Auth::usm(user),
            NotificationKind::Trap,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1), // coldStart
            [VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), "my system")],
        )
        .await?;
    for vb in sent {
        println!("{vb}");
    }
    Ok(())
}
