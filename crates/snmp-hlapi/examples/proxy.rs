//! A proxy forwarder (PySNMP's "SNMPv3-to-SNMPv1 proxy" samples, net-snmp's `proxy`
//! directive): an SNMPv1-only device, here DEVICE (default 127.0.0.1:161, community
//! `public`), served to SNMPv3 managers as the context `device` of an agent on
//! 127.0.0.1:1161 for the user `admin` (SHA-256, AES-128). Its own context still answers.
//!
//!     cargo run -p snmp-hlapi --example proxy -- 127.0.0.1:161
//!     snmpbulkwalk -v3 -l authPriv -u admin -a SHA-256 -A authpassword -x AES -X privpassword \
//!         -n device 127.0.0.1:1161 system
use snmp_hlapi::agent::Agent;
use snmp_hlapi::{Auth, AuthProtocol, PrivProtocol, SecurityLevel, Target};
use snmp_usm::UsmUser;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let device: Target = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:161".into())
        .parse()?;
    let admin = UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha256, b"authpassword")?
        .with_privacy(PrivProtocol::Aes128, b"privpassword")?;
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:1161".parse()?)
        .user(admin)
        .rwuser("admin", SecurityLevel::AuthPriv)
        .proxy("device", &device, &Auth::community_v1("public"))
        .start()
        .await?;
    println!(
        "serving on {:?}, context \"device\" forwarded to {}; Ctrl-C stops",
        agent.udp_addr(),
        device.addr()
    );
    tokio::select! {
        () = agent.run() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}
