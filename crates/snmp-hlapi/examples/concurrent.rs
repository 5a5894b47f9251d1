//! The same GET to several agents at once on one manager (PySNMP's `multiple-concurrent-queries.py`); agents are every argument.
//!
//! Usage: `cargo run -p snmp-hlapi --example concurrent -- [AGENT]` (default 127.0.0.1:161).

use snmp_hlapi::{Auth, Manager, Target, oid};

async fn target() -> Result<Target, snmp_hlapi::AddrError> {
    let agent = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".to_owned());
    Target::resolve(&agent).await
}

use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manager = Manager::new().await?;
    let mut agents: Vec<String> = std::env::args().skip(1).collect();
    if agents.is_empty() {
        agents.push(target().await?.addr().to_string());
    }
    let public = Auth::community_v2c("public");
    let mut tasks = Vec::new();
    for agent in agents {
        let (manager, public) = (manager.clone(), public.clone());
        tasks.push(tokio::spawn(async move {
            let mut target = Target::resolve(&agent).await?;
            target.timeout(Duration::from_secs(2)).retries(1);
            let oids = [
                oid!(1, 3, 6, 1, 2, 1, 1, 1, 0),
                oid!(1, 3, 6, 1, 2, 1, 1, 3, 0),
            ];
            let got = manager.get(&target, &public, oids).await;
            Ok::<_, snmp_hlapi::Error>((agent, got))
        }));
    }
    for task in tasks {
        match task.await? {
            Ok((agent, Ok(varbinds))) => {
                for vb in varbinds {
                    println!("{agent}: {vb}");
                }
            }
            Ok((agent, Err(e))) => eprintln!("{agent}: {e}"),
            Err(e) => eprintln!("{e}"),
        }
    }
    Ok(())
}
