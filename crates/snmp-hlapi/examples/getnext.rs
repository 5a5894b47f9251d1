//! One GETNEXT step from the system group (PySNMP's `next_cmd`).
//!
//! Usage: `cargo run -p snmp-hlapi --example getnext -- [AGENT]` (default 127.0.0.1:161).

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
    let roots = [
        oid!(1, 3, 6, 1, 2, 1, 1),
        oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2),
    ];
    for vb in manager.get_next(&target, &public, roots).await? {
        println!("{vb}");
    }
    Ok(())
}
