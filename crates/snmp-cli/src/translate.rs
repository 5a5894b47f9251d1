//! net-snmp's `snmptranslate`: names to OIDs and back, with the modules of `-m` and `-M`
//! (`snmp translate ARGS` or a link named `snmptranslate`).

use std::io::Write;

use snmp_hlapi::Oid;
use snmp_mib::Mib;

use crate::format::OutputOptions;
use crate::mibs::MibOptions;

/// The options that take a value.
const WITH_VALUE: &str = "mMOITPDLw";

/// snmptranslate's usage text.
fn usage() -> String {
    format!(
        "USAGE: snmptranslate [OPTIONS] OID [OID]...\n\n{}\n{}",
        crate::tools::version_lines(),
        crate::usage::TRANSLATE
    )
}

/// What the command line asks.
#[derive(Default)]
struct Options {
    output: OutputOptions,
    mibs: MibOptions,
    random: bool,
    /// `-Ib`: the node whose name best matches each operand.
    best: bool,
    /// `-Td`: each object's details.
    details: bool,
    /// `-Tp`: the tree under each node.
    tree: bool,
    /// `-w WIDTH`: where `-Td` and `-Tp` wrap their lists (0: net-snmp's default).
    width: usize,
    operands: Vec<String>,
}

/// Parses the command line; `Err` holds the message (empty for `-h`).
fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            o.operands.extend(args.iter().skip(i).cloned());
            break;
        }
        if arg.eq_ignore_ascii_case("--help") {
            return Err(String::new());
        }
        let Some(letters) = arg.strip_prefix('-').filter(|l| !l.is_empty()) else {
            o.operands.push(arg.clone());
            continue;
        };
        for (at, c) in letters.char_indices() {
            if !WITH_VALUE.contains(c) {
                match c {
                    'h' => return Err(String::new()),
                    'V' | 'd' => continue,
                    // getopt's message, then snmptranslate's.
                    _ => {
                        return Err(format!(
                            "snmptranslate: invalid option -- '{c}'\ninvalid option: -?"
                        ));
                    }
                }
            }
            let rest = &letters[at + c.len_utf8()..];
            let value = if rest.is_empty() {
                let v = args.get(i).ok_or_else(|| {
                    format!(
                        "snmptranslate: option requires an argument -- '{c}'\ninvalid option: -?"
                    )
                })?;
                i += 1;
                v.clone()
            } else {
                rest.to_owned()
            };
            match c {
                'm' => o.mibs.modules = Some(value),
                'M' => o.mibs.dirs = Some(value),
                'O' => o
                    .output
                    .apply(&value)
                    .map_err(|c| format!("Unknown output option passed to -O: {c}."))?,
                'w' => {
                    // C's atoi; net-snmp refuses a width that is not positive, alone.
                    let t = value.trim_start();
                    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
                    o.width = digits
                        .parse::<usize>()
                        .ok()
                        .filter(|w| *w > 0)
                        .ok_or_else(|| format!("\0Invalid width specification: {value}"))?;
                }
                'I' => {
                    o.random |= value.contains('R');
                    o.best |= value.contains('b');
                }
                'T' => {
                    for t in value.chars() {
                        match t {
                            'd' => o.details = true,
                            'p' => o.tree = true,
                            // net-snmp's other reports: not done.
                            'a' | 'B' | 'l' | 'o' | 's' | 't' | 'z' => {
                                return Err(format!("snmptranslate: -T{t} is not supported"));
                            }
                            _ => return Err(format!("Invalid -T<lostpad> character: {t}")),
                        }
                    }
                }
                // -P, -D, -L, -w: accepted, not used.
                _ => {}
            }
            break;
        }
    }
    Ok(o)
}

/// The OID `text` names, or net-snmp's message: names are looked up anywhere in the tree with
/// `-IR` only, else they must start at the root or name their module.
fn resolve(mib: Option<&Mib>, text: &str, random: bool) -> Result<Oid, String> {
    if let Ok(oid) = text.parse::<Oid>() {
        return Ok(oid);
    }
    let Some(mib) = mib else {
        return crate::tools::parse_oid(None, text);
    };
    if text.contains("::") {
        return mib
            .resolve(text)
            .map_err(|_| format!("{text}: Unknown Object Identifier"));
    }
    let body = text.strip_prefix('.').unwrap_or(text);
    let labels: Vec<&str> = body.split('.').collect();
    let first = labels.first().copied().unwrap_or_default();
    let rooted = ["iso", "ccitt", "joint-iso-ccitt"].contains(&first)
        || (!first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()));
    if random && !rooted {
        return mib
            .resolve(text)
            .map_err(|_| format!("Unknown object identifier: {text}"));
    }
    if rooted && let Ok(oid) = mib.resolve(text) {
        return Ok(oid);
    }
    // Where the path stops: the last label that resolves, and the one after it.
    let mut parent = "(top)".to_owned();
    let mut failing = first;
    for n in 1..=labels.len() {
        let prefix = labels.get(..n).unwrap_or_default().join(".");
        match mib.resolve(&prefix) {
            Ok(oid) if rooted => {
                parent = mib.object_at(&oid).map_or_else(
                    || labels.get(n - 1).copied().unwrap_or_default().to_owned(),
                    |o| o.name.clone(),
                );
                failing = labels.get(n).copied().unwrap_or_default();
            }
            _ => break,
        }
    }
    Err(format!(
        "{text}: Unknown Object Identifier (Sub-id not found: {parent} -> {failing})"
    ))
}

/// Runs snmptranslate with `args` (without the program name).
pub(crate) fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let o = match parse(args) {
        Ok(o) => o,
        Err(message) => {
            // A bad -w: the message alone (net-snmp prints no usage).
            if let Some(alone) = message.strip_prefix('\0') {
                let _ = writeln!(err, "{alone}");
                return 1;
            }
            if !message.is_empty() {
                let _ = writeln!(err, "{message}");
            }
            let _ = write!(err, "{}", usage());
            return 1;
        }
    };
    // net-snmp's default width, which does not wrap.
    let width = if o.width == 0 { 1_000_000 } else { o.width };
    let mut output = o.output;
    output.set_mib(o.mibs.load(err));
    if o.operands.is_empty() {
        // -Tp alone draws the whole tree, from iso.
        if o.tree
            && let Some(text) = output
                .mib()
                .and_then(|m| crate::mibtree::draw(m, None, width))
        {
            let _ = write!(out, "{text}");
            return 0;
        }
        let _ = write!(err, "{}", usage());
        return 1;
    }
    for (i, text) in o.operands.iter().enumerate() {
        let oid = if o.best && !o.random {
            // -Ib: the best match's name, looked up as -IR would.
            let found = output
                .mib()
                .and_then(|m| crate::mibtree::best_match(m, text))
                .map(|node| {
                    output
                        .mib()
                        .and_then(|m| m.resolve(&node.name).ok())
                        .unwrap_or_else(|| node.oid.clone())
                });
            match found {
                Some(oid) => oid,
                None => {
                    let _ = out.flush();
                    let _ = writeln!(
                        err,
                        "Unable to find a matching object identifier for \"{text}\""
                    );
                    return 1;
                }
            }
        } else {
            match resolve(output.mib(), text, o.random) {
                Ok(oid) => oid,
                Err(e) => {
                    let _ = out.flush();
                    let _ = writeln!(err, "{e}");
                    return 2;
                }
            }
        };
        if o.tree {
            match output
                .mib()
                .and_then(|m| crate::mibtree::draw(m, Some(&oid), width))
            {
                Some(text) => {
                    let _ = write!(out, "{text}");
                }
                None => {
                    let _ = out.flush();
                    let _ = writeln!(
                        err,
                        "Unable to find a matching object identifier for \"{text}\""
                    );
                    return 1;
                }
            }
        } else {
            let _ = writeln!(out, "{}", output.oid(&oid));
            if o.details
                && let Some(text) = output
                    .mib()
                    .and_then(|m| crate::mibtree::details(m, &oid, width))
            {
                let _ = writeln!(out, "{text}");
            }
        }
        if i + 1 < o.operands.len() {
            let _ = writeln!(out);
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_and_numeric_oids_without_mibs() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = run(
            &args(&["-m", ":", "-On", "1.3.6.1.2.1", "-IR", ".1.3.6"]),
            &mut out,
            &mut err,
        );
        assert_eq!(status, 0, "{}", String::from_utf8_lossy(&err));
        assert_eq!(String::from_utf8(out).unwrap(), ".1.3.6.1.2.1\n\n.1.3.6\n");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(
            run(&args(&["-m", ":", "sysDescr.0"]), &mut out, &mut err),
            2
        );
        assert!(
            String::from_utf8(err)
                .unwrap()
                .contains("Unknown Object Identifier")
        );
        assert!(parse(&args(&["-Oz"])).is_err());
        assert!(parse(&args(&["-m"])).is_err());
        assert_eq!(parse(&args(&["--help"])).err().as_deref(), Some(""));
    }
}
