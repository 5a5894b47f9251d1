"""PySNMP 7 as an SNMPv3 manager for the interop test (crates/snmp-usm/tests/interop_pysnmp.rs).

Usage: pysnmp_get.py PORT AUTH_PASS PRIV_PASS USER:AUTH:PRIV...
For each USER:AUTH:PRIV, sends one authPriv GET of sysName.0 to 127.0.0.1:PORT and prints
"USER value" or "USER ERROR what" on its own line. Exits 0 when every GET got a value.
"""
import asyncio
import sys

from pysnmp.hlapi.v3arch.asyncio import (
    ContextData, ObjectIdentity, ObjectType, SnmpEngine, UdpTransportTarget, UsmUserData,
    get_cmd, usm3DESEDEPrivProtocol, usmAesBlumenthalCfb192Protocol,
    usmAesBlumenthalCfb256Protocol, usmAesCfb128Protocol, usmAesCfb192Protocol,
    usmAesCfb256Protocol, usmDESPrivProtocol, usmHMAC128SHA224AuthProtocol,
    usmHMAC192SHA256AuthProtocol, usmHMAC256SHA384AuthProtocol, usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol, usmHMACSHAAuthProtocol,
)

AUTH = {
    "MD5": usmHMACMD5AuthProtocol, "SHA": usmHMACSHAAuthProtocol,
    "SHA-224": usmHMAC128SHA224AuthProtocol, "SHA-256": usmHMAC192SHA256AuthProtocol,
    "SHA-384": usmHMAC256SHA384AuthProtocol, "SHA-512": usmHMAC384SHA512AuthProtocol,
}
# net-snmp's names: AES-192/AES-256 use the Blumenthal key extension, AES-192C/AES-256C the
# Reeder one, which PySNMP calls plain CFB192/CFB256.
PRIV = {
    "DES": usmDESPrivProtocol, "3DES": usm3DESEDEPrivProtocol, "AES": usmAesCfb128Protocol,
    "AES-192": usmAesBlumenthalCfb192Protocol, "AES-256": usmAesBlumenthalCfb256Protocol,
    "AES-192C": usmAesCfb192Protocol, "AES-256C": usmAesCfb256Protocol,
}


async def main():
    port, auth_pass, priv_pass = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    failures = 0
    for spec in sys.argv[4:]:
        user, auth, priv = spec.split(":")
        engine = SnmpEngine()
        target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=3, retries=1)
        creds = UsmUserData(user, auth_pass, priv_pass, authProtocol=AUTH[auth], privProtocol=PRIV[priv])
        err, status, _, varbinds = await get_cmd(
            engine, creds, target, ContextData(), ObjectType(ObjectIdentity("1.3.6.1.2.1.1.5.0"))
        )
        if err or status:
            failures += 1
            print(f"{user} ERROR {err or status.prettyPrint()}", flush=True)
        else:
            print(f"{user} {varbinds[0][1].prettyPrint()}", flush=True)
        engine.close_dispatcher()
    sys.exit(1 if failures else 0)


asyncio.run(main())
