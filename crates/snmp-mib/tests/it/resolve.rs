//! Names and OIDs of real modules (the IETF set), values checked against `snmptranslate`.

use std::sync::OnceLock;

use snmp_mib::{Access, BaseType, Mib, ObjectKind, OidFormat, Status};
use snmp_smi::Oid;

use crate::shared;

/// IF-MIB, SNMPv2-MIB, SNMP-TARGET-MIB and RFC1382-MIB with their imports, loaded once.
fn mib() -> Option<&'static Mib> {
    static MIB: OnceLock<Option<Mib>> = OnceLock::new();
    MIB.get_or_init(|| {
        let dir = shared("ietf")?;
        Some(
            Mib::load(
                &[dir],
                &["IF-MIB", "SNMPv2-MIB", "SNMP-TARGET-MIB", "RFC1382-MIB"],
            )
            .expect("the modules load"),
        )
    })
    .as_ref()
}

fn oid(text: &str) -> Oid {
    text.parse().expect("a dotted OID")
}

#[test]
fn names_to_oids() {
    let Some(mib) = mib() else { return };
    for (name, expected) in [
        ("SNMPv2-MIB::sysDescr.0", "1.3.6.1.2.1.1.1.0"),
        ("sysDescr.0", "1.3.6.1.2.1.1.1.0"),
        (".1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.1.0"),
        ("1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.1.0"),
        ("IF-MIB::ifDescr.2", "1.3.6.1.2.1.2.2.1.2.2"),
        ("IF-MIB::ifHCInOctets.3", "1.3.6.1.2.1.31.1.1.1.6.3"),
        (
            ".iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0",
            "1.3.6.1.2.1.1.1.0",
        ),
        // IMPLIED: no length sub-identifier; a quoted string has one.
        (
            "SNMP-TARGET-MIB::snmpTargetAddrTimeout.'ab'",
            "1.3.6.1.6.3.12.1.2.1.4.97.98",
        ),
        (
            "snmpTargetAddrTimeout.\"ab\"",
            "1.3.6.1.6.3.12.1.2.1.4.2.97.98",
        ),
        // TRAP-TYPE sits at enterprise.0.number, as in net-snmp (snmptranslate -On).
        ("RFC1382-MIB::x25Restart", "1.3.6.1.2.1.10.5.0.1"),
        ("coldStart", "1.3.6.1.6.3.1.1.5.1"),
    ] {
        assert_eq!(mib.resolve(name), Ok(oid(expected)), "{name}");
    }
    assert!(mib.resolve("IF-MIB::sysDescr").is_err());
    assert!(mib.resolve("noSuchObject.0").is_err());
    assert!(mib.resolve("sysDescr.x.0").is_err());
}

#[test]
fn oids_to_names() {
    let Some(mib) = mib() else { return };
    let descr = oid("1.3.6.1.2.1.1.1.0");
    assert_eq!(
        mib.name_of(&descr),
        Some(("SNMPv2-MIB", "sysDescr", &[0u32][..]))
    );
    let in_octets = oid("1.3.6.1.2.1.31.1.1.1.6.3");
    // As `snmptranslate -Of`, `-On`, the default and `-Os`.
    assert_eq!(
        mib.format_oid(&in_octets, OidFormat::Full),
        ".iso.org.dod.internet.mgmt.mib-2.ifMIB.ifMIBObjects.ifXTable.ifXEntry.ifHCInOctets.3"
    );
    assert_eq!(
        mib.format_oid(&in_octets, OidFormat::Numeric),
        ".1.3.6.1.2.1.31.1.1.1.6.3"
    );
    assert_eq!(
        mib.format_oid(&in_octets, OidFormat::Module),
        "IF-MIB::ifHCInOctets.3"
    );
    assert_eq!(
        mib.format_oid(&in_octets, OidFormat::Short),
        "ifHCInOctets.3"
    );
    // Below no named node: all numbers.
    assert_eq!(
        mib.format_oid(&oid("1.3.6.1.4.1.99999.1"), OidFormat::Module),
        "SNMPv2-SMI::enterprises.99999.1"
    );
    assert_eq!(mib.format_oid(&oid("3.1"), OidFormat::Module), ".3.1");
}

#[test]
fn object_facts() {
    let Some(mib) = mib() else { return };
    let descr = mib.object("SNMPv2-MIB::sysDescr").expect("sysDescr");
    assert_eq!(descr.kind, ObjectKind::ObjectType);
    assert_eq!(descr.tc_chain, ["DisplayString"]);
    assert_eq!(descr.base_type, Some(BaseType::OctetString));
    assert_eq!(descr.display_hint.as_deref(), Some("255a"));
    assert_eq!(descr.access, Some(Access::ReadOnly));
    assert_eq!(descr.status, Some(Status::Current));
    let sizes = &descr.syntax.as_ref().expect("a syntax").sizes;
    assert_eq!((sizes[0].lo, sizes[0].hi), (0, 255));
    // The size comes from the textual convention when the object gives none.
    let tags = mib
        .object("snmpTargetAddrTagList")
        .expect("snmpTargetAddrTagList");
    assert_eq!((tags.sizes[0].lo, tags.sizes[0].hi), (0, 255));
    assert!(tags.syntax.as_ref().expect("a syntax").sizes.is_empty());

    let if_type = mib.object("ifType").expect("ifType");
    assert_eq!(if_type.tc_chain, ["IANAifType"]);
    assert_eq!(if_type.base_type, Some(BaseType::Integer32));
    assert!(if_type.enums.contains(&("ethernetCsmacd".to_owned(), 6)));

    let phys = mib.object("ifPhysAddress").expect("ifPhysAddress");
    assert_eq!(phys.display_hint.as_deref(), Some("1x:"));
    let speed = mib.object("ifHighSpeed").expect("ifHighSpeed");
    assert_eq!(speed.base_type, Some(BaseType::Gauge32));
    // SNMP-FRAMEWORK-MIB comes in through SNMP-TARGET-MIB's IMPORTS.
    let time = mib
        .object("SNMP-FRAMEWORK-MIB::snmpEngineTime")
        .expect("snmpEngineTime");
    assert_eq!(time.units.as_deref(), Some("seconds"));
    let status = mib.object("ifAdminStatus").expect("ifAdminStatus");
    assert_eq!(status.enums.first(), Some(&("up".to_owned(), 1)));
    assert_eq!(status.access, Some(Access::ReadWrite));

    let entry = mib.object("ifEntry").expect("ifEntry");
    assert_eq!(entry.index.len(), 1);
    assert_eq!(entry.index[0].name, "ifIndex");
    assert!(!entry.index[0].implied);
    assert_eq!(
        mib.object("ifXEntry")
            .expect("ifXEntry")
            .augments
            .as_deref(),
        Some("ifEntry")
    );

    let addr = mib
        .object("snmpTargetAddrEntry")
        .expect("snmpTargetAddrEntry");
    assert_eq!(addr.index.len(), 1);
    assert!(addr.index[0].implied);
    let timeout = mib
        .object("snmpTargetAddrTimeout")
        .expect("snmpTargetAddrTimeout");
    assert_eq!(timeout.defval.as_deref(), Some("1500"));
    assert_eq!(timeout.tc_chain, ["TimeInterval"]);

    let trap = mib.object("x25Restart").expect("x25Restart");
    assert_eq!(trap.kind, ObjectKind::TrapType);
    assert_eq!(
        mib.object("ifMIB").expect("ifMIB").kind,
        ObjectKind::ModuleIdentity
    );
    assert_eq!(
        mib.object("linkDown").expect("linkDown").kind,
        ObjectKind::NotificationType
    );
}

/// Every indexed row of the IETF set gets index kinds; a few are checked by hand (RFC 2578
/// section 7.7).
#[test]
fn index_kinds_of_the_ietf_rows() {
    use snmp_mib::{IndexKind, IndexValue, Loader};

    let Some(dir) = shared("ietf") else { return };
    let mut loader = Loader::new([&dir]).expect("the directory lists");
    loader.load_all();
    let mib = loader.build();
    let rows: Vec<_> = mib
        .objects()
        .filter(|o| !o.index.is_empty() || o.augments.is_some())
        .collect();
    let unknown: Vec<String> = rows
        .iter()
        .filter(|o| mib.index_kinds(o).is_none())
        .map(|o| format!("{}::{} {:?}", o.module, o.name, o.index))
        .collect();
    println!(
        "{} rows, {} without index kinds: {unknown:#?}",
        rows.len(),
        unknown.len()
    );
    assert!(rows.len() > 1500);
    assert!(unknown.len() * 100 < rows.len(), "{unknown:#?}");

    let kinds = |name: &str| mib.index_kinds(mib.object(name).expect(name));
    assert_eq!(
        kinds("SNMP-TARGET-MIB::snmpTargetAddrEntry"),
        Some(vec![IndexKind::ImpliedOctets])
    );
    assert_eq!(
        kinds("IP-MIB::ipNetToMediaPhysAddress"),
        Some(vec![IndexKind::Integer, IndexKind::IpAddress])
    );
    assert_eq!(
        kinds("SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch"),
        Some(vec![
            IndexKind::Octets,
            IndexKind::Octets,
            IndexKind::Integer,
            IndexKind::Integer
        ])
    );
    assert_eq!(
        kinds("IF-MIB::ifHCInOctets"),
        Some(vec![IndexKind::Integer])
    );
    let oid = mib
        .resolve("SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch.\"g\".\"\".3.2")
        .expect("resolves");
    let (column, values) = mib.decode_instance(&oid).expect("an instance");
    assert_eq!(column.name, "vacmAccessContextMatch");
    assert_eq!(
        values,
        [
            IndexValue::Octets(b"g".to_vec()),
            IndexValue::Octets(Vec::new()),
            IndexValue::Integer(3),
            IndexValue::Integer(2)
        ]
    );
    assert_eq!(mib.encode_instance(column, &values), Some(oid));
}

/// The compiled form (feature `serde`): the whole IETF tree to JSON and back resolves alike.
#[cfg(feature = "serde")]
#[test]
fn compiled_form_round_trips() {
    use snmp_mib::Loader;

    let Some(dir) = shared("ietf") else { return };
    let mut loader = Loader::new([&dir]).expect("the directory lists");
    loader.load_all();
    let mib = loader.build();
    let json = serde_json::to_string(&mib).expect("serializes");
    let back: Mib = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back.objects().count(), mib.objects().count());
    assert!(back.objects().eq(mib.objects()));
    for name in [
        "SNMPv2-MIB::sysDescr.0",
        "ifHCInOctets.3",
        "RFC1382-MIB::x25Restart",
    ] {
        assert_eq!(back.resolve(name), mib.resolve(name), "{name}");
    }
    let oid = oid("1.3.6.1.2.1.31.1.1.1.6.3");
    assert_eq!(
        back.format_oid(&oid, OidFormat::Full),
        mib.format_oid(&oid, OidFormat::Full)
    );
    println!("compiled IETF tree: {} bytes of JSON", json.len());
}

#[test]
fn notification_objects() {
    let Some(mib) = mib() else { return };
    let link_down = mib.object("linkDown").expect("IF-MIB::linkDown");
    assert_eq!(link_down.kind, ObjectKind::NotificationType);
    assert_eq!(
        link_down.objects,
        ["ifIndex", "ifAdminStatus", "ifOperStatus"]
    );
    let cold_start = mib.object("coldStart").expect("SNMPv2-MIB::coldStart");
    assert!(cold_start.objects.is_empty());
    // An OBJECT-TYPE has none.
    assert!(mib.object("sysDescr").unwrap().objects.is_empty());
}
