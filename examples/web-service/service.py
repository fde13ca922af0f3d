#!/usr/bin/env python3
"""A small real web service for redline's web-service example.

Python 3 standard library only: http.server and sqlite3.

    python3 service.py [PORT] [--no-index] [--users N]

It listens on 127.0.0.1:PORT. PORT 0, the default, picks a free port. When the
database is seeded and the server accepts connections, it prints one line:

    listening on http://127.0.0.1:PORT (users=300000, email index: yes)

Endpoints (JSON unless noted):
    GET  /users?email=ADDRESS   look a user up by email: the query that
                                idx_users_email serves (404 if no such user)
    GET  /users/<id>            look a user up by primary key (404 if absent)
    POST /orders                body {"user_id": 1, "amount_cents": 1999}:
                                201 with the new order, 400 for a bad body,
                                404 for an unknown user
    GET  /health                200 once the database is seeded
    GET  /metrics               Prometheus text exposition format 0.0.4,
                                written by hand (no prometheus_client)

The database is an SQLite file in a fresh temporary directory, removed on exit
(SIGTERM or Ctrl-C). It is seeded with --users rows (default 300000), the same
rows on every run: user N has the email userN@example.com and a name drawn from
a fixed-seed random generator. Unless --no-index is given, the seed then runs
the advice this example is about:

    CREATE INDEX idx_users_email ON users(email)

Without it, every email lookup scans the whole table: tens of milliseconds
instead of a few microseconds.

Each HTTP connection is served by its own thread with its own SQLite
connection, so queries run without a Python-level lock; SQLite itself
serialises the writes (WAL mode, 5 s busy timeout).
"""

import argparse
import bisect
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOST = "127.0.0.1"
SEED = 20261127
MAX_BODY = 64 * 1024

# ------------------------------------------------------------------ metrics


def format_float(value):
    """A sample value or bucket bound as the text format expects it."""
    if value == float("inf"):
        return "+Inf"
    if value == float("-inf"):
        return "-Inf"
    if value != value:
        return "NaN"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def escape_label_value(text):
    """Label values escape backslash, double quote and line feed."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(text):
    """HELP text escapes backslash and line feed (not quotes)."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def label_text(names, values, extra=None):
    pairs = ['%s="%s"' % (n, escape_label_value(v)) for n, v in zip(names, values)]
    if extra is not None:
        pairs.append('%s="%s"' % extra)
    return "{" + ",".join(pairs) + "}" if pairs else ""


class Family:
    """One metric family: name, HELP, TYPE and label names; thread-safe."""

    kind = "untyped"

    def __init__(self, name, help_text, label_names=()):
        self.name = name
        self.help = help_text
        self.label_names = tuple(label_names)
        self.lock = threading.Lock()
        self.series = {}

    def header(self):
        return ["# HELP %s %s" % (self.name, escape_help(self.help)),
                "# TYPE %s %s" % (self.name, self.kind)]

    def snapshot(self):
        with self.lock:
            return sorted(self.series.items())


class Counter(Family):
    kind = "counter"

    def inc(self, *values):
        with self.lock:
            self.series[values] = self.series.get(values, 0) + 1

    def lines(self):
        out = self.header()
        for values, count in self.snapshot():
            out.append("%s%s %s" % (self.name, label_text(self.label_names, values),
                                    format_float(count)))
        return out


class Gauge(Family):
    kind = "gauge"

    def __init__(self, name, help_text, read):
        super().__init__(name, help_text)
        self.read = read

    def lines(self):
        return self.header() + ["%s %s" % (self.name, format_float(self.read()))]


class Histogram(Family):
    kind = "histogram"

    def __init__(self, name, help_text, label_names, buckets):
        super().__init__(name, help_text, label_names)
        self.bounds = tuple(sorted(buckets))

    def observe(self, seconds, *values):
        # le is inclusive: a value equal to a bound belongs to that bucket.
        index = bisect.bisect_left(self.bounds, seconds)
        with self.lock:
            entry = self.series.get(values)
            if entry is None:
                entry = self.series[values] = [[0] * (len(self.bounds) + 1), 0.0, 0]
            entry[0][index] += 1
            entry[1] += seconds
            entry[2] += 1

    def snapshot(self):
        with self.lock:
            return sorted((k, (list(v[0]), v[1], v[2])) for k, v in self.series.items())

    def lines(self):
        out = self.header()
        for values, (counts, total, count) in self.snapshot():
            cumulative = 0
            for bound, n in zip(self.bounds + (float("inf"),), counts):
                cumulative += n
                out.append("%s_bucket%s %d" % (
                    self.name, label_text(self.label_names, values, ("le", format_float(bound))),
                    cumulative))
            labels = label_text(self.label_names, values)
            out.append("%s_sum%s %s" % (self.name, labels, format_float(total)))
            out.append("%s_count%s %d" % (self.name, labels, count))
        return out


def resident_memory_bytes():
    """Current resident set size of this process, in bytes."""
    try:  # Linux: the second field of statm is resident pages
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:  # macOS and the BSDs: ps reports the current RSS in KiB
        out = subprocess.run(["ps", "-o", "rss=", "-p", str(os.getpid())],
                             capture_output=True, text=True, timeout=5).stdout
        return int(out.split()[0]) * 1024
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        pass
    import resource  # last resort: the peak, not the current size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


# Fine enough for millisecond latencies; the low db buckets resolve the
# microsecond lookups that an index gives.
HTTP_BUCKETS = (.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5)
DB_BUCKETS = (.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05,
              .1, .25, .5, 1, 2.5)

HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from reading the request line to writing the response, by route template.",
    ("method", "route"), HTTP_BUCKETS)
DB_DURATION = Histogram(
    "db_query_duration_seconds",
    "Time spent in one SQLite statement, by query name.",
    ("query",), DB_BUCKETS)
HTTP_TOTAL = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route template and status code.",
    ("method", "route", "status"))
RSS = Gauge(
    "process_resident_memory_bytes",
    "Resident memory size in bytes.",
    resident_memory_bytes)
FAMILIES = (HTTP_DURATION, DB_DURATION, HTTP_TOTAL, RSS)


def exposition():
    lines = []
    for family in FAMILIES:
        lines.extend(family.lines())
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- database

FIRST = ("Ada", "Alan", "Barbara", "Claude", "Dennis", "Edsger", "Frances",
         "Grace", "John", "Ken", "Leslie", "Margaret", "Niklaus", "Radia",
         "Shafi", "Tony")
LAST = ("Allen", "Dijkstra", "Goldwasser", "Hamilton", "Hoare", "Hopper",
        "Kernighan", "Knuth", "Lamport", "Liskov", "Perlman", "Ritchie",
        "Shannon", "Thompson", "Turing", "Wirth")
NAMES = ["%s %s" % (first, last) for first in FIRST for last in LAST]  # 256


def email_of(user_id):
    return "user%d@example.com" % user_id


def seed(path, users, with_index):
    bits = random.Random(SEED).getrandbits
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
               " email TEXT NOT NULL, created_at INTEGER NOT NULL)")
    db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY,"
               " user_id INTEGER NOT NULL REFERENCES users(id),"
               " amount_cents INTEGER NOT NULL, created_at REAL NOT NULL)")
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO users (id, name, email, created_at) VALUES (?, ?, ?, ?)",
        ((i, NAMES[bits(8)], email_of(i), 1_600_000_000 + bits(27))
         for i in range(1, users + 1)))
    db.execute("COMMIT")
    if with_index:
        # The seed's advice. `--no-index` undoes it.
        db.execute("CREATE INDEX idx_users_email ON users(email)")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def open_connection(path):
    db = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")
    # Map the file so that table scans read the shared page cache instead of
    # copying pages into each connection's private cache.
    db.execute("PRAGMA mmap_size=268435456")
    return db


# ------------------------------------------------------------------ handler

USER_BY_EMAIL = "SELECT id, name, email FROM users WHERE email = ?"
USER_BY_ID = "SELECT id, name, email FROM users WHERE id = ?"
INSERT_ORDER = ("INSERT INTO orders (user_id, amount_cents, created_at)"
                " SELECT id, ?, ? FROM users WHERE id = ?")
USER_PATH = re.compile(r"^/users/([0-9]{1,18})$")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # persistent connections (keep-alive)
    server_version = "redline-web-service/1"
    # http.server writes the headers and the body in separate send() calls;
    # with Nagle's algorithm on, the body then waits for the client's delayed
    # ACK and every keep-alive request gets a ~40 ms floor.
    disable_nagle_algorithm = True
    db_path = None  # set in main()

    def setup(self):
        super().setup()
        self.db = None  # one SQLite connection per HTTP connection, opened lazily

    def finish(self):
        try:
            super().finish()
        finally:
            if self.db is not None:
                self.db.close()
                self.db = None

    def log_message(self, format, *args):  # noqa: A002 - no access log
        pass

    # -- database
    def query(self, name, sql, args):
        if self.db is None:
            self.db = open_connection(self.db_path)
        start = time.perf_counter()
        cursor = self.db.execute(sql, args)
        if cursor.description is not None:  # a SELECT: its rows
            result = cursor.fetchall()
        else:  # the INSERT: the new row's id, None when no row was inserted
            result = cursor.lastrowid if cursor.rowcount > 0 else None
        DB_DURATION.observe(time.perf_counter() - start, name)
        return result

    # -- responses
    def respond(self, status, body, content_type="application/json"):
        if not isinstance(body, bytes):
            body = (json.dumps(body) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        elif self.request_version == "HTTP/1.0":
            # http.server kept the connection open because the client asked;
            # an HTTP/1.0 client waits for EOF unless told it stays open.
            self.send_header("Connection", "keep-alive")
        self.end_headers()
        self.wfile.write(body)
        return status

    # -- routes
    def get_user_by_email(self, query):
        emails = parse_qs(query).get("email")
        if not emails or not emails[0]:
            return self.respond(400, {"error": "give ?email=ADDRESS"})
        rows = self.query("user_by_email", USER_BY_EMAIL, (emails[0],))
        if not rows:
            return self.respond(404, {"error": "no user with that email"})
        uid, name, email = rows[0]
        return self.respond(200, {"id": uid, "name": name, "email": email})

    def get_user_by_id(self, raw_id):
        rows = self.query("user_by_id", USER_BY_ID, (int(raw_id),))
        if not rows:
            return self.respond(404, {"error": "no such user"})
        uid, name, email = rows[0]
        return self.respond(200, {"id": uid, "name": name, "email": email})

    def post_order(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            return self.respond(411, {"error": "send a Content-Length"})
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True  # the rest of the body is not read
            return self.respond(413 if length > MAX_BODY else 400,
                                {"error": "the body must be 0 to %d bytes" % MAX_BODY})
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8"))
            user_id = body["user_id"]
            amount = body["amount_cents"]
            if (not isinstance(user_id, int) or not isinstance(amount, int)
                    or isinstance(user_id, bool) or isinstance(amount, bool)
                    or not 0 < user_id < 2**63 or not 0 < amount < 2**53):
                raise ValueError
        except (ValueError, TypeError, KeyError, UnicodeDecodeError):
            return self.respond(400, {"error": 'expected {"user_id": INT, "amount_cents": INT}'})
        order_id = self.query("insert_order", INSERT_ORDER, (amount, time.time(), user_id))
        if order_id is None:
            return self.respond(404, {"error": "no such user"})
        return self.respond(201, {"id": order_id, "user_id": user_id, "amount_cents": amount})

    def route(self, method):
        """Answers the request; returns (route template, status)."""
        url = urlsplit(self.path)
        if method == "GET":
            if url.path == "/users":
                return "/users", self.get_user_by_email(url.query)
            match = USER_PATH.match(url.path)
            if match:
                return "/users/{id}", self.get_user_by_id(match.group(1))
            if url.path == "/health":
                return "/health", self.respond(200, {"status": "ok"})
            if url.path == "/metrics":
                return "/metrics", self.respond(
                    200, exposition().encode(), "text/plain; version=0.0.4; charset=utf-8")
        if method == "POST" and url.path == "/orders":
            return "/orders", self.post_order()
        # One label value for every unknown path keeps the series count bounded.
        return "unmatched", self.respond(404, {"error": "no such route"})

    def handle_method(self, method):
        start = time.perf_counter()
        try:
            route, status = self.route(method)
        except (BrokenPipeError, ConnectionResetError):
            # The client went away before its answer was written: no status
            # to count, and nobody to send a 500 to.
            self.close_connection = True
            return
        except Exception as error:  # noqa: BLE001 - a real 500, and keep serving
            route = "unmatched"
            self.close_connection = True
            print("error: %s %s: %r" % (method, self.path, error), file=sys.stderr, flush=True)
            try:
                status = self.respond(500, {"error": "internal error"})
            except OSError:
                return
        if route == "/metrics":
            return  # the scrape does not measure itself
        HTTP_DURATION.observe(time.perf_counter() - start, method, route)
        HTTP_TOTAL.inc(method, route, str(status))

    def do_GET(self):  # noqa: N802
        self.handle_method("GET")

    def do_POST(self):  # noqa: N802
        self.handle_method("POST")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def stop(signum, frame):
    raise SystemExit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("port", nargs="?", type=int, default=0,
                        help="TCP port on 127.0.0.1; 0 (the default) picks a free one")
    parser.add_argument("--no-index", action="store_true",
                        help="skip CREATE INDEX idx_users_email (the regression)")
    parser.add_argument("--users", type=int, default=300_000,
                        help="rows to seed (default 300000)")
    args = parser.parse_args()
    if args.users < 1:
        parser.error("--users must be at least 1")

    signal.signal(signal.SIGTERM, stop)
    workdir = tempfile.mkdtemp(prefix="redline-web-service-")
    try:
        Handler.db_path = os.path.join(workdir, "shop.db")
        seed(Handler.db_path, args.users, not args.no_index)
        server = Server((HOST, args.port), Handler)
        try:
            print("listening on http://%s:%d (users=%d, email index: %s)"
                  % (HOST, server.server_address[1], args.users,
                     "no" if args.no_index else "yes"), flush=True)
            server.serve_forever()
        finally:
            server.server_close()
    except KeyboardInterrupt:
        pass
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
