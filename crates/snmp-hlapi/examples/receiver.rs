//! A notification receiver (PySNMP's `ntfrcv` samples, net-snmp's snmptrapd): SNMPv1 and
//! SNMPv2c traps and informs of community "public", SNMPv3 ones of user usr-sha-aes
//! (SHA/AES, authkey1/privkey1) from any engine (their engine IDs learnt); prints each
//! notification, SNMPv1 traps in SNMPv2 form.
//!
//! Usage: `cargo run -p snmp-hlapi --example receiver -- [LISTEN]` (default 127.0.0.1:1162;
//! port 162 needs privileges). Try `snmptrap -v2c -c public 127.0.0.1:1162 '' 1.3.6.1.6.3.1.1.5.1`
//! or the `send_*` examples.

use snmp_hlapi::{AuthProtocol, NotificationReceiver, PrivProtocol, UsmAuth};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:1162".to_owned());
    let user = UsmAuth::new("usr-sha-aes")
        .auth(AuthProtocol::Sha1, "authkey1")?
        .privacy(PrivProtocol::Aes128, "privkey1")?;
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .user(&user)
        .learn_engine_ids(true)
        .bind(listen.parse()?)
        .await?;
    println!(
        "listening on {} (engine ID {})",
        receiver.local_addr(),
        receiver.engine_id()
    );
    while let Some(n) = receiver.next().await {
        println!(
            "{:?} {:?} from {} by {} at {:?}",
            n.version,
            n.kind,
            n.from,
            String::from_utf8_lossy(&n.security_name),
            n.security_level
        );
        if let Some(trap) = &n.v1_trap {
            println!(
                "  enterprise {} agent-addr {:?} generic {} specific {}",
                trap.enterprise, trap.agent_addr, trap.generic_trap.0, trap.specific_trap
            );
        }
        for vb in &n.varbinds {
            println!("  {vb}");
        }
    }
    Ok(())
}
