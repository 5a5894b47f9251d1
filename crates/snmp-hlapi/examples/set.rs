//! SNMPv2c SET of sysLocation.0 (PySNMP's `v2c-set.py`: `set_cmd`), with community "private". The value is the second argument.
//!
//! Usage: `cargo run -p snmp-hlapi --example set -- [AGENT]` (default 127.0.0.1:161).

use snmp_hlapi::{Auth, Manager, Target, oid};

async fn target() -> Result<Target, snmp_hlapi::AddrError> {
    let agent = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".to_owned());
    Target::resolve(&agent).await
}

use snmp_hlapi::{Value, VarBind};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = Manager::new().await?;
    let target = target().await?;
    let private = Auth::community_v2c("private");
    let location = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "the lab".to_owned());
    let binding = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 6, 0), Value::from(location));
    for vb in manager.set(&target, &private, [binding]).await? {
        println!("{vb}");
    }
    Ok(())
}
