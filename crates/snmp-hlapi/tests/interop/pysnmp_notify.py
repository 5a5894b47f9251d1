"""PySNMP 7 send_notification, for the notification interop test of snmp-hlapi.

Usage: python3 pysnmp_notify.py PORT trap|inform v1|v2c|v3 USER AUTH_PASS PRIV_PASS MARKER

Sends warmStart (1.3.6.1.6.3.1.1.5.2) with sysDescr.0 = "my system" and sysLocation.0 =
MARKER to 127.0.0.1:PORT: community "public" for v1 and v2c, USER with SHA/AES at authPriv
for v3. Prints "ok ENGINE_ID_HEX" and exits 0 once sent (a trap) or acknowledged (an
inform); exits 1 otherwise.
"""

import asyncio
import sys

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    NotificationType,
    ObjectIdentity,
    OctetString,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    send_notification,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
)


async def main(port, kind, version, user, auth_pass, priv_pass, marker):
    engine = SnmpEngine()
    if version == "v1":
        auth = CommunityData("public", mpModel=0)
    elif version == "v2c":
        auth = CommunityData("public")
    else:
        auth = UsmUserData(
            user,
            auth_pass,
            priv_pass,
            authProtocol=usmHMACSHAAuthProtocol,
            privProtocol=usmAesCfb128Protocol,
        )
    target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=2)
    error, status, index, _ = await send_notification(
        engine,
        auth,
        target,
        ContextData(),
        kind,
        NotificationType(ObjectIdentity("1.3.6.1.6.3.1.1.5.2")).add_varbinds(
            ("1.3.6.1.2.1.1.1.0", OctetString("my system")),
            ("1.3.6.1.2.1.1.6.0", OctetString(marker)),
        ),
    )
    engine_id = engine.snmpEngineID.asOctets().hex()
    engine.close_dispatcher()
    if error or status:
        print("error", error, status, index)
        sys.exit(1)
    print("ok", engine_id)


if __name__ == "__main__":
    a = sys.argv
    asyncio.run(main(int(a[1]), a[2], a[3], a[4], a[5], a[6], a[7]))
