//! Traps to several receivers at once (PySNMP's `multiple-concurrent-notifications.py`):
//! one manager, one task per receiver, all sent concurrently.
//!
//! Usage: `cargo run -p snmp-hlapi --example send_traps_concurrently -- [RECEIVER...]`
//! (default 127.0.0.1:162 and 127.0.0.1:1162).

use snmp_hlapi::{Auth, Manager, NotificationKind, Target, VarBind, oid};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut receivers: Vec<String> = std::env::args().skip(1).collect();
    if receivers.is_empty() {
        receivers = vec!["127.0.0.1:162".to_owned(), "127.0.0.1:1162".to_owned()];
    }
    let manager = Manager::new().await?;
    let mut tasks = tokio::task::JoinSet::new();
    for receiver in receivers {
        let target = Target::resolve(&receiver).await?;
        let manager = manager.clone();
        tasks.spawn(async move {
            let sent = manager
                .send_notification(
                    &target,
                    &Auth::community_v2c("public"),
                    NotificationKind::Trap,
                    oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 2),
                    [VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "my system")],
                )
                .await;
            (receiver, sent)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (receiver, sent) = done?;
        match sent {
            Ok(varbinds) => println!("{receiver}: {} bindings sent", varbinds.len()),
            Err(e) => println!("{receiver}: {e}"),
        }
    }
    Ok(())
}
