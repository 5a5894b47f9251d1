//! An agent with one writable scalar and one table (PySNMP's "implementing scalar and
//! table MIB objects" samples), for SNMPv2c `public`/`private` and the SNMPv3 user `admin`
//! (SHA-256, AES-128) on 127.0.0.1:1161 unless an address is given:
//!
//!     cargo run -p snmp-hlapi --example agent -- 127.0.0.1:1161
//!     snmpset -v2c -c private 127.0.0.1:1161 1.3.6.1.4.1.99999.1.1.0 s "hi there"
//!     snmpset -v2c -c private 127.0.0.1:1161 1.3.6.1.4.1.99999.2.1.2.101.116.104 u 5 \
//!         1.3.6.1.4.1.99999.2.1.3.101.116.104 i 4
//!     snmpwalk -v3 -l authPriv -u admin -a SHA-256 -A authpassword -x AES -X privpassword \
//!         127.0.0.1:1161 1.3.6.1.4.1.99999
use snmp_hlapi::agent::Agent;
use snmp_hlapi::instrument::{Access, Column, IndexSyntax, Scalar, Scalars, Syntax, Table};
use snmp_hlapi::{AuthProtocol, PrivProtocol, SecurityLevel, Value, oid};
use snmp_usm::UsmUser;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:1161".into());
    // 1.3.6.1.4.1.99999.1.1.0: a writable DisplayString.
    let scalars = Scalars::new(oid!(1, 3, 6, 1, 4, 1, 99999, 1))
        .object(1, Scalar::read_write("hello", Syntax::display_string()));
    // 1.3.6.1.4.1.99999.2: INDEX { IMPLIED name }, a read-create Gauge32, a RowStatus.
    let table = Table::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1))
        .index_column(1, IndexSyntax::ImpliedOctetString, Access::NotAccessible)
        .column(
            2,
            Column::new(Syntax::gauge32(), Access::ReadCreate).default_value(Value::Gauge32(10)),
        )
        .row_status(3);
    table
        .rows()
        .insert_row(&["eth0".into()], [(2, Value::Gauge32(100))])?;
    let admin = UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha256, b"authpassword")?
        .with_privacy(PrivProtocol::Aes128, b"privpassword")?;
    let agent = Agent::builder()
        .listen_udp(addr.parse()?)
        .rocommunity("public")
        .rwcommunity("private")
        .user(admin)
        .rwuser("admin", SecurityLevel::AuthPriv)
        .register(scalars.root().clone(), scalars)
        .register(table.entry().clone(), table)
        .start()
        .await?;
    println!("serving on {:?}; Ctrl-C stops", agent.udp_addr());
    tokio::select! {
        () = agent.run() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}
