//! SNMPv3 authPriv GET (PySNMP's `usm-sha-aes128.py`: `UsmUserData('usr-sha-aes', 'authkey1', 'privkey1', usmHMACSHAAuthProtocol, usmAesCfb128Protocol)`). Credentials from SNMP_USER, SNMP_AUTH_PASS, SNMP_PRIV_PASS, else those of the PySNMP sample.
//!
//! Usage: `cargo run -p snmp-hlapi --example v3_get -- [AGENT]` (default 127.0.0.1:161).

use snmp_hlapi::{Auth, Manager, Target, oid};

async fn target() -> Result<Target, snmp_hlapi::AddrError> {
    let agent = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".to_owned());
    Target::resolve(&agent).await
}

use snmp_hlapi::{AuthProtocol, PrivProtocol, UsmAuth};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = Manager::new().await?;
    let target = target().await?;
    let user = UsmAuth::new(env("SNMP_USER", "usr-sha-aes"))
        .auth(AuthProtocol::Sha1, env("SNMP_AUTH_PASS", "authkey1"))?
        .privacy(PrivProtocol::Aes128, env("SNMP_PRIV_PASS", "privkey1"))?;
    let auth = Auth::usm(user);
    let oids = [
        oid!(1, 3, 6, 1, 2, 1, 1, 1, 0),
        oid!(1, 3, 6, 1, 2, 1, 1, 5, 0),
    ];
    for vb in manager.get(&target, &auth, oids).await? {
        println!("{vb}");
    }
    Ok(())
}
