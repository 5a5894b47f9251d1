//! A GETBULK walk of the interfaces group, 25 rows a request, as `snmpbulkwalk -v2c -c public -Cr25 -On AGENT 1.3.6.1.2.1.2` (PySNMP's `bulk_walk_cmd`).
//!
//! Usage: `cargo run -p snmp-hlapi --example bulk_walk -- [AGENT]` (default 127.0.0.1:161).

use snmp_hlapi::{Auth, Manager, Target, oid};

async fn target() -> Result<Target, snmp_hlapi::AddrError> {
    let agent = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".to_owned());
    Target::resolve(&agent).await
}

use snmp_hlapi::WalkOptions;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = Manager::new().await?;
    let target = target().await?;
    let public = Auth::community_v2c("public");
    let mut options = WalkOptions::default();
    options.max_rows(Some(10_000));
    let mut walk = manager
        .bulk_walk(&target, &public, oid!(1, 3, 6, 1, 2, 1, 2), 25)
        .with_options(options);
    let mut rows = 0;
    while let Some(vb) = walk.next().await {
        println!("{}", vb?);
        rows += 1;
    }
    eprintln!("{rows} bindings");
    Ok(())
}
