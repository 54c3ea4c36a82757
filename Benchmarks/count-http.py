#!/usr/bin/env python3
"""make count-http: hero-server's instructions per request, counted by valgrind's callgrind.

bench-http's req/s and perf's samples move with whatever else the machine does (runs a few
minutes apart differ by 5 to 15 %), so a change worth a microsecond cannot be seen in them.
Instruction counts repeat: this starts local-entra and a hero-server on SQLite under callgrind
(the server's debug info stripped, as valgrind 3.19 cannot read this toolchain's; symbols
stay; sigsuspend-shim.c preloaded, see there), sends each case's requests one after the other
on one keep-alive connection, and prints hero-server's instructions per request (every thread
of it), and each case's difference from `GET /`. The performance issue's ratios depend on that
difference. The cases are bench-http's reads (by id, a page of 20 heroes, `/readyz`), plus
`GET /` with a read's token header, which `GET /` ignores: what a read's request costs for its
size alone.

Instructions are not time (a cache miss or a thread wake-up costs more than its count), so
this complements bench-http; it does not replace it.

Settings (environment): COUNT_REQUESTS (per case, default 2000), COUNT_STORE (sqlite, the
default, or postgres: a throwaway cluster as bench-http starts; its server's own work is not
counted), COUNT_OUT (a folder to keep each case's callgrind file in, for callgrind_annotate),
BENCH_SKIP_BUILD=1 and BENCH_BIN as for bench-http.
"""

import http.client
import importlib.util
import os
import subprocess
import sys
import tempfile
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_http", os.path.join(HERE, "bench-http.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

REQUESTS = int(os.environ.get("COUNT_REQUESTS", "2000"))
STORE = os.environ.get("COUNT_STORE", "sqlite")


def send(port, path, tokens, expect):
    """Sends one request per entry of `tokens` (None: no Authorization header) on one
    connection; fails on the first answer whose status is not `expect`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for token in tokens:
            headers = {} if token is None else {"Authorization": f"Bearer {token}"}
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            answer.read()
            if answer.status != expect:
                raise SystemExit(f"GET {path}: {answer.status}, expected {expect}")
    finally:
        connection.close()


def callgrind(pid, *arguments):
    """Runs callgrind_control on hero-server. It exits 0 even when it reached nothing, so its
    output is shown when the caller finds the effect missing."""
    # valgrind names its control pipes after $HOST, which hero-server's environment sets.
    return subprocess.run(["callgrind_control", *arguments, str(pid)], check=True, capture_output=True, text=True,
                          env={**os.environ, "HOST": "127.0.0.1"})


def totals(path):
    """The instruction count of a callgrind file (its `totals:` or `summary:` line)."""
    with open(path) as counts:
        for line in counts:
            if line.startswith(("totals:", "summary:")):
                return int(line.split()[1])
    raise SystemExit(f"{path} holds no totals")


def main():
    bench.ensure_tool("valgrind", "valgrind")
    bench.ensure_tool("gcc", "gcc")
    bin_path = bench.build()
    work = tempfile.mkdtemp(prefix="hvalfangst-count-")
    keep = os.environ.get("COUNT_OUT")
    processes = bench.Processes()
    try:
        server_binary = os.path.join(work, "hero-server")
        subprocess.run(["strip", "--strip-debug", "-o", server_binary, os.path.join(bin_path, "hero-server")], check=True)
        shim = os.path.join(work, "sigsuspend-shim.so")
        subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", shim, os.path.join(HERE, "sigsuspend-shim.c")], check=True)

        authority, state = bench.start_local_entra(bin_path, work, processes)

        port = bench.free_port()
        out = os.path.join(work, "callgrind.out")
        if STORE == "postgres":
            store = {"HVALFANGST_DATABASE_URL": bench.start_postgres(work, processes)}
        else:
            store = {"HVALFANGST_DB_PATH": os.path.join(work, "heroes.sqlite")}
        env = {"HVALFANGST_AUTHORITY_HOST": authority, "HOST": "127.0.0.1", "PORT": str(port), "LD_PRELOAD": shim, **store,
               # Swift seeds its hashing per process, so dictionaries list their keys in another
               # order each run, and sorting them (the log line's metadata) costs more or less.
               "SWIFT_DETERMINISTIC_HASHING": "1"}
        server = processes.start(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", server_binary],
            env, os.path.join(work, "hero-server.log"),
        )
        bench.wait_ready(f"http://127.0.0.1:{port}/readyz", server, deadline_seconds=300)

        token = bench.mint(bin_path, state, authority, 1)[0]
        fresh = bench.mint(bin_path, state, authority, REQUESTS + 100)
        read = f"/api/heroes/{bench.seed_heroes(f'http://127.0.0.1:{port}', token)}"

        cases = [
            ("GET / (no token, no database)", "/", [None], 200),
            ("GET / with a token's Authorization header (ignored)", "/", [token], 200),
            ("GET /api/heroes/{id}, one token repeated", read, [token], 200),
            ("GET /api/heroes/{id}, a new token every request", read, fresh, 200),
            ("GET /api/heroes/{id}, malformed token (401)", read, ["not.a.token"], 401),
            (f"GET /api/heroes/?limit={bench.PAGE} (a page of {bench.PAGE} heroes)", f"/api/heroes/?limit={bench.PAGE}", [token], 200),
            ("GET /readyz", "/readyz", [None], 200),
        ]
        counts = {}
        for number, (label, path, tokens, expect) in enumerate(cases, start=1):
            bench.log(f"{label}: {REQUESTS} requests under callgrind")
            # A few uncounted requests first: the connection, the caches and the first
            # verification of a token are not what a request costs.
            warm = tokens[REQUESTS:] if len(tokens) > 1 else tokens * 50
            send(port, path, warm, expect)
            callgrind(server.pid, "--zero")
            send(port, path, tokens[:REQUESTS] if len(tokens) > 1 else tokens * REQUESTS, expect)
            control = callgrind(server.pid, f"--dump={number}")
            dumps = sorted(
                (name for name in os.listdir(work) if name.startswith("callgrind.out.")),
                key=lambda name: os.path.getmtime(os.path.join(work, name)),
            )
            if not dumps:
                raise SystemExit(f"callgrind wrote no counts for {label}:\n{control.stdout}{control.stderr}")
            dump = os.path.join(work, dumps[-1])
            counts[label] = totals(dump) / REQUESTS
            if keep:
                os.makedirs(keep, exist_ok=True)
                shutil.copy(dump, os.path.join(keep, f"case{number}.callgrind"))
            os.remove(dump)

        commit = bench.measured_commit()
        base = counts[cases[0][0]]
        print(f"\n## hero-server on {STORE}: instructions per request, callgrind, {REQUESTS} requests per case (commit {commit})\n")
        print("| case | instructions | more than GET / |")
        print("|---|---:|---:|")
        for label, count in counts.items():
            print(f"| {label} | {count:,.0f} | {count - base:+,.0f} |")
    finally:
        processes.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
