#!/usr/bin/env python3
"""make cpu-http: whose CPU a request costs under wrk, from the kernel's own accounting.

bench-http gives req/s, which is everything the two cores did divided among the requests:
hero-server, wrk, PostgreSQL's server processes and the kernel's network work all share them.
This runs the same servers (bench-http's setup: local-entra, hero-server on SQLite and on a
throwaway PostgreSQL cluster) and the same wrk, and reads each process's user and system time
and context switches from /proc (every thread of it) before and after each case, and the
machine's from /proc/stat. It prints them per request: what hero-server itself spends, what
the database server spends on hero-server's behalf, and the softirq time of loopback TCP.

The cases are `GET /`, a read with one token repeated and a read with a new token every
request, on each store: a read's cost over `GET /` on the same server, a new token's over a
repeated one, and a PostgreSQL read's over a SQLite one.

With CPU_PERF=folder, perf records hero-server during each case (`--call-graph dwarf`, 1 kHz,
3 s from the case's start) into folder/STORE-CASE.data, for `perf report --children`: where in
hero-server a case's time goes, callees included, async frames and all (frame pointers lose
them). The cases then answer fewer requests, and their times per request grow.

Settings (environment): BENCH_DURATION (seconds per case, default 10), BENCH_SKIP_BUILD=1,
BENCH_BIN, BENCH_COMMIT and BENCH_SKIP_POSTGRES=1, as for bench-http; CPU_PERF.
"""

import importlib.util
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_http", os.path.join(HERE, "bench-http.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

TICKS = os.sysconf("SC_CLK_TCK")


def process_times(pids):
    """Clock ticks of user and system time, and voluntary and involuntary context switches,
    summed over every thread of `pids` (a process that has exited counts nothing)."""
    user = system = voluntary = involuntary = 0
    for pid in pids:
        try:
            for thread in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{thread}/stat") as stat:
                    # Fields after the command name, which may hold spaces: utime and stime are
                    # the 14th and 15th of the whole line.
                    fields = stat.read().rsplit(")", 1)[1].split()
                user += int(fields[11])
                system += int(fields[12])
                with open(f"/proc/{pid}/task/{thread}/status") as status:
                    values = dict(line.split(":", 1) for line in status)
                voluntary += int(values["voluntary_ctxt_switches"])
                involuntary += int(values["nonvoluntary_ctxt_switches"])
        except FileNotFoundError:
            continue
    return [user, system, voluntary, involuntary]


def machine_times():
    """The machine's clock ticks in user, system and softirq time (/proc/stat's first line)."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    return [fields[0], fields[2], fields[6]]


def postgres_pids(url):
    """The server processes of the throwaway cluster at `url`: the postmaster (started with
    `-p PORT`, see bench-http's start_postgres) and its children, the backends among them."""
    port = url.rsplit(":", 1)[1].split("/")[0]
    postmaster = subprocess.run(["pgrep", "-f", f"postgres.* -p {port} "], capture_output=True, text=True).stdout.split()
    if len(postmaster) != 1:
        raise SystemExit(f"expected one PostgreSQL server on port {port}, found {postmaster}")
    children = subprocess.run(["pgrep", "-P", postmaster[0]], capture_output=True, text=True).stdout.split()
    return [int(postmaster[0]), *map(int, children)]


def profile(pid, path):
    """perf recording process `pid` for 3 s into `path`, with DWARF call graphs."""
    return subprocess.Popen(
        ["perf", "record", "-F", "1000", "--call-graph", "dwarf,16384", "-o", path, "-p", str(pid), "--", "sleep", "3"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def main():
    bench.ensure_tool("wrk", "wrk")
    bin_path = bench.build()
    work = tempfile.mkdtemp(prefix="hvalfangst-cpu-")
    processes = bench.Processes()
    try:
        authority, state = bench.start_local_entra(bin_path, work, processes)
        token = bench.mint(bin_path, state, authority, 1)[0]
        token_file = bench.tokens_file(work, "token.txt", [token])
        fresh = bench.FreshTokens(bin_path, state, authority, work)
        profiles = os.environ.get("CPU_PERF")
        if profiles:
            bench.ensure_tool("perf", "linux-perf")
            os.makedirs(profiles, exist_ok=True)

        rows = []
        for name, settings in bench.stores(work, processes):
            base, server, _ = bench.start_hero_server(bin_path, authority, name, settings, work, processes)
            database_url = settings.get("HVALFANGST_DATABASE_URL")
            read = f"/api/heroes/{bench.create_hero(base, token)}"
            repeated = "a read, one token repeated"
            cases = [
                ("GET /", "/", "plain", None),
                (repeated, read, "bearer", token_file),
                ("a read, a new token every request", read, "fresh", bench.FRESH),
            ]
            rps = {}
            for number, (label, path, mode, tokens) in enumerate(cases, start=1):
                if tokens is bench.FRESH:
                    tokens = fresh.file_for(rps[repeated], bench.DURATION)
                bench.log(f"{name}: {label}")
                # Read per case: a backend that ended meanwhile would take its time with it.
                database = postgres_pids(database_url) if database_url else []
                recording = profile(server.pid, os.path.join(profiles, f"{name}-{number}.data")) if profiles else None
                before = (process_times([server.pid]), process_times(database), machine_times())
                result = bench.wrk(base + path, mode, work, tokens)
                after = (process_times([server.pid]), process_times(database), machine_times())
                if recording:
                    recording.wait()
                if result["wrapped"]:
                    raise SystemExit(f"{name}: {label}: the new tokens ran out (some were repeated)")
                if result["unexpected"]:
                    raise SystemExit(f"{name}: {label}: {result['unexpected']} answers were not 2xx")
                requests = result["rps"] * bench.DURATION
                per_request = [[(late - early) / requests for early, late in zip(*pair)] for pair in zip(before, after)]
                server_times, database_times, machine = per_request
                rows.append((name, label, result, server_times, database_times if database_url else None, machine))
                rps[label] = result["rps"]

        to_us = 1e6 / TICKS
        print(f"\n## CPU per request under wrk -t{bench.THREADS} -c{bench.CONNECTIONS}, {bench.DURATION} s per case "
              f"(commit {bench.measured_commit()})\n")
        print("| store | case | req/s | hero-server user µs | system µs | context switches (voluntary + involuntary) "
              "| database server user + system µs | machine user, system, softirq µs |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, label, result, server, database, machine in rows:
            database_cell = f"{database[0] * to_us:.1f} + {database[1] * to_us:.1f}" if database else "–"
            print(f"| {name} | {label} | {result['rps']:,.0f} | {server[0] * to_us:.1f} | {server[1] * to_us:.1f} "
                  f"| {server[2]:.2f} + {server[3]:.2f} | {database_cell} "
                  f"| {machine[0] * to_us:.1f}, {machine[1] * to_us:.1f}, {machine[2] * to_us:.1f} |")
    finally:
        processes.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
