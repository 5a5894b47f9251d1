//! The `snmp` command line: arguments, the `decode` subcommand, exit statuses.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use serde_json::{Map, Value as Json};

use crate::tools::{self, Tool};
use crate::{Datagrams, InputError, MessageDecoder, UsmCredential};

/// Exit status: every file was read (some messages may have been malformed).
pub const EXIT_OK: u8 = 0;
/// Exit status: a file could not be read, a capture was damaged, or the output failed.
pub const EXIT_INPUT: u8 = 1;
/// Exit status: the command line is wrong (unknown flag, missing file argument, bad `--usm`).
pub const EXIT_USAGE: u8 = 2;

const DECODE_ABOUT: &str = "\
Decode the SNMP messages of pcap and pcapng captures and of raw message files, and print one
JSON object per line per message.

A capture (recognised by its magic number, whatever its name) is read packet by packet:
Ethernet (with VLAN tags), raw IP, Linux cooked capture and BSD loopback link types; IPv4 and
IPv6, fragments reassembled; every UDP datagram to or from port 161 or 162, including one
quoted in an ICMP or ICMPv6 error. A file named *.b64 holds one base64 message; any other file
holds one raw BER message.

SNMPv3 messages of a user given with --usm are authenticated with the key localized to the
message's own engine ID, without a time window (a capture is old), and decrypted when their
MAC verifies.";

const DECODE_FIELDS: &str = "\
Output fields, in this order, each present only when the message has it:
  file             the FILE, when more than one is given
  frame            1-based, counting every packet of a capture as tshark does; 1 for a raw file
  src, dst         \"ip:port\" (\"[ipv6]:port\"), for captures
  version          \"1\", \"2c\" or \"3\"
  community        v1 and v2c
  msgID, msgFlags (an integer), securityModel                                  v3
  engineID (hex), engineBoots, engineTime, user, auth, priv                    v3 with USM
    auth: \"ok\", \"wrong-digest\", \"unknown-user\" (no --usm for it), \"none\" (not authenticated)
    priv: \"decrypted\", \"failed\", \"encrypted\" (no key, or not authenticated), \"none\"
  contextEngineID (hex), contextName                                           v3, readable
  pdu              get-request, get-next-request, get-bulk-request, response, set-request,
                   trap, snmpV2-trap, inform-request, report
  requestID, errorStatus, errorIndex (nonRepeaters, maxRepetitions for get-bulk-request)
  enterprise, agentAddr, genericTrap, specificTrap, timeStamp                  v1 trap
  varbinds         [{\"oid\", \"type\", \"value\"}]: INTEGER, Counter32, Gauge32, TimeTicks,
                   Counter64, UInteger32, OpaqueInt64, OpaqueUInt64 (numbers); OCTET STRING,
                   Opaque (lowercase hex); OBJECT IDENTIFIER, IpAddress (text); OpaqueFloat,
                   OpaqueDouble (numbers, or \"NaN\", \"Infinity\", \"-Infinity\"); NULL,
                   noSuchObject, noSuchInstance, endOfMibView (null)

A message that does not decode gives {\"frame\", \"error\"}, the error ending with its byte
offset in the UDP payload.

Exit status: 0 when every file was read (even if some messages were malformed), 1 when a file
could not be read or a capture is damaged (the others are still decoded), 2 for a bad command
line.";

/// Tools for SNMP: an agent, the main-job demo, and a decoder of captures and raw files.
#[derive(Debug, Parser)]
#[command(name = "snmp", version, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode the SNMP messages of captures and raw files as JSON lines
    #[command(long_about = DECODE_ABOUT, after_long_help = DECODE_FIELDS)]
    Decode(DecodeArgs),
    /// Run an SNMP agent (net-snmp's snmpd: -f -Lo -C -c FILE [LISTEN...])
    Agent(crate::agent::AgentArgs),
    /// The main job: an in-process agent on loopback serving this host's data, queried by
    /// the manager over SNMPv1, SNMPv2c and SNMPv3 authPriv
    Demo(crate::agent::DemoArgs),
    /// net-snmp's snmpget: GET (snmpget's options; see docs/cli.md)
    #[command(disable_help_flag = true)]
    Get(ToolArgs),
    /// net-snmp's snmpgetnext: GETNEXT
    #[command(disable_help_flag = true)]
    Getnext(ToolArgs),
    /// net-snmp's snmpbulkget: GETBULK
    #[command(disable_help_flag = true)]
    Bulkget(ToolArgs),
    /// net-snmp's snmpset: SET
    #[command(disable_help_flag = true)]
    Set(ToolArgs),
    /// net-snmp's snmpwalk: a walk with GETNEXT
    #[command(disable_help_flag = true)]
    Walk(ToolArgs),
    /// net-snmp's snmpbulkwalk: a walk with GETBULK
    #[command(disable_help_flag = true)]
    Bulkwalk(ToolArgs),
    /// net-snmp's snmptable: a MIB table as aligned rows (-Cf SEP, -CH, -Ci, -Cb, -Cl)
    #[command(disable_help_flag = true)]
    Table(ToolArgs),
    /// net-snmp's snmptranslate: names to OIDs and back (-m, -M, -On, -Of, -Os, -IR)
    #[command(disable_help_flag = true)]
    Translate(ToolArgs),
    /// net-snmp's snmptrap: send a trap (v1: ENTERPRISE AGENT-ADDR GENERIC SPECIFIC UPTIME;
    /// v2c, v3: UPTIME TRAP-OID; then OID TYPE VALUE...)
    #[command(disable_help_flag = true)]
    Trap(ToolArgs),
    /// net-snmp's snmpinform: send an inform and wait for its acknowledgement
    #[command(disable_help_flag = true)]
    Inform(ToolArgs),
    /// net-snmp's snmptrapd: receive notifications and print them (-f -Lo -C -c FILE
    /// [--json] [LISTEN...])
    #[command(disable_help_flag = true)]
    Trapd(ToolArgs),
}

/// The arguments of a net-snmp tool, parsed by the tool (getopt style), not by clap.
#[derive(Debug, Args)]
struct ToolArgs {
    /// net-snmp's options and operands
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    args: Vec<String>,
}

#[derive(Debug, Args)]
struct DecodeArgs {
    /// USM credentials for SNMPv3 messages; repeat the option for more users.
    /// AUTH (net-snmp's -a): MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512.
    /// PRIV (net-snmp's -x): DES, 3DES, AES, AES-192, AES-256, AES-192C, AES-256C.
    /// Passwords have at least 8 characters; no field can hold a colon.
    #[arg(
        long,
        value_name = "USER:AUTH:AUTHPASS[:PRIV:PRIVPASS]",
        verbatim_doc_comment
    )]
    usm: Vec<String>,

    /// pcap or pcapng captures, raw BER messages, or base64 messages (*.b64)
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

/// Runs the `snmp` command with `args` (the program name first), writing the output to `out`
/// and diagnostics, one line each, to `err`; returns the exit status ([`EXIT_OK`],
/// [`EXIT_INPUT`] or [`EXIT_USAGE`]).
///
/// ```
/// let mut out = Vec::new();
/// let mut err = Vec::new();
/// let status = snmp_cli::run(["snmp", "decode", "--bogus"], &mut out, &mut err);
/// assert_eq!(status, snmp_cli::EXIT_USAGE);
/// assert_eq!(
///     String::from_utf8(err)?,
///     "snmp: unexpected argument '--bogus' found (try 'snmp decode --help')\n"
/// );
/// # Ok::<(), std::string::FromUtf8Error>(())
/// ```
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if let Some(status) = tool(&args, out, err) {
        return match out.flush() {
            Ok(()) => status,
            Err(e) => output_error(&e, err, status),
        };
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, out, err),
    };
    let status = match cli.command {
        Command::Decode(args) => decode(&args, out, err),
        Command::Agent(args) => crate::agent::agent(args, out, err),
        Command::Demo(args) => crate::agent::demo(&args, out, err),
        Command::Get(a) => tools::run(Tool::Get, &a.args, out, err),
        Command::Getnext(a) => tools::run(Tool::GetNext, &a.args, out, err),
        Command::Bulkget(a) => tools::run(Tool::BulkGet, &a.args, out, err),
        Command::Set(a) => tools::run(Tool::Set, &a.args, out, err),
        Command::Walk(a) => tools::run(Tool::Walk, &a.args, out, err),
        Command::Bulkwalk(a) => tools::run(Tool::BulkWalk, &a.args, out, err),
        Command::Table(a) => tools::run(Tool::Table, &a.args, out, err),
        Command::Translate(a) => crate::translate::run(&a.args, out, err),
        Command::Trap(a) => tools::run(Tool::Trap, &a.args, out, err),
        Command::Inform(a) => tools::run(Tool::Inform, &a.args, out, err),
        Command::Trapd(a) => crate::trapd::run(&a.args, out, err),
    };
    match out.flush() {
        Ok(()) => status,
        Err(e) => output_error(&e, err, status),
    }
}

/// Runs a net-snmp tool when the program is named after one (`snmpget`, a link to `snmp`) or
/// the subcommand is one (`snmp get`): their options are getopt's, not clap's.
fn tool(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> Option<u8> {
    let program = Path::new(args.first()?).file_name()?.to_string_lossy();
    let strings = |rest: &[OsString]| -> Vec<String> {
        rest.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    };
    if program == "snmptrapd" {
        return Some(crate::trapd::run(
            &strings(args.get(1..).unwrap_or_default()),
            out,
            err,
        ));
    }
    if program == "snmptranslate" {
        return Some(crate::translate::run(
            &strings(args.get(1..).unwrap_or_default()),
            out,
            err,
        ));
    }
    if args.get(1).is_some_and(|a| a == "translate") {
        return Some(crate::translate::run(
            &strings(args.get(2..).unwrap_or_default()),
            out,
            err,
        ));
    }
    if args.get(1).is_some_and(|a| a == "trapd") {
        return Some(crate::trapd::run(
            &strings(args.get(2..).unwrap_or_default()),
            out,
            err,
        ));
    }
    let (tool, rest) = match Tool::from_program(&program) {
        Some(t) => (t, args.get(1..).unwrap_or_default()),
        None => (
            Tool::from_subcommand(&args.get(1)?.to_string_lossy())?,
            args.get(2..).unwrap_or_default(),
        ),
    };
    let rest: Vec<String> = rest
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    Some(tools::run(tool, &rest, out, err))
}

/// Help and version go to `out`; any other clap error becomes one line on `err`.
fn clap_error(e: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let text = e.render().to_string();
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => EXIT_OK,
            Err(e) => output_error(&e, err, EXIT_OK),
        };
    }
    let first = text.lines().next().unwrap_or_default();
    let message = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // clap's answer to a bare `snmp`: its whole help, on stderr. One line is enough.
        let names: Vec<_> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        format!("a subcommand is required: {}", names.join(", "))
    } else {
        // "the following required arguments were not provided:" lists them on the lines
        // after: join them.
        let mut message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
        if message.ends_with(':') {
            let listed: Vec<_> = text
                .lines()
                .skip(1)
                .take_while(|l| l.starts_with("  "))
                .map(str::trim)
                .collect();
            message = format!("{} {}", message, listed.join(", "));
        }
        message
    };
    // "Usage: snmp decode [OPTIONS] <FILE>..." names the (sub)command whose help to read.
    let command = text
        .lines()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(|u| {
            u.split(' ')
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "snmp".to_owned());
    let _ = writeln!(err, "snmp: {message} (try '{command} --help')");
    EXIT_USAGE
}

/// A failed write to the output: a closed pipe (`snmp decode ... | head`) ends the run quietly.
fn output_error(e: &io::Error, err: &mut dyn Write, status: u8) -> u8 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return status;
    }
    let _ = writeln!(err, "snmp: cannot write the output: {e}");
    EXIT_INPUT
}

/// What stops the decoding of one file.
enum FileError {
    Input(InputError),
    Output(io::Error),
}

fn decode(args: &DecodeArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut users = Vec::with_capacity(args.usm.len());
    for spec in &args.usm {
        match spec.parse::<UsmCredential>() {
            Ok(u) => users.push(u),
            Err(e) => {
                // The spec itself is not echoed: it holds passwords.
                let _ = writeln!(err, "snmp: invalid --usm: {e}");
                return EXIT_USAGE;
            }
        }
    }
    let mut decoder = MessageDecoder::new(users);
    let label = args.files.len() > 1;
    let mut status = EXIT_OK;
    for path in &args.files {
        match decode_file(&mut decoder, path, label, out, err) {
            Ok(()) => {}
            Err(FileError::Input(e)) => {
                let _ = writeln!(err, "snmp: {}: {e}", path.display());
                status = EXIT_INPUT;
            }
            Err(FileError::Output(e)) => return output_error(&e, err, status),
        }
    }
    status
}

fn decode_file(
    decoder: &mut MessageDecoder,
    path: &Path,
    label: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), FileError> {
    let mut datagrams = Datagrams::open(path).map_err(FileError::Input)?;
    let name = label.then(|| Json::from(path.display().to_string()));
    let result = datagrams.try_for_each(|d| {
        let d = d.map_err(FileError::Input)?;
        let mut object = Map::new();
        if let Some(name) = &name {
            object.insert("file".into(), name.clone());
        }
        object.extend(decoder.decode(&d));
        serde_json::to_writer(&mut *out, &object)
            .map_err(io::Error::from)
            .and_then(|()| out.write_all(b"\n"))
            .map_err(FileError::Output)
    });
    for (linktype, frames) in datagrams.skipped_link_types() {
        let _ = writeln!(
            err,
            "snmp: {}: link type {linktype} is not supported: {frames} frame(s) skipped",
            path.display()
        );
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(args: &[&str]) -> (u8, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = run(args, &mut out, &mut err);
        (
            status,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn exactly_one_subcommand() {
        let names: Vec<_> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        assert_eq!(
            names,
            [
                "decode",
                "agent",
                "demo",
                "get",
                "getnext",
                "bulkget",
                "set",
                "walk",
                "bulkwalk",
                "table",
                "translate",
                "trap",
                "inform",
                "trapd"
            ]
        );
    }

    #[test]
    fn help_describes_the_fields() {
        let (status, out, err) = run_str(&["snmp", "decode", "--help"]);
        assert_eq!(status, EXIT_OK);
        assert!(err.is_empty());
        for word in [
            "--usm",
            "FILE",
            "varbinds",
            "wrong-digest",
            "Exit status",
            "*.b64",
        ] {
            assert!(out.contains(word), "{word} missing from:\n{out}");
        }
        let (status, out, _) = run_str(&["snmp", "--help"]);
        assert_eq!(status, EXIT_OK);
        assert!(
            out.contains("decode") && out.contains("Usage: snmp"),
            "{out}"
        );
    }

    #[test]
    fn usage_errors_are_one_line() {
        for (args, want) in [
            (&["snmp"][..], "a subcommand is required: decode"),
            (&["snmp", "frob"], "unrecognized subcommand 'frob'"),
            (&["snmp", "decode"], "required arguments were not provided"),
            (
                &["snmp", "decode", "--usm"],
                "a value is required for '--usm",
            ),
            (
                &["snmp", "decode", "--usm", "pippo:MD5", "f"],
                "invalid --usm: expected USER:AUTH",
            ),
            (
                &["snmp", "decode", "--usm", "u:XX:pippoxxx", "f"],
                "unknown authentication protocol \"XX\"",
            ),
        ] {
            let (status, out, err) = run_str(args);
            assert_eq!(status, EXIT_USAGE, "{args:?}");
            assert!(out.is_empty());
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(
                err.starts_with("snmp: ") && err.contains(want),
                "{args:?}: {err}"
            );
        }
    }

    #[test]
    fn unreadable_files_are_reported_and_the_others_decoded() {
        let dir = std::env::temp_dir().join(format!("snmp-cli-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.bin");
        std::fs::write(&good, [0x30, 0x03, 0x02, 0x01, 0x09]).unwrap();
        let missing = dir.join("missing.bin");
        let (status, out, err) = run_str(&[
            "snmp",
            "decode",
            missing.to_str().unwrap(),
            good.to_str().unwrap(),
        ]);
        assert_eq!(status, EXIT_INPUT);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("missing.bin: No such file"), "{err}");
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(
            out.starts_with(&format!(
                "{{\"file\":\"{}\",\"frame\":1,\"error\":",
                good.display()
            )),
            "{out}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_closed_pipe_ends_quietly() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
        }
        let dir = std::env::temp_dir().join(format!("snmp-cli-pipe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.bin");
        std::fs::write(&good, [0x30, 0x03, 0x02, 0x01, 0x09]).unwrap();
        let mut err = Vec::new();
        let status = run(
            ["snmp", "decode", good.to_str().unwrap()],
            &mut Closed,
            &mut err,
        );
        assert_eq!(status, EXIT_OK);
        assert!(err.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
