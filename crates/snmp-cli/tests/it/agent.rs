//! `snmp agent` as snmpd is run (`-f -Lo -C -c FILE LISTEN`) and `snmp demo`, end to end.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use snmp_hlapi::{
    Auth, AuthProtocol, Manager, ManagerConfig, PrivProtocol, Target, UsmAuth, Value, oid,
};
use snmp_peers::{Guard, ScratchDir, free_udp_port};

#[test]
fn the_agent_serves_its_configuration() {
    let dir = ScratchDir::new("cli-agent").unwrap();
    let conf = dir.path().join("snmpd.conf");
    std::fs::write(
        &conf,
        "# a small snmpd.conf\n\
         rocommunity public 127.0.0.1\n\
         createUser admin SHA-256 authpassword AES privpassword\n\
         rouser admin priv\n\
         sysLocation \"lab, rack 4\"\n\
         sysName cli-agent\n\
         frobnicate on\n",
    )
    .unwrap();
    let port = free_udp_port().unwrap();
    let mut child = Guard::new(
        Command::new(env!("CARGO_BIN_EXE_snmp"))
            .args(["agent", "-f", "-Lo", "-C", "-c"])
            .arg(&conf)
            .args(["--state-dir"])
            .arg(dir.path().join("state"))
            .arg(format!("udp:127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = child.child_mut().stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), format!("listening on udp:127.0.0.1:{port}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut config = ManagerConfig::default();
        config.timeout(Duration::from_secs(1)).retries(2);
        let m = Manager::with_config(&config).await.unwrap();
        let target = Target::new(format!("127.0.0.1:{port}").parse().unwrap());
        let v3 = Auth::usm(
            UsmAuth::new("admin")
                .auth(AuthProtocol::Sha256, "authpassword")
                .unwrap()
                .privacy(PrivProtocol::Aes128, "privpassword")
                .unwrap(),
        );
        let oids = [
            oid!(1, 3, 6, 1, 2, 1, 1, 6, 0),
            oid!(1, 3, 6, 1, 2, 1, 1, 5, 0),
        ];
        for auth in [Auth::community_v2c("public"), v3] {
            let got = m.get(&target, &auth, oids.clone()).await.unwrap();
            assert_eq!(got[0].value, Value::from("lab, rack 4"));
            assert_eq!(got[1].value, Value::from("cli-agent"));
        }
        // Host data is served unless --no-host-mibs.
        let got = m
            .get(
                &target,
                &Auth::community_v2c("public"),
                [oid!(1, 3, 6, 1, 2, 1, 2, 1, 0)],
            )
            .await
            .unwrap();
        assert!(
            matches!(got[0].value, Value::Integer(n) if n >= 1),
            "{got:?}"
        );
    });
    child.child_mut().kill().unwrap();
    let out = child.child_mut().wait_with_output_stderr();
    assert!(
        out.contains("unknown directive 'frobnicate' at line 7"),
        "{out}"
    );
}

/// Reads what is left of a killed child's stderr.
trait StderrText {
    fn wait_with_output_stderr(&mut self) -> String;
}

impl StderrText for std::process::Child {
    fn wait_with_output_stderr(&mut self) -> String {
        let _ = self.wait();
        let mut s = String::new();
        if let Some(e) = self.stderr.as_mut() {
            let _ = std::io::Read::read_to_string(e, &mut s);
        }
        s
    }
}

#[test]
fn a_bad_configuration_is_one_line_naming_the_problem() {
    let dir = ScratchDir::new("cli-agent-bad").unwrap();
    let conf = dir.path().join("snmpd.conf");
    std::fs::write(&conf, "rocommunity public\nview all included .1.3.x\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .args(["agent", "-f", "-C", "-c"])
        .arg(&conf)
        .arg("udp:127.0.0.1:0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(":2:") && err.contains(".1.3.x"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .args(["agent", "-f", "-C", "bogus:1161"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "snmp agent: bad listening address 'bogus:1161': expected an address (host names other than localhost are not looked up)\n"
    );
}

#[test]
fn the_demo_runs_every_version() {
    let out = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .arg("demo")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for must in [
        "# SNMPv1 GET",
        "# SNMPv2c walk",
        "# SNMPv3 authPriv",
        ".1.3.6.1.2.1.1.1.0 = STRING: ",
        "\nok: ",
    ] {
        assert!(text.contains(must), "{must:?} missing:\n{text}");
    }
}
