//! One GETBULK: sysDescr's successor, then 10 rows of ifDescr and ifType (PySNMP's `bulk_cmd(..., 1, 10, ...)`).
//!
//! Usage: `cargo run -p snmp-hlapi --example getbulk -- [AGENT]` (default 127.0.0.1:161).

use snmp_hlapi::{Auth, Manager, Target, oid};

async fn target() -> Result<Target, snmp_hlapi::AddrError> {
    let agent = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".to_owned());
    Target::resolve(&agent).await
}

use snmp_hlapi::is_end_of_mib;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = Manager::new().await?;
    let target = target().await?;
    let public = Auth::community_v2c("public");
    let oids = [
        oid!(1, 3, 6, 1, 2, 1, 1, 1),
        oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2),
        oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 3),
    ];
    let varbinds = manager.get_bulk(&target, &public, 1, 10, oids).await?;
    for vb in &varbinds {
        println!("{vb}");
    }
    if is_end_of_mib(&varbinds[varbinds.len().saturating_sub(2)..]) {
        println!("(end of the MIB view)");
    }
    Ok(())
}
