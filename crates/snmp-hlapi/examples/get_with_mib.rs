//! SNMPv2c GET of objects named by MIB module and name, printed with names and MIB-typed
//! values (PySNMP's "get with MIB lookup": `ObjectType(ObjectIdentity('SNMPv2-MIB',
//! 'sysDescr', 0))` and `prettyPrint`).
//!
//! Usage: `cargo run -p snmp-hlapi --example get_with_mib -- [AGENT] [MIB-DIR]` (defaults
//! 127.0.0.1:161 and /usr/share/snmp/mibs). Prints, as `snmpget` does:
//!
//! ```text
//! SNMPv2-MIB::sysDescr.0 = STRING: Linux router 6.1
//! IF-MIB::ifOperStatus.1 = INTEGER: up(1)
//! ```

use snmp_hlapi::{Auth, Manager, ObjectIdentity, Target, pretty};
use snmp_mib::Mib;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let agent = args.next().unwrap_or_else(|| "127.0.0.1:161".to_owned());
    let dir = args
        .next()
        .unwrap_or_else(|| "/usr/share/snmp/mibs".to_owned());
    let mib = Mib::load(&[dir], &["SNMPv2-MIB", "IF-MIB"])?;

    let names = [
        ObjectIdentity::new("SNMPv2-MIB", "sysDescr").index(0),
        ObjectIdentity::new("IF-MIB", "ifOperStatus").index(1),
        ObjectIdentity::parse("SNMPv2-MIB::sysUpTime.0"),
    ];
    let oids = names
        .iter()
        .map(|n| n.resolve(&mib))
        .collect::<Result<Vec<_>, _>>()?;

    let manager = Manager::new().await?;
    let target = Target::resolve(&agent).await?;
    let public = Auth::community_v2c("public");
    for vb in manager.get(&target, &public, oids).await? {
        println!("{}", pretty(&mib, &vb));
    }
    Ok(())
}
