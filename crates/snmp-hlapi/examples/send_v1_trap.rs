//! SNMPv1 trap (PySNMP's `v1-trap.py`: `send_notification(..., CommunityData('public',
//! mpModel=0), ..., 'trap', NotificationType(ObjectIdentity('1.3.6.1.6.3.1.1.5.2'))
//! .add_varbinds(('1.3.6.1.6.3.18.1.3.0', '127.0.0.1'), ('1.3.6.1.6.3.1.1.4.3.0',
//! '1.3.6.1.4.1.20408.4.1.1.2'), ('1.3.6.1.2.1.1.1.0', OctetString('my system'))))`): a
//! warmStart whose agent-addr comes from snmpTrapAddress.0 and whose enterprise comes from
//! snmpTrapEnterprise.0 (RFC 3584 3.2); then the same trap given field by field.
//!
//! Usage: `cargo run -p snmp-hlapi --example send_v1_trap -- [RECEIVER]` (default
//! 127.0.0.1:162).

use snmp_hlapi::{
    Auth, GenericTrap, Manager, NotificationKind, Target, TrapV1Pdu, Value, VarBind, oid,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let receiver = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:162".to_owned());
    let target = Target::resolve(&receiver).await?;
    let manager = Manager::new().await?;
    let auth = Auth::community_v1("public");
    let enterprise = oid!(1, 3, 6, 1, 4, 1, 20408, 4, 1, 1, 2);
    let sent = manager
        .send_notification(
            &target,
            &auth,
            NotificationKind::Trap,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 2), // warmStart
            [
                // snmpTrapAddress.0: the agent-addr
                VarBind::new(
                    oid!(1, 3, 6, 1, 6, 3, 18, 1, 3, 0),
                    Value::IpAddress([127, 0, 0, 1]),
                ),
                // snmpTrapEnterprise.0: the enterprise
                VarBind::new(
                    oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0),
                    Value::ObjectIdentifier(enterprise.clone()),
                ),
                VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "my system"),
            ],
        )
        .await?;
    for vb in sent {
        println!("{vb}");
    }
    let trap = TrapV1Pdu {
        enterprise,
        agent_addr: [127, 0, 0, 1],
        generic_trap: GenericTrap::ENTERPRISE_SPECIFIC,
        specific_trap: 17,
        time_stamp: 0,
        varbinds: vec![VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "my system")],
    };
    manager.send_v1_trap(&target, &auth, trap).await?;
    Ok(())
}
