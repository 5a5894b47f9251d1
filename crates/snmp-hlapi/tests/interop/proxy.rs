//! RFC 3413 section 3.5, against net-snmp: OUR agent as a proxy forwarder in front of a real
//! `snmpd` that answers SNMPv1 only, both on loopback ports. net-snmp's snmpwalk,
//! snmpbulkwalk, snmpget and snmpset speak SNMPv3 authPriv to the proxy, naming the proxied
//! context: the walks equal a direct SNMPv1 walk of the device, a SET reaches it; a silent
//! device is a Report of snmpProxyDrops while the proxy keeps answering its own context.
//! Then notifications the other way: an SNMPv1 trap from net-snmp's snmptrap to our
//! receiver goes on, through [`Manager::forward_notification`], to a real `snmptrapd` as an
//! SNMPv3 inform with the RFC 3584 trap OID.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use snmp_hlapi::agent::Agent;
use snmp_hlapi::{
    Auth, Manager, NotificationKind, NotificationReceiver, NotificationSinks, SecurityLevel, Target,
};
use snmp_peers::{Guard, ScratchDir, Snmpd, free_udp_port, wait_until};
use snmp_usm::UsmUser;

use super::agent::{Run, tool};
use super::notify::{Snmptrapd, priv_user};

const USER: &str = "proxy-admin";
const AUTH_PASS: &str = "authpass-proxy";
const PRIV_PASS: &str = "privpass-proxy";
const MIB2: &str = ".1.3.6.1.2.1";

/// snmpd answering SNMPv1 only: `public` reads, `private` writes; SNMPv2c and SNMPv3 get
/// nothing.
fn v1_only_snmpd() -> snmp_peers::RunningSnmpd {
    Snmpd::new("proxy-device")
        .config(
            "com2sec ro default public\n\
             com2sec rw default private\n\
             group g-ro v1 ro\n\
             group g-rw v1 rw\n\
             view all included .1\n\
             access g-ro \"\" v1 noauth exact all none none\n\
             access g-rw \"\" v1 noauth exact all all none\n\
             sysContact proxy-test\n",
        )
        .start()
        .expect("snmpd (Debian package snmpd) must be installed")
}

fn v3_args(context: &str) -> Vec<String> {
    [
        "-v3", "-l", "authPriv", "-u", USER, "-a", "SHA", "-A", AUTH_PASS, "-x", "AES", "-X",
        PRIV_PASS, "-n", context, "-On",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn run(dir: &ScratchDir, name: &str, args: &[String], rest: &[&str]) -> Run {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend_from_slice(rest);
    tool(dir.path(), name, &all)
}

/// (OID, type) of each line: values change between two walks (counters, sysUpTime).
fn shape(run: &Run) -> Vec<(String, String)> {
    run.bindings()
        .into_iter()
        .map(|(oid, kind, _)| (oid, kind))
        .collect()
}

/// The proxy: its own default context for the user, "dev1" forwarded to the device with
/// the write community, "down" to a port where nothing answers.
async fn proxy(device: std::net::SocketAddr) -> (Agent, String) {
    let user = UsmUser::new(USER)
        .with_auth(snmp_usm::AuthProtocol::Sha1, AUTH_PASS.as_bytes())
        .unwrap()
        .with_privacy(snmp_usm::PrivProtocol::Aes128, PRIV_PASS.as_bytes())
        .unwrap();
    let silent: Target = format!("127.0.0.1:{}", free_udp_port().unwrap())
        .parse()
        .unwrap();
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .user(user)
        .rwuser(USER, SecurityLevel::AuthPriv)
        .system(|s| s.descr = "the proxy itself".into())
        .proxy("dev1", &Target::new(device), &Auth::community_v1("private"))
        .proxy("down", &silent, &Auth::community_v1("private"))
        .start()
        .await
        .unwrap();
    let addr = agent.udp_addr().unwrap().to_string();
    (agent, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp's snmpd, snmptrapd and tools: run by cargo xtask interop"]
async fn net_snmp_v3_through_the_proxy_to_an_snmpv1_device() {
    let device = v1_only_snmpd();
    let dir = ScratchDir::new("proxy-tools").unwrap();
    let direct_args: Vec<String> = ["-v1", "-c", "public", "-On"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let device_addr = device.v4().to_string();
    assert!(
        wait_until(Duration::from_secs(10), || {
            run(
                &dir,
                "snmpget",
                &direct_args,
                &[&device_addr, ".1.3.6.1.2.1.1.5.0"],
            )
            .ok
        }),
        "snmpd did not start"
    );
    // The device answers SNMPv1 only.
    let v2c = tool(
        dir.path(),
        "snmpget",
        &[
            "-v2c",
            "-c",
            "public",
            "-t",
            "0.5",
            "-r",
            "0",
            &device_addr,
            ".1.3.6.1.2.1.1.5.0",
        ],
    );
    assert!(!v2c.ok, "{}", v2c.all());

    let (agent, proxy_addr) = proxy(device.v4()).await;
    let v3 = v3_args("dev1");
    let (direct, through, bulk) = tokio::task::block_in_place(|| {
        let direct = run(&dir, "snmpwalk", &direct_args, &[&device_addr, MIB2]);
        let through = run(&dir, "snmpwalk", &v3, &[&proxy_addr, MIB2]);
        let bulk = run(&dir, "snmpbulkwalk", &v3, &["-Cr20", &proxy_addr, MIB2]);
        (direct, through, bulk)
    });
    assert!(
        direct.ok && through.ok && bulk.ok,
        "{}\n{}\n{}",
        direct.all(),
        through.all(),
        bulk.all()
    );
    let rows = shape(&direct);
    assert!(rows.len() > 100, "{}", direct.all());
    assert_eq!(shape(&through), rows, "snmpwalk -v3 through the proxy");
    assert_eq!(shape(&bulk), rows, "snmpbulkwalk -v3 through the proxy");
    // Values that do not change: the system group's strings.
    for oid in [
        ".1.3.6.1.2.1.1.1.0",
        ".1.3.6.1.2.1.1.4.0",
        ".1.3.6.1.2.1.1.5.0",
    ] {
        let value = |r: &Run| {
            r.bindings()
                .into_iter()
                .find(|(o, _, _)| o == oid)
                .map(|b| b.2)
        };
        assert_eq!(value(&through), value(&direct), "{oid}");
        assert!(value(&direct).is_some(), "{oid}");
    }

    // SET passes through, and the device has it.
    let (set, back) = tokio::task::block_in_place(|| {
        let set = run(
            &dir,
            "snmpset",
            &v3,
            &[&proxy_addr, ".1.3.6.1.2.1.1.6.0", "s", "proxied rack"],
        );
        let back = run(
            &dir,
            "snmpget",
            &direct_args,
            &[&device_addr, ".1.3.6.1.2.1.1.6.0"],
        );
        (set, back)
    });
    assert!(set.ok, "{}", set.all());
    assert!(back.stdout.contains("\"proxied rack\""), "{}", back.all());

    // The proxy's own context is its own.
    let own = tokio::task::block_in_place(|| {
        run(
            &dir,
            "snmpget",
            &v3_args(""),
            &[&proxy_addr, ".1.3.6.1.2.1.1.1.0"],
        )
    });
    assert!(own.stdout.contains("the proxy itself"), "{}", own.all());
    assert!(agent.responder().stats().proxy_drops == 0);
    agent.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp's snmpd, snmptrapd and tools: run by cargo xtask interop"]
#[allow(
    clippy::disallowed_methods,
    reason = "timings of real processes: the real clock"
)]
async fn a_silent_device_is_reported_and_other_contexts_answer_meanwhile() {
    let dir = ScratchDir::new("proxy-down").unwrap();
    // No device: "dev1" is never used here.
    let (agent, proxy_addr) = proxy("127.0.0.1:9".parse().unwrap()).await;
    let mut args = vec![
        "timeout".to_owned(),
        "-k".into(),
        "2".into(),
        "15".into(),
        "snmpget".into(),
    ];
    args.extend(v3_args("down"));
    args.extend([
        "-t".into(),
        "5".into(),
        "-r".into(),
        "0".into(),
        proxy_addr.clone(),
        ".1.3.6.1.2.1.1.1.0".into(),
    ]);
    let started = Instant::now();
    let mut down = Guard::new(
        Command::new(&args[0])
            .args(&args[1..])
            .env("HOME", dir.path())
            .env("SNMPCONFPATH", dir.path())
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .env("MIBS", "")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    // While the device is silent, the proxy answers its own context at once.
    let t = Instant::now();
    let own = tokio::task::block_in_place(|| {
        run(
            &dir,
            "snmpget",
            &v3_args(""),
            &["-t", "1", "-r", "0", &proxy_addr, ".1.3.6.1.2.1.1.1.0"],
        )
    });
    let own_took = t.elapsed();
    assert!(own.stdout.contains("the proxy itself"), "{}", own.all());
    assert!(own_took < Duration::from_secs(1), "{own_took:?}");
    assert!(
        down.child_mut().try_wait().unwrap().is_none(),
        "the proxied request ended early"
    );
    // Then the proxy gives up on the device (1 s, 1 retry) and reports snmpProxyDrops:
    // snmpget ends before its own 5 s timeout, with an error.
    let status = tokio::task::block_in_place(|| {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = down.child_mut().try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "snmpget never ended");
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    let took = started.elapsed();
    let mut stderr = String::new();
    use std::io::Read;
    down.child_mut()
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    // net-snmp has no words for snmpProxyDrops.
    assert!(!status.success(), "{stderr}");
    assert!(
        stderr.contains("snmpget: Unknown Report message"),
        "{stderr}"
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(5),
        "{took:?}: {stderr}"
    );
    assert!(!stderr.contains("Timeout"), "{stderr}");
    assert_eq!(agent.responder().stats().proxy_drops, 1, "{stderr}");
    agent.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp's snmpd, snmptrapd and tools: run by cargo xtask interop"]
async fn an_snmpv1_trap_goes_on_as_an_snmpv3_inform() {
    let trapd = Snmptrapd::start();
    let dir = ScratchDir::new("proxy-trap").unwrap();
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut sinks = NotificationSinks::default();
    let mut nms = Target::new(trapd.addr);
    nms.timeout(Duration::from_secs(2)).retries(2);
    sinks.add_sink(&nms, &Auth::usm(priv_user()), NotificationKind::Inform);
    let manager = Manager::new().await.unwrap();

    let to = receiver.local_addr().to_string();
    let sent = tokio::task::block_in_place(|| {
        tool(
            dir.path(),
            "snmptrap",
            &[
                "-v1",
                "-c",
                "public",
                &to,
                ".1.3.6.1.4.1.99999.3",
                "192.0.2.7",
                "6",
                "17",
                "4242",
                ".1.3.6.1.4.1.99999.3.1.0",
                "s",
                "fan failure",
            ],
        )
    });
    assert!(sent.ok, "{}", sent.all());
    let received = tokio::time::timeout(Duration::from_secs(10), receiver.next())
        .await
        .unwrap()
        .unwrap();
    let outcome = manager.forward_notification(&sinks, &received).await;
    assert_eq!(outcome.len(), 1);
    assert!(outcome[0].1.is_ok(), "{:?}", outcome[0].1);
    // snmptrapd logged the inform: the RFC 3584 trap OID (enterprise.0.specific), the
    // trap's binding, and the proxy's additions (snmpTrapAddress.0 = agent-addr,
    // snmpTrapCommunity.0).
    assert!(
        wait_until(Duration::from_secs(10), || trapd
            .log()
            .contains("fan failure")),
        "{}",
        trapd.log()
    );
    let log = trapd.log();
    let line = log.lines().find(|l| l.contains("fan failure")).unwrap();
    let user = format!("security=INFORM, SNMP v3, user {}, ", super::notify::USER);
    for expected in [
        &user[..],
        ".1.3.6.1.2.1.1.3.0 = Timeticks: (4242)",
        ".1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.99999.3.0.17|",
        ".1.3.6.1.4.1.99999.3.1.0 = STRING: \"fan failure\"",
        ".1.3.6.1.6.3.18.1.3.0 = IpAddress: 192.0.2.7",
        ".1.3.6.1.6.3.18.1.4.0 = STRING: \"public\"",
        ".1.3.6.1.6.3.1.1.4.3.0 = OID: .1.3.6.1.4.1.99999.3",
    ] {
        assert!(line.contains(expected), "{expected} in {line}");
    }
}
