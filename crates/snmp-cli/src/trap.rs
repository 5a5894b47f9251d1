//! net-snmp's `snmptrap` and `snmpinform`: the trap parameters after the agent, the
//! bindings' `OID TYPE VALUE` as `snmp_add_var` takes them, and the sending.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use snmp_hlapi::{GenericTrap, NotificationKind, Oid, TrapV1Pdu, Value, VarBind, oid};

use crate::tools::{EXIT_FAIL, EXIT_OK, Session, Version, hex_id, parse_oid, print_usage};

/// snmptrap's enterprise of an SNMPv1 trap given as `''`: `.1.3.6.1.4.1.3.1.1`.
const DEFAULT_ENTERPRISE: Oid = oid!(1, 3, 6, 1, 4, 1, 3, 1, 1);

/// `sysUpTime.0`.
const SYS_UP_TIME_0: Oid = oid!(1, 3, 6, 1, 2, 1, 1, 3, 0);

/// Sends the notification of the session's operands; the exit status.
pub(crate) async fn send(s: &mut Session<'_>) -> u8 {
    let ops = std::mem::take(&mut s.o.operands);
    let inform = s.tool == crate::tools::Tool::Inform || s.o.inform;
    let missing = |s: &mut Session<'_>, what: &str| {
        let _ = writeln!(s.err, "{what}");
        print_usage(s.tool, s.err);
        EXIT_FAIL
    };
    if s.o.version == Version::V1 {
        if inform {
            let _ = writeln!(s.err, "Cannot send INFORM as SNMPv1 PDU");
            return EXIT_FAIL;
        }
        let Some(enterprise) = ops.first() else {
            return missing(s, "No enterprise oid");
        };
        let enterprise = if enterprise.is_empty() {
            DEFAULT_ENTERPRISE
        } else {
            match parse_oid(s.o.output.mib(), enterprise) {
                Ok(o) => o,
                Err(e) => {
                    let _ = writeln!(s.err, "{e}");
                    return EXIT_FAIL;
                }
            }
        };
        let Some(agent) = ops.get(1) else {
            return missing(s, "Missing agent parameter");
        };
        let agent_addr = if agent.is_empty() {
            own_address()
        } else {
            match agent_address(agent).await {
                Some(a) => a,
                None => {
                    let _ = writeln!(s.err, "unknown host: {agent}");
                    return EXIT_FAIL;
                }
            }
        };
        let Some(generic) = ops.get(2) else {
            return missing(s, "Missing generic-trap parameter");
        };
        let Some(specific) = ops.get(3) else {
            return missing(s, "Missing specific-trap parameter");
        };
        let Some(uptime) = ops.get(4) else {
            return missing(s, "Missing uptime parameter");
        };
        let varbinds = match varbinds(s.o.output.mib(), ops.get(5..).unwrap_or_default(), s.err) {
            Ok(v) => v,
            Err(status) => return status,
        };
        let trap = TrapV1Pdu {
            enterprise,
            agent_addr: agent_addr.octets(),
            generic_trap: GenericTrap(c_int(generic)),
            specific_trap: c_int(specific),
            time_stamp: uptime_operand(uptime),
            varbinds,
        };
        return match s.manager.send_v1_trap(&s.target, &s.auth, trap).await {
            Ok(_) => EXIT_OK,
            Err(e) => s.failure(&e),
        };
    }
    let Some(uptime) = ops.first() else {
        return missing(s, "Missing up-time parameter");
    };
    let Some(trap_oid) = ops.get(1) else {
        return missing(s, "Missing trap-oid parameter");
    };
    let trap_oid = match parse_oid(s.o.output.mib(), trap_oid) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(s.err, "{e}");
            return EXIT_FAIL;
        }
    };
    let mut bindings = vec![VarBind::new(
        SYS_UP_TIME_0,
        Value::TimeTicks(uptime_operand(uptime)),
    )];
    match varbinds(s.o.output.mib(), ops.get(2..).unwrap_or_default(), s.err) {
        Ok(v) => bindings.extend(v),
        Err(status) => return status,
    }
    let kind = if inform {
        NotificationKind::Inform
    } else {
        NotificationKind::Trap
    };
    match s
        .manager
        .send_notification(&s.target, &s.auth, kind, trap_oid, bindings)
        .await
    {
        Ok(_) => EXIT_OK,
        Err(e) if e.is_timeout() => {
            // net-snmp's words, whatever the program (`snmptrap -Ci` too).
            let _ = writeln!(s.err, "snmpinform: Timeout");
            EXIT_FAIL
        }
        Err(e) => s.failure(&e),
    }
}

/// The `OID TYPE VALUE` triples after the trap parameters.
fn varbinds(
    mib: Option<&snmp_mib::Mib>,
    ops: &[String],
    err: &mut dyn Write,
) -> Result<Vec<VarBind>, u8> {
    let mut out = Vec::with_capacity(ops.len() / 3);
    for triple in ops.chunks(3) {
        let [name, kind, text] = triple else {
            let name = triple.first().map_or("", String::as_str);
            let _ = writeln!(err, "{name}: Missing type/value for variable");
            return Err(EXIT_FAIL);
        };
        let oid = match parse_oid(mib, name) {
            Ok(o) => o,
            Err(e) => {
                let _ = writeln!(err, "{e}");
                return Err(EXIT_FAIL);
            }
        };
        match value(mib, kind, text, err) {
            Ok(v) => out.push(VarBind::new(oid, v)),
            Err(e) => {
                let _ = writeln!(err, "{name}: {e}");
                return Err(EXIT_FAIL);
            }
        }
    }
    Ok(out)
}

/// A value as net-snmp's `snmp_add_var` reads `TYPE VALUE` (no MIB: the type is given),
/// with its error messages.
pub(crate) fn value(
    mib: Option<&snmp_mib::Mib>,
    kind: &str,
    text: &str,
    err: &mut dyn Write,
) -> Result<Value, String> {
    let notation = || format!("Bad value notation ({text})");
    let unsigned = || {
        strtoul(text)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(notation)
    };
    Ok(match kind {
        "i" => {
            let n = strtol(text).ok_or_else(|| format!("Value out of range ({text})"))?;
            match i32::try_from(n) {
                Ok(i) => Value::Integer(i),
                Err(_) => {
                    let _ = writeln!(err, "truncating integer value > 32 bits");
                    let low = u32::try_from(n.rem_euclid(1 << 32)).unwrap_or(0);
                    Value::Integer(i32::from_ne_bytes(low.to_ne_bytes()))
                }
            }
        }
        "u" => Value::Gauge32(unsigned()?),
        "c" => Value::Counter32(unsigned()?),
        "U" => Value::OpaqueU64(strtoul(text).ok_or_else(notation)?),
        "I" => Value::OpaqueI64(strtol(text).ok_or_else(notation)?),
        "F" => Value::OpaqueFloat(text.trim().parse().map_err(|_| notation())?),
        "D" => Value::OpaqueDouble(text.trim().parse().map_err(|_| notation())?),
        "t" => Value::TimeTicks(unsigned()?),
        "C" => Value::Counter64(strtoul(text).ok_or_else(notation)?),
        "a" => Value::IpAddress(text.parse::<Ipv4Addr>().map_err(|_| notation())?.octets()),
        "o" => Value::ObjectIdentifier(parse_oid(mib, text).map_err(|e| {
            e.strip_prefix(text)
                .and_then(|r| r.strip_prefix(": "))
                .map_or_else(|| e.clone(), str::to_owned)
        })?),
        "s" => Value::from(text.as_bytes().to_vec()),
        "x" => {
            let digits: String = text
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ':')
                .collect();
            Value::from(hex_id(&digits).ok_or_else(notation)?)
        }
        "d" => Value::from(
            text.split(|c: char| c == '.' || c.is_whitespace())
                .filter(|p| !p.is_empty())
                .map(|p| p.parse::<u8>().map_err(|_| notation()))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        "b" => {
            let mut bits = Vec::new();
            for p in text.split([',', ' ', '\t']).filter(|p| !p.is_empty()) {
                let n: usize = p.parse().map_err(|_| notation())?;
                if bits.len() <= n / 8 {
                    bits.resize(n / 8 + 1, 0u8);
                }
                if let Some(byte) = bits.get_mut(n / 8) {
                    *byte |= 0x80 >> (n % 8);
                }
            }
            Value::from(bits)
        }
        "n" => Value::Null,
        _ => return Err(format!("Bad variable type (\"{kind}\")")),
    })
}

/// C's `strtoul` in base 0 on the whole text: `0x` hex, leading `0` octal, else decimal.
fn strtoul(t: &str) -> Option<u64> {
    let t = t.trim_start();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if t.len() > 1
        && let Some(o) = t.strip_prefix('0')
    {
        u64::from_str_radix(o, 8).ok()
    } else {
        t.parse().ok()
    }
}

/// C's `strtol` in base 10 on the whole text.
fn strtol(t: &str) -> Option<i64> {
    t.trim_start().parse().ok()
}

/// C's `atol`: the leading decimal number, 0 if none.
fn atol(t: &str) -> i64 {
    let t = t.trim_start();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..).unwrap_or_default()),
        Some(b'+') => (false, t.get(1..).unwrap_or_default()),
        _ => (false, t),
    };
    let mut n: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if negative { -n } else { n }
}

/// C's `atoi`, wrapped to 32 bits.
fn c_int(t: &str) -> i32 {
    let low = u32::try_from(atol(t).rem_euclid(1 << 32)).unwrap_or(0);
    i32::from_ne_bytes(low.to_ne_bytes())
}

/// The UPTIME operand: `''` is the system's uptime (net-snmp's `get_uptime`), anything else
/// `atol` of it, as TimeTicks.
fn uptime_operand(t: &str) -> u32 {
    if t.is_empty() {
        return system_uptime();
    }
    u32::try_from(atol(t).rem_euclid(1 << 32)).unwrap_or(0)
}

/// The system's uptime in hundredths of a second, from `/proc/uptime` (0 if unreadable).
fn system_uptime() -> u32 {
    let Ok(text) = std::fs::read_to_string("/proc/uptime") else {
        return 0;
    };
    let first = text.split_whitespace().next().unwrap_or_default();
    let (secs, frac) = first.split_once('.').unwrap_or((first, "0"));
    let secs: u64 = secs.parse().unwrap_or(0);
    let centis: u64 = format!("{frac:0<2}")
        .get(..2)
        .and_then(|f| f.parse().ok())
        .unwrap_or(0);
    u32::try_from(secs.saturating_mul(100).saturating_add(centis) % (1 << 32)).unwrap_or(0)
}

/// This host's address (net-snmp's `get_myaddr`, the first interface that is not the
/// loopback): the source address of the default route, `0.0.0.0` if there is none.
fn own_address() -> Ipv4Addr {
    let probe = || -> std::io::Result<Ipv4Addr> {
        let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
        // No datagram is sent: connecting a UDP socket only picks the route.
        socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
        match socket.local_addr()? {
            SocketAddr::V4(a) => Ok(*a.ip()),
            SocketAddr::V6(_) => Ok(Ipv4Addr::UNSPECIFIED),
        }
    };
    probe().unwrap_or(Ipv4Addr::UNSPECIFIED)
}

/// An AGENT-ADDR operand: an IPv4 address or a name.
async fn agent_address(text: &str) -> Option<Ipv4Addr> {
    if let Ok(a) = text.parse() {
        return Some(a);
    }
    tokio::net::lookup_host((text, 0))
        .await
        .ok()?
        .find_map(|a| match a {
            SocketAddr::V4(v4) => Some(*v4.ip()),
            SocketAddr::V6(_) => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_snmp_add_var() {
        let mut err = Vec::new();
        let mut v = |k: &str, t: &str| value(None, k, t, &mut err);
        assert_eq!(v("i", "-5"), Ok(Value::Integer(-5)));
        assert_eq!(v("i", "x"), Err("Value out of range (x)".to_owned()));
        assert_eq!(v("u", "x"), Err("Bad value notation (x)".to_owned()));
        assert_eq!(v("c", "0x10"), Ok(Value::Counter32(16)));
        assert_eq!(v("C", "5"), Ok(Value::Counter64(5)));
        assert_eq!(v("a", "1.2.3.4"), Ok(Value::IpAddress([1, 2, 3, 4])));
        assert_eq!(v("x", "00ff"), Ok(Value::from(vec![0, 0xff])));
        assert_eq!(v("d", "1.2"), Ok(Value::from(vec![1, 2])));
        assert_eq!(v("b", "0,9"), Ok(Value::from(vec![0x80, 0x40])));
        assert_eq!(v("=", "1"), Err("Bad variable type (\"=\")".to_owned()));
        assert_eq!(
            v("o", "foo"),
            Err("Unknown Object Identifier (Sub-id not found: (top) -> foo)".to_owned())
        );
        assert_eq!(v("i", "99999999999"), Ok(Value::Integer(1_215_752_191)));
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "truncating integer value > 32 bits\n"
        );
    }

    #[test]
    fn c_numbers() {
        assert_eq!(atol("12abc"), 12);
        assert_eq!(atol("x"), 0);
        assert_eq!(atol(" -3"), -3);
        assert_eq!(c_int("6"), 6);
        assert_eq!(uptime_operand("1234"), 1234);
        assert!(system_uptime() > 0);
    }
}
