"""The Python managers of `cargo xtask bench manager` (written to a scratch directory).

Usage, one line `result WALL_S CPU_S OK BAD [MAXRSS_KB | IN_TIME]` per measurement on stdout
(IN_TIME: the answers that came before the deadline, of the GET rates):
  walk PORT OID REPS WALKS ROWS [PID] PySNMP bulk_walk_cmd, WALKS walks of ROWS rows (with PID:
                                      ROWS of the rows walked have the value PID)
  ezwalk PORT OID REPS WALKS ROWS [PID] ezsnmp Session.bulk_walk, likewise
  get PORT INFLIGHT SECONDS DESCR LIMIT   PySNMP get_cmd, INFLIGHT tasks for SECONDS
  ezget PORT SECONDS DESCR LIMIT      ezsnmp Session.get, one at a time
  child OUT CMD...                    run CMD, its output to the file OUT: its wall time
                                      and CPU time (getrusage of the child, microseconds)
  targets PORT N ROUNDS DESCR WINDOW  PySNMP get_cmd to N addresses 127.0.x.y at once
                                      (at most WINDOW in flight unless 0)
CPU_S is this process's CPU time (time.process_time) over the measurement only: the
interpreter's start and imports are not counted.
"""
import asyncio
import resource
import sys
import time

SYS_DESCR_0 = "1.3.6.1.2.1.1.1.0"


def check_row(oid, value, prefix, i):
    """Whether the i-th row (1-based) of the column is PREFIX.i = 3 * i."""
    return oid == prefix + (i,) and int(value) == 3 * i


def result(wall, cpu, ok, bad, *extra):
    print("result", wall, cpu, ok, bad, *extra, flush=True)


def target_addr(n):
    return "127.0.%d.%d" % (n >> 8, n & 255)


async def pysnmp_walk(port, oid, reps, walks, rows, pid=None):
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData, ContextData, ObjectIdentity, ObjectType, SnmpEngine,
        UdpTransportTarget, bulk_walk_cmd)
    prefix = tuple(int(a) for a in oid.split("."))
    engine = SnmpEngine()
    target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=1)
    for _ in range(walks):
        got = []
        bad = 0
        t, c = time.monotonic(), time.process_time()
        async for err, status, _index, varbinds in bulk_walk_cmd(
                engine, CommunityData("public"), target, ContextData(), 0, reps,
                ObjectType(ObjectIdentity(oid)), lexicographicMode=False, lookupMib=False):
            if err or status:
                bad += 1
                break
            got.extend(varbinds)
        wall, cpu = time.monotonic() - t, time.process_time() - c
        if pid is not None:
            ok = sum(1 for vb in got if int(vb[1]) == pid)
            result(wall, cpu, ok, bad + max(0, rows - ok), len(got))
            continue
        ok = 0
        for i, vb in enumerate(got, 1):
            if check_row(tuple(vb[0]), vb[1], prefix, i):
                ok += 1
            else:
                bad += 1
        if len(got) != rows:
            bad += 1
        result(wall, cpu, ok, bad)


def ez_walk(port, oid, reps, walks, rows, pid=None):
    from ezsnmp import Session
    prefix = tuple(int(a) for a in oid.split("."))
    session = Session(hostname="127.0.0.1", port_number=port, version=2, community="public",
                      timeout=2, retries=1, set_max_repeaters_to_num=reps,
                      print_oids_numerically=True)
    for _ in range(walks):
        t, c = time.monotonic(), time.process_time()
        got = session.bulk_walk(oid)
        wall, cpu = time.monotonic() - t, time.process_time() - c
        if pid is not None:
            ok = sum(1 for r in got if r.value.isdigit() and int(r.value) == pid)
            result(wall, cpu, ok, max(0, rows - ok), len(got))
            continue
        ok = bad = 0
        for i, r in enumerate(got, 1):
            name = tuple(int(a) for a in (r.oid + "." + r.index).strip(".").split(".") if a)
            if check_row(name, r.value, prefix, i):
                ok += 1
            else:
                bad += 1
        if len(got) != rows:
            bad += 1
        result(wall, cpu, ok, bad)


async def pysnmp_get(port, inflight, seconds, descr, limit):
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData, ContextData, ObjectIdentity, ObjectType, SnmpEngine,
        UdpTransportTarget, get_cmd)
    engine = SnmpEngine()
    community = CommunityData("public")
    target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=1)
    counts = {"ok": 0, "bad": 0, "sent": 0, "in_time": 0}

    async def one():
        err, status, _index, varbinds = await get_cmd(
            engine, community, target, ContextData(),
            ObjectType(ObjectIdentity(SYS_DESCR_0)), lookupMib=False)
        return not err and not status and len(varbinds) == 1 and str(varbinds[0][1]) == descr

    if not await one():
        result(0, 0, 0, 1)
        return
    deadline = time.monotonic() + seconds

    async def worker():
        while time.monotonic() < deadline and counts["sent"] < limit:
            counts["sent"] += 1
            counts["ok" if await one() else "bad"] += 1
            if time.monotonic() < deadline:
                counts["in_time"] += 1

    t, c = time.monotonic(), time.process_time()
    await asyncio.gather(*[worker() for _ in range(inflight)])
    result(time.monotonic() - t, time.process_time() - c, counts["ok"], counts["bad"],
           counts["in_time"])


def ez_get(port, seconds, descr, limit):
    from ezsnmp import Session
    session = Session(hostname="127.0.0.1", port_number=port, version=2, community="public",
                      timeout=2, retries=1)
    ok = bad = in_time = 0
    t, c = time.monotonic(), time.process_time()
    deadline = t + seconds
    while time.monotonic() < deadline and ok + bad < limit:
        got = session.get(SYS_DESCR_0)
        if len(got) == 1 and got[0].value == descr:
            ok += 1
        else:
            bad += 1
        if time.monotonic() < deadline:
            in_time += 1
    result(time.monotonic() - t, time.process_time() - c, ok, bad, in_time)


def child(out, cmd):
    import subprocess
    def children_cpu():
        # This process's own children may not be the first (a launcher such as pyenv's
        # shim may have run some before the interpreter): the difference counts.
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    with open(out, "wb") as f:
        t, c = time.monotonic(), children_cpu()
        # stdin is this process's: the input of xargs.
        status = subprocess.run(cmd, stdout=f).returncode
        wall, cpu = time.monotonic() - t, children_cpu() - c
    if status != 0:
        sys.exit("%s: exit status %d" % (cmd[0], status))
    result(wall, cpu, 0, 0)


async def pysnmp_targets(port, n, rounds, descr, window):
    from pysnmp.hlapi.v3arch.asyncio import (
        CommunityData, ContextData, ObjectIdentity, ObjectType, SnmpEngine,
        UdpTransportTarget, get_cmd)
    engine = SnmpEngine()
    community = CommunityData("public")
    targets = [await UdpTransportTarget.create((target_addr(i), port), timeout=2, retries=1)
               for i in range(1, n + 1)]

    gate = asyncio.Semaphore(window if window > 0 else n)

    async def one(target):
        async with gate:
            err, status, _index, varbinds = await get_cmd(
                engine, community, target, ContextData(),
                ObjectType(ObjectIdentity(SYS_DESCR_0)), lookupMib=False)
        return not err and not status and len(varbinds) == 1 and str(varbinds[0][1]) == descr

    for _ in range(rounds):
        t, c = time.monotonic(), time.process_time()
        answers = await asyncio.gather(*[one(target) for target in targets])
        wall, cpu = time.monotonic() - t, time.process_time() - c
        ok = sum(1 for a in answers if a)
        result(wall, cpu, ok, n - ok, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main(argv):
    mode = argv[0]
    port = int(argv[1]) if mode != "child" else 0
    if mode == "walk":
        pid = int(argv[6]) if len(argv) > 6 else None
        asyncio.run(pysnmp_walk(port, argv[2], int(argv[3]), int(argv[4]), int(argv[5]), pid))
    elif mode == "ezwalk":
        pid = int(argv[6]) if len(argv) > 6 else None
        ez_walk(port, argv[2], int(argv[3]), int(argv[4]), int(argv[5]), pid)
    elif mode == "get":
        asyncio.run(pysnmp_get(port, int(argv[2]), float(argv[3]), argv[4], int(argv[5])))
    elif mode == "ezget":
        ez_get(port, float(argv[2]), argv[3], int(argv[4]))
    elif mode == "child":
        child(argv[1], argv[2:])
    elif mode == "targets":
        asyncio.run(pysnmp_targets(port, int(argv[2]), int(argv[3]), argv[4], int(argv[5])))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv[1:])
