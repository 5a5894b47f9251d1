//! GET of several OIDs in one request, with the three levels of errors told apart (PySNMP's `multiple-get-calls.py`: errorIndication, errorStatus at errorIndex, exceptions in the bindings).
//!
//! Usage: `cargo run -p snmp-hlapi --example multiple_oids -- [AGENT]` (default 127.0.0.1:161).

use snmp_hlapi::{Auth, Manager, Target, oid};

async fn target() -> Result<Target, snmp_hlapi::AddrError> {
    let agent = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".to_owned());
    Target::resolve(&agent).await
}

use snmp_hlapi::{Error, VarBindExt};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = Manager::new().await?;
    let target = target().await?;
    let public = Auth::community_v2c("public");
    let oids = [
        oid!(1, 3, 6, 1, 2, 1, 1, 1, 0),  // sysDescr.0
        oid!(1, 3, 6, 1, 2, 1, 1, 3, 0),  // sysUpTime.0
        oid!(1, 3, 6, 1, 2, 1, 1, 5, 0),  // sysName.0
        oid!(1, 3, 6, 1, 2, 1, 1, 99, 0), // absent: noSuchObject
    ];
    match manager.get(&target, &public, oids).await {
        Ok(varbinds) => {
            for vb in varbinds {
                let note = if vb.is_exception() {
                    "  (exception)"
                } else {
                    ""
                };
                println!("{vb}{note}");
            }
        }
        Err(Error::Status {
            status,
            index,
            varbind,
        }) => {
            let at = varbind
                .map(|vb| vb.oid.to_string())
                .unwrap_or_else(|| "?".to_owned());
            eprintln!("{status} at {at} (index {index})");
        }
        Err(indication) => eprintln!("{indication}"),
    }
    Ok(())
}
