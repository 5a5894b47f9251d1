//! SNMPv2c trap (PySNMP's `v2c-trap.py`: `send_notification(..., CommunityData('public'),
//! ..., 'trap', NotificationType(ObjectIdentity('1.3.6.1.6.3.1.1.5.2')).add_varbinds(
//! ('1.3.6.1.2.1.1.1.0', OctetString('my system'))))`): a warmStart, sysUpTime.0 and
//! snmpTrapOID.0 first, then sysDescr.0.
//!
//! Usage: `cargo run -p snmp-hlapi --example send_v2c_trap -- [RECEIVER]` (default
//! 127.0.0.1:162).

use snmp_hlapi::{Auth, Manager, NotificationKind, Target, VarBind, oid};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let receiver = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:162".to_owned());
    let target = Target::resolve(&receiver).await?;
    let manager = Manager::new().await?;
    let sent = manager
        .send_notification(
            &target,
            &Auth::community_v2c("public"),
            NotificationKind::Trap,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 2),
            [VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "my system")],
        )
        .await?;
    for vb in sent {
        println!("{vb}");
    }
    Ok(())
}
