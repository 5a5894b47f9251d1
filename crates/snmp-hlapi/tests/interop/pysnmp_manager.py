"""PySNMP 7 hlapi as a manager of our agent (run by tests/interop/agent.rs).

usage: pysnmp_manager.py PORT v2c COMMUNITY
       pysnmp_manager.py PORT v3 USER AUTH_PASS PRIV_PASS   (SHA / AES-128)

Prints one line per result, the values with prettyPrint(), numeric OIDs:
  get OID = VALUE
  walk OID = VALUE            (bulk_walk_cmd over the test table's name column)
  walk1 OID = VALUE           (walk_cmd over the same column)
  set OID = VALUE
  error WHAT: TEXT            (an errorIndication or an errorStatus)
"""

import asyncio
import sys

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    OctetString,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    bulk_walk_cmd,
    get_cmd,
    set_cmd,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
    walk_cmd,
)

SYS_NAME = "1.3.6.1.2.1.1.5.0"
NAME_COLUMN = "1.3.6.1.4.1.99999.2.1.2"
GREETING = "1.3.6.1.4.1.99999.1.1.0"


def report(what, result):
    error_indication, error_status, error_index, var_binds = result
    if error_indication:
        print(f"error {what}: {error_indication}")
        return False
    if error_status:
        print(f"error {what}: {error_status.prettyPrint()} at {error_index}")
        return False
    for name, value in var_binds:
        print(f"{what} {name.prettyPrint()} = {value.prettyPrint()}")
    return True


async def main():
    port = int(sys.argv[1])
    if sys.argv[2] == "v2c":
        auth = CommunityData(sys.argv[3], mpModel=1)
    else:
        auth = UsmUserData(
            sys.argv[3],
            authKey=sys.argv[4],
            privKey=sys.argv[5],
            authProtocol=usmHMACSHAAuthProtocol,
            privProtocol=usmAesCfb128Protocol,
        )
    engine = SnmpEngine()
    target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=1, retries=1)
    ctx = ContextData()

    def ot(oid, *value):
        return ObjectType(ObjectIdentity(oid), *value)

    report("get", await get_cmd(engine, auth, target, ctx, ot(SYS_NAME), lookupMib=False))
    async for result in bulk_walk_cmd(
        engine, auth, target, ctx, 0, 10, ot(NAME_COLUMN),
        lexicographicMode=False, lookupMib=False,
    ):
        if not report("walk", result):
            break
    async for result in walk_cmd(
        engine, auth, target, ctx, ot(NAME_COLUMN),
        lexicographicMode=False, lookupMib=False,
    ):
        if not report("walk1", result):
            break
    value = OctetString(f"set-by-pysnmp-{sys.argv[2]}")
    report("set", await set_cmd(engine, auth, target, ctx, ot(GREETING, value), lookupMib=False))
    report("get", await get_cmd(engine, auth, target, ctx, ot(GREETING), lookupMib=False))
    engine.close_dispatcher()


asyncio.run(asyncio.wait_for(main(), 15))
