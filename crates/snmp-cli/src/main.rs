//! `snmp`: see `snmp --help`, `snmp decode --help` and docs/cli.md.

use std::io::{self, BufWriter};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut out = BufWriter::new(io::stdout().lock());
    let status = snmp_cli::run(std::env::args_os(), &mut out, &mut io::stderr().lock());
    ExitCode::from(status)
}
