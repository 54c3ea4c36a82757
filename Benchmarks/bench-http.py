#!/usr/bin/env python3
"""make bench-http: hero-server under wrk, on SQLite and on PostgreSQL, in one run.

Builds hero-server and local-entra in release (scratch path .build-release), starts
local-entra and two hero-servers (SQLite; PostgreSQL on a throwaway cluster) on free
loopback ports, mints tokens with `local-entra token` (one, and for the case with a new token
every request as many as the repeated token's rate says it can use), and drives wrk over the
cases of the performance issue, plus a page of 20 heroes (`GET /api/heroes/?limit=20`, the
list a client shows). The cases run in rounds, each case once a round: this machine's speed
drifts by 10 to 20 % over minutes, and a case measured once, minutes from `GET /`, moved its
ratio by as much (a read at 0.66× and 0.91× of `GET /` in two runs of one binary). Prints each
case's median req/s and each round's, the median p50 and p99, the ratios of the medians to the
same server's `GET /`, the goals, RSS and start-to-ready; exits 1 if an answer was not the
expected status.

Also measures what the durable write pays for `synchronous=FULL` against `NORMAL`: the same
WAL commits through Python's sqlite3, in the same folder, with each setting.

Settings (environment): BENCH_DURATION (seconds per case, default 10, split over BENCH_ROUNDS
rounds, default 3, of at least 3 s each), BENCH_CONNECTIONS
(32), BENCH_THREADS (2), BENCH_SKIP_BUILD=1, BENCH_SKIP_POSTGRES=1, BENCH_BIN (a folder with
hero-server and local-entra built elsewhere, e.g. from an earlier commit for a before and after
run on the same machine; no build then, and BENCH_COMMIT names that commit in the report).
"""

import json
import os
import sqlite3
import re
import statistics
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = os.path.join(ROOT, ".build-release")
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "bench-http.lua")

# The token file of the case with a new token every request, minted when its count is known.
FRESH = object()

# Heroes in the page that the list case reads, and created before the cases run.
PAGE = 20

HERO = {
    "name": "Bench Hero", "race": "Elf", "class_": "Wizard", "level": 7, "background": "Sage",
    "alignment": "Neutral Good", "hit_points": 38, "armor_class": 13, "speed": 30,
    "personality_traits": "Curious", "ideals": "Knowledge", "bonds": "The library", "flaws": "Absent-minded",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(command, **options):
    return subprocess.run(command, check=True, **options)


def ensure_tool(command, package):
    """Installs Debian's `package` when `command` is missing."""
    if shutil.which(command):
        return
    log(f"Installing {package} (Debian's package)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    install = sudo + ["apt-get", "install", "-y", "-qq", package]
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
        # A fresh machine (or container) has no package lists yet: apt knows no such package.
        run(sudo + ["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL)
        run(install, stdout=subprocess.DEVNULL)


def build():
    if os.environ.get("BENCH_BIN"):
        return os.path.abspath(os.environ["BENCH_BIN"])
    if os.environ.get("BENCH_SKIP_BUILD") != "1":
        for product in ("hero-server", "local-entra"):
            log(f"Building {product} (release, {SCRATCH}; the first build takes over 10 minutes)")
            run(["swift", "build", "-c", "release", "--scratch-path", SCRATCH, "--product", product], cwd=ROOT)
    path = subprocess.run(
        ["swift", "build", "-c", "release", "--scratch-path", SCRATCH, "--show-bin-path"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip()
    return path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_of(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=2) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_ready(url, process, deadline_seconds=60):
    """Seconds from now until `url` answers 200 (polled every 2 ms)."""
    start = time.monotonic()
    while time.monotonic() - start < deadline_seconds:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the process exited with {process.returncode}")
        if status_of(url) == 200:
            return time.monotonic() - start
        time.sleep(0.002)
    raise SystemExit(f"{url} was not ready within {deadline_seconds} s")


class Processes:
    def __init__(self):
        self.children = []
        self.cleanups = []

    def start(self, command, env, log_path):
        output = open(log_path, "w")
        child = subprocess.Popen(command, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT)
        self.children.append(child)
        return child

    def stop(self):
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        for cleanup in reversed(self.cleanups):
            cleanup()


def start_postgres(work, processes):
    """A throwaway cluster on a free port (as `postgres` when root); returns the database URL."""
    bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
    if not os.path.exists(os.path.join(bindir, "initdb")):
        candidates = sorted(d for d in os.listdir("/usr/lib/postgresql")) if os.path.isdir("/usr/lib/postgresql") else []
        if not candidates:
            raise SystemExit("PostgreSQL's server is not installed (make deps installs it)")
        bindir = f"/usr/lib/postgresql/{candidates[-1]}/bin"
    as_server = []
    folder = os.path.join(work, "postgres")
    os.makedirs(folder)
    if os.geteuid() == 0:
        # PostgreSQL refuses root; a folder the postgres user can reach.
        folder = tempfile.mkdtemp(prefix="hvalfangst-bench-", dir=os.path.expanduser("~postgres"))
        shutil.chown(folder, "postgres", "postgres")
        as_server = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(folder, "data")
    port = free_port()
    run(as_server + [f"{bindir}/initdb", "-D", data, "-U", "hero", "--auth=trust", "-E", "UTF8", "--locale=C"],
        stdout=subprocess.DEVNULL)
    # Durable commits, as a production server: fsync and synchronous_commit stay on.
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{folder}' -c max_connections=100"
    run(as_server + [f"{bindir}/pg_ctl", "-w", "-D", data, "-l", os.path.join(folder, "server.log"), "-o", options, "start"],
        stdout=subprocess.DEVNULL)

    def stop():
        subprocess.run(as_server + [f"{bindir}/pg_ctl", "-w", "-D", data, "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)

    processes.cleanups.append(stop)
    run(as_server + [f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "hero", "heroes"])
    return f"postgres://hero@127.0.0.1:{port}/heroes?sslmode=disable"


def measured_commit():
    """The commit the report names: BENCH_COMMIT (binaries from BENCH_BIN), else HEAD."""
    return os.environ.get("BENCH_COMMIT") or subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def start_local_entra(bin_path, work, processes):
    """local-entra on a free port, state in `work`, once it serves its keys; returns the
    authority's URL and the state folder (for `mint`)."""
    port = free_port()
    authority = f"http://127.0.0.1:{port}"
    state = os.path.join(work, "local-entra")
    entra = processes.start(
        [os.path.join(bin_path, "local-entra"), "serve", "--port", str(port), "--state", state],
        {}, os.path.join(work, "local-entra.log"),
    )
    wait_ready(f"{authority}/7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10/discovery/v2.0/keys", entra)
    return authority, state


def stores(work, processes):
    """(name, hero-server settings) of each store: SQLite in `work` and, unless
    BENCH_SKIP_POSTGRES=1, PostgreSQL on a throwaway cluster."""
    found = [("SQLite", {"HVALFANGST_DB_PATH": os.path.join(work, "heroes.sqlite")})]
    if os.environ.get("BENCH_SKIP_POSTGRES") != "1":
        found.append(("PostgreSQL", {"HVALFANGST_DATABASE_URL": start_postgres(work, processes)}))
    return found


def start_hero_server(bin_path, authority, name, settings, work, processes):
    """hero-server with `settings` on a free port, trusting `authority`, once ready; returns its
    base URL, its process and the seconds it took to be ready. Its log is work/NAME.log."""
    port = free_port()
    env = {"HVALFANGST_AUTHORITY_HOST": authority, "HOST": "127.0.0.1", "PORT": str(port), **settings}
    server = processes.start([os.path.join(bin_path, "hero-server")], env, os.path.join(work, f"{name}.log"))
    ready = wait_ready(f"http://127.0.0.1:{port}/readyz", server)
    return f"http://127.0.0.1:{port}", server, ready


def tokens_file(work, name, tokens):
    """work/NAME holding `tokens`, one a line, as bench-http.lua reads them; returns its path."""
    path = os.path.join(work, name)
    with open(path, "w") as out:
        out.write("\n".join(tokens) + "\n")
    return path


def create_hero(base, token):
    """POSTs HERO to the hero-server at `base`; returns the new hero's id."""
    request = urllib.request.Request(
        f"{base}/api/heroes/", data=json.dumps(HERO).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)["id"]


def seed_heroes(base, token):
    """Creates PAGE heroes at `base`, for the page case; returns the first one's id, which the
    reads by id ask for."""
    return [create_hero(base, token) for _ in range(PAGE)][0]


def mint(bin_path, state, authority, count, extra=()):
    """`count` distinct tokens, minted by two processes in parallel (RSA signing is the cost).
    Each writes to a file of its own: read from pipes one after the other, the second process
    stopped at its first 64 KB until the first was done, and the two minted in turn."""
    halves = [count // 2 + count % 2, count // 2] if count > 1 else [1]
    command = [os.path.join(bin_path, "local-entra"), "token", "--state", state, "--authority", authority, *extra]
    tokens = []
    with tempfile.TemporaryFile("w+") as first, tempfile.TemporaryFile("w+") as second:
        outputs = [first, second][:len(halves)]
        minting = [subprocess.Popen(command + ["--count", str(n)], stdout=out) for n, out in zip(halves, outputs)]
        for process, out in zip(minting, outputs):
            if process.wait() != 0:
                raise SystemExit("local-entra token failed")
            out.seek(0)
            tokens += out.read().split()
    return tokens


class FreshTokens:
    """Distinct tokens for a case with a new token every request, a file for each round, minted
    once the case's count is known and topped up when a later server needs more. A token is new
    to a server once, so every round has its own; servers (each with its own cache) share them."""

    def __init__(self, bin_path, state, authority, work):
        self.mint = lambda count: mint(bin_path, state, authority, count)
        self.work = work
        self.tokens = {}

    def file_for(self, repeated_rps, duration, round_number=0):
        """Round `round_number`'s token files, one per wrk thread, with enough tokens for
        `duration` seconds on a server that read with one repeated token at `repeated_rps`; returns
        the path that wrk's script adds a thread's number to. A new token costs a read an RSA
        verification more, so that rate bounds this one; the margin lets one of wrk's threads run
        ahead of the other (each sends its own share of the tokens)."""
        count = int(repeated_rps * duration * 1.3) + 1_000
        tokens = self.tokens.setdefault(round_number, [])
        name = f"fresh-{round_number}.txt"
        # Written when minted: a later server's round reuses the files as they are.
        if len(tokens) < count:
            log(f"Minting {count - len(tokens)} distinct tokens")
            tokens.extend(self.mint(count - len(tokens)))
            # wrk's thread i (from 1) sends the lines of NAME.i, every THREADS-th token from the i-th.
            for thread in range(THREADS):
                tokens_file(self.work, f"{name}.{thread + 1}", tokens[thread::THREADS])
        return os.path.join(self.work, name)


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, mode, work, token_file=None, duration=DURATION, expect="2xx", body=None):
    """Runs wrk against `url`; returns a dict of req/s, p50, p99 (ms) and how many answers were unexpected."""
    env = {**os.environ, "BENCH_MODE": mode, "BENCH_EXPECT": expect}
    if token_file:
        env["BENCH_TOKENS"] = token_file
    if body:
        env["BENCH_BODY"] = body
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "-s", LUA, url]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s))", out, re.M))
    unexpected = int(re.search(r"unexpected: (\d+)", out).group(1))
    wrapped = "tokens wrapped" in out
    return {"rps": rps, "p50": to_ms(latency["50"]), "p99": to_ms(latency["99"]), "unexpected": unexpected, "wrapped": wrapped}


def commit_cost(folder, synchronous, commits=400):
    """Microseconds per committed one-row insert in WAL mode with `synchronous` (FULL or NORMAL)."""
    path = os.path.join(folder, f"sync-{synchronous.lower()}.sqlite")
    database = sqlite3.connect(path, isolation_level=None)
    database.execute("PRAGMA journal_mode = WAL")
    database.execute(f"PRAGMA synchronous = {synchronous}")
    database.execute("CREATE TABLE hero (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, body TEXT)")
    body = json.dumps(HERO)
    start = time.perf_counter()
    for number in range(commits):
        database.execute("BEGIN IMMEDIATE")
        database.execute("INSERT INTO hero (id, body) VALUES (?, ?)", (f"hero-{number}", body))
        database.execute("COMMIT")
    elapsed = time.perf_counter() - start
    database.close()
    return elapsed / commits * 1e6


def rss_mb(process):
    with open(f"/proc/{process.pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def main():
    ensure_tool("wrk", "wrk")
    bin_path = build()
    commit = measured_commit()
    work = tempfile.mkdtemp(prefix="hvalfangst-bench-")
    processes = Processes()
    failures = []
    try:
        authority, state = start_local_entra(bin_path, work, processes)

        servers = {}
        for name, settings in stores(work, processes):
            servers[name] = start_hero_server(bin_path, authority, name, settings, work, processes)

        token = mint(bin_path, state, authority, 1)[0]
        token_file = tokens_file(work, "token.txt", [token])
        round_duration = max(3, round(DURATION / ROUNDS))
        fresh = FreshTokens(bin_path, state, authority, work)
        malformed_file = tokens_file(work, "malformed.txt", ["not.a.token"])
        repeated_label = "GET /api/heroes/{id}, one token repeated"
        body = json.dumps(HERO)

        rows = []
        results = {}
        for name, (base, server, ready) in servers.items():
            hero_id = seed_heroes(base, token)
            cases = [
                ("GET / (no token, no database)", "/", "plain", None, "2xx"),
                # GET / ignores the header: what a read's request costs for its size alone
                # (parsing and converting 1.4 KB more), before any of the read's own work.
                ("GET / with a token's Authorization header (ignored)", "/", "bearer", token_file, "2xx"),
                (repeated_label, f"/api/heroes/{hero_id}", "bearer", token_file, "2xx"),
                ("GET /api/heroes/{id}, a new token every request", f"/api/heroes/{hero_id}", "fresh", FRESH, "2xx"),
                ("GET /readyz", "/readyz", "plain", None, "2xx"),
                (f"GET /api/heroes/?limit={PAGE} (a page of {PAGE} heroes)", f"/api/heroes/?limit={PAGE}", "bearer", token_file, "2xx"),
                ("GET /api/heroes/{id}, malformed token (401)", f"/api/heroes/{hero_id}", "bearer", malformed_file, "401"),
                ("POST /api/heroes/ (durable write)", "/api/heroes/", "post", token_file, "2xx"),
            ]
            runs = {case[0]: [] for case in cases}
            for number in range(ROUNDS):
                for label, path, mode, tokens, expect in cases:
                    if tokens is FRESH:
                        # This round's repeated-token read ran just before.
                        tokens = fresh.file_for(runs[repeated_label][-1]["rps"], round_duration, number)
                    log(f"{name}: {label} (round {number + 1} of {ROUNDS})")
                    result = wrk(base + path, mode, work, tokens, round_duration, expect, body)
                    runs[label].append(result)
                    if result["unexpected"]:
                        failures.append(f"{name}: {label}: {result['unexpected']} answers were not {expect}")
                    if result["wrapped"]:
                        failures.append(f"{name}: {label}: the fresh tokens ran out (some were repeated)")
            for label, *_ in cases:
                each = runs[label]
                summary = {key: statistics.median(run[key] for run in each) for key in ("rps", "p50", "p99")}
                summary["rounds"] = [run["rps"] for run in each]
                results[(name, label)] = summary
                rows.append((name, label, summary))
            peak, now = rss_mb(server)
            results[(name, "rss")] = peak
            results[(name, "ready")] = ready

        print(f"\n## hero-server under wrk -t{THREADS} -c{CONNECTIONS}, {ROUNDS} rounds of {round_duration} s per case "
              f"(commit {commit})\n")
        print("| store | case | req/s (median) | each round | p50 ms | p99 ms | vs GET / |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for name, label, result in rows:
            base_rps = results[(name, "GET / (no token, no database)")]["rps"]
            each = " / ".join(f"{rps:,.0f}" for rps in result["rounds"])
            print(f"| {name} | {label} | {result['rps']:,.0f} | {each} | {result['p50']:.2f} | {result['p99']:.2f} "
                  f"| {result['rps'] / base_rps:.2f}× |")
        print()
        full, normal = commit_cost(work, "FULL"), commit_cost(work, "NORMAL")
        print(f"- SQLite commit in WAL mode (Python's sqlite3, one writer, same folder): synchronous=FULL "
              f"{full:,.0f} µs, NORMAL {normal:,.0f} µs; hero-server keeps FULL (an acknowledged hero survives power loss)")
        for name in servers:
            print(f"- {name}: peak RSS {results[(name, 'rss')]:.1f} MB; start to ready {results[(name, 'ready')] * 1000:.0f} ms")
        sqlite_get = results[("SQLite", "GET / (no token, no database)")]["rps"]
        repeated = results[("SQLite", "GET /api/heroes/{id}, one token repeated")]
        fresh = results[("SQLite", "GET /api/heroes/{id}, a new token every request")]
        goals = [
            ("repeated token ≥ 0.8× GET /", repeated["rps"] >= 0.8 * sqlite_get),
            ("repeated token p99 < 5 ms", repeated["p99"] < 5),
            ("new token every request ≥ 0.6× GET /", fresh["rps"] >= 0.6 * sqlite_get),
            ("RSS < 64 MB", results[("SQLite", "rss")] < 64),
            ("start to ready < 300 ms", results[("SQLite", "ready")] < 0.3),
        ]
        if ("PostgreSQL", "GET /api/heroes/{id}, one token repeated") in results:
            postgres_read = results[("PostgreSQL", "GET /api/heroes/{id}, one token repeated")]["rps"]
            goals.append(("PostgreSQL read ≥ 0.5× SQLite read", postgres_read >= 0.5 * repeated["rps"]))
        print()
        for goal, met in goals:
            print(f"- goal {goal}: {'met' if met else 'NOT met'}")
    finally:
        processes.stop()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
