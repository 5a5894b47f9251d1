//! A GETNEXT walk of the system group, as `snmpwalk -v2c -c public -On AGENT 1.3.6.1.2.1.1` (PySNMP's `walk_cmd`).
//!
//! Usage: `cargo run -p snmp-hlapi --example walk -- [AGENT]` (default 127.0.0.1:161).

use snmp_hlapi::{Auth, Manager, Target, oid};

async fn target() -> Result<Target, snmp_hlapi::AddrError> {
    let agent = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".to_owned());
    Target::resolve(&agent).await
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = Manager::new().await?;
    let target = target().await?;
    let public = Auth::community_v2c("public");
    let mut walk = manager.walk(&target, &public, oid!(1, 3, 6, 1, 2, 1, 1));
    while let Some(vb) = walk.next().await {
        println!("{}", vb?);
    }
    Ok(())
}
