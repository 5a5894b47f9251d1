//! SNMPv2c inform (PySNMP's `v2c-inform.py`: `send_notification(..., CommunityData('public'),
//! ..., 'inform', NotificationType(ObjectIdentity('1.3.6.1.6.3.1.1.5.2')).add_varbinds(
//! ('1.3.6.1.2.1.1.1.0', OctetString('my system'))))`): retried until the receiver answers;
//! prints the bindings of its Response. With SNMP_USER set, an SNMPv3 authPriv inform
//! (SHA/AES, SNMP_AUTH_PASS, SNMP_PRIV_PASS): the receiver's engine is discovered first.
//!
//! Usage: `cargo run -p snmp-hlapi --example send_inform -- [RECEIVER]` (default
//! 127.0.0.1:162).

use snmp_hlapi::{
    Auth, AuthProtocol, Manager, NotificationKind, PrivProtocol, Target, UsmAuth, VarBind, oid,
};

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let receiver = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:162".to_owned());
    let target = Target::resolve(&receiver).await?;
    let manager = Manager::new().await?;
    let auth = match std::env::var("SNMP_USER") {
        Ok(name) => Auth::usm(
            UsmAuth::new(name)
                .auth(AuthProtocol::Sha1, env("SNMP_AUTH_PASS", "authkey1"))?
                .privacy(PrivProtocol::Aes128, env("SNMP_PRIV_PASS", "privkey1"))?,
        ),
        Err(_) => Auth::community_v2c("public"),
    };
    let acknowledged = manager
        .send_notification(
            &target,
            &auth,
            NotificationKind::Inform,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 2),
            [VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "my system")],
        )
        .await?;
    for vb in acknowledged {
        println!("{vb}");
    }
    Ok(())
}
