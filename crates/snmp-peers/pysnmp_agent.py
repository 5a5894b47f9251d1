"""A PySNMP 7 command responder for the interop suites, started by snmp-peers' `PySnmpAgent`.

Usage: pysnmp_agent.py PORT ENGINE_ID_HEX AUTH_PASS PRIV_PASS SECONDS USER:AUTH:PRIV...
Serves SNMPv3 GETs on 127.0.0.1:PORT for each user at authPriv, read access to the system
group, for at most SECONDS seconds; prints "ready" once the socket is open.
"""
import asyncio
import sys

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto.api import v2c

AUTH = {
    "MD5": config.USM_AUTH_HMAC96_MD5, "SHA": config.USM_AUTH_HMAC96_SHA,
    "SHA-224": config.USM_AUTH_HMAC128_SHA224, "SHA-256": config.USM_AUTH_HMAC192_SHA256,
    "SHA-384": config.USM_AUTH_HMAC256_SHA384, "SHA-512": config.USM_AUTH_HMAC384_SHA512,
}
# net-snmp's names: AES-192/AES-256 use the Blumenthal key extension, AES-192C/AES-256C the
# Reeder one, which PySNMP calls plain CFB192/CFB256.
PRIV = {
    "DES": config.USM_PRIV_CBC56_DES, "3DES": config.USM_PRIV_CBC168_3DES,
    "AES": config.USM_PRIV_CFB128_AES,
    "AES-192": config.USM_PRIV_CFB192_AES_BLUMENTHAL, "AES-256": config.USM_PRIV_CFB256_AES_BLUMENTHAL,
    "AES-192C": config.USM_PRIV_CFB192_AES, "AES-256C": config.USM_PRIV_CFB256_AES,
}


def main():
    port, engine_id, auth_pass, priv_pass = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    seconds = float(sys.argv[5])
    snmp_engine = engine.SnmpEngine(snmpEngineID=v2c.OctetString(hexValue=engine_id))
    config.add_transport(
        snmp_engine, udp.DOMAIN_NAME, udp.UdpTransport().open_server_mode(("127.0.0.1", port))
    )
    for spec in sys.argv[6:]:
        user, auth, priv = spec.split(":")
        config.add_v3_user(snmp_engine, user, AUTH[auth], auth_pass, PRIV[priv], priv_pass)
        config.add_vacm_user(snmp_engine, 3, user, "authPriv", (1, 3, 6, 1, 2, 1, 1), ())
    snmp_context = context.SnmpContext(snmp_engine)
    cmdrsp.GetCommandResponder(snmp_engine, snmp_context)
    snmp_engine.transport_dispatcher.job_started(1)
    # Bounded in time: the dispatcher stops by itself.
    asyncio.get_event_loop().call_later(seconds, snmp_engine.transport_dispatcher.job_finished, 1)
    print("ready", flush=True)
    try:
        snmp_engine.open_dispatcher()
    finally:
        snmp_engine.close_dispatcher()


main()
