"""The fault soak's driver (started by bench/soak): two instances of the microbundle on one Redis and
one storage folder, many TUS clients that resume as TUS clients do, faults injected at random, and at
the end a check of every upload against what the clients were told. Writes bench/SOAK.md.

Standard library only, raw sockets for HTTP and WebSocket: a stalled body, a dropped connection and
an answer that comes before the body was all sent must be in the driver's hands, not a library's.
"""
import argparse
import base64
import collections
import concurrent.futures
import datetime
import hashlib
import http.client
import json
import os
import random
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
import uuid

MIB = 1024 * 1024
PIECE = 64 * 1024
LOCK_TIMEOUT = 5.0
API = "/api/v1"
KEY = "soak-" + uuid.uuid4().hex
AUTH = {"X-API-KEY": KEY, "X-Username": "soak"}
TUS = {**AUTH, "Tus-Resumable": "1.0.0"}
OCTETS = {"Content-Type": "application/offset+octet-stream"}
# answers any request may get while Redis restarts or the rate limit bites; the caller retries them
TRANSIENT = {503, 429}
HEAD_OK = {200, 204}  # TUS allows either for a HEAD


class Dropped(Exception):
    """The connection failed or closed without an answer."""


# ---------------------------------------------------------------- what the soak saw

class Ledger:
    """Counts of faults and events, anomalies by kind, and the uploads lost or corrupted."""

    def __init__(self):
        self.lock = threading.Lock()
        self.faults = collections.Counter()
        self.events = collections.Counter()
        self.answers = collections.Counter()
        self.started = time.monotonic()  # when the faults began
        self.anomalies = collections.defaultdict(list)
        self.lost = {}

    def answer(self, kind, status):
        with self.lock:
            self.answers[(kind, status)] += 1

    def fault(self, kind, upload=None):
        with self.lock:
            self.faults[kind] += 1
        if upload is not None:
            upload.faults.append(kind)

    def event(self, kind, n=1):
        with self.lock:
            self.events[kind] += n

    def anomaly(self, kind, detail, upload=None, lost=False):
        detail = f"at {time.monotonic() - self.started:.0f} s: " + (f"{upload.id}: {detail}" if upload and upload.id else detail)
        with self.lock:
            self.anomalies[kind].append(detail)
            if lost and upload is not None:
                self.lost.setdefault(upload.id, (f"{kind}: {detail}", upload))
        print(f"  anomaly [{kind}] {detail}", flush=True)


LEDGER = Ledger()


# ---------------------------------------------------------------- processes

class Redis:
    """A redis-server of our own with an append-only file, so that a restart keeps every key."""

    def __init__(self, work, port):
        self.dir, self.port, self.proc = os.path.join(work, "redis"), port, None
        os.makedirs(self.dir, exist_ok=True)

    def start(self):
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--appendonly", "yes", "--save", "", "--dir", self.dir,
                                      "--logfile", os.path.join(self.dir, "redis.log")])
        for _ in range(100):
            if self.cli("PING").strip() == "PONG":
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()  # a clean shutdown: the append-only file is flushed
        self.proc.wait(30)

    def cli(self, *args):
        done = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return done.stdout

    def keys(self, pattern):
        return {line for line in self.cli("--scan", "--pattern", pattern).splitlines() if line}


class Instance:
    """One microbundle process; clients pick among those that are up."""

    def __init__(self, name, jar, work, port, redis_port, storage):
        self.name, self.jar, self.work, self.port = name, jar, work, port
        self.up, self.proc = False, None
        self.options = [f"-Dmediapipeline.api-keys=soak:{KEY}", f"-Dmediapipeline.storage.dir={storage}",
                        f"-Dmediapipeline.redis.url=redis://127.0.0.1:{redis_port}",
                        f"-Dmediapipeline.upload.lock-timeout=PT{int(LOCK_TIMEOUT)}S",
                        "-Dmediapipeline.upload.max-size=33554432", "-Dmediapipeline.cleanup.interval=PT1M",
                        "-Dmediapipeline.rate-limit.per-second=1000000", "-Dmediapipeline.rate-limit.burst=1000000"]

    def launch(self):
        tmp = os.path.join(self.work, f"tmp-{self.name}")
        os.makedirs(tmp, exist_ok=True)
        with open(os.path.join(self.work, f"service-{self.name}.log"), "ab") as log:
            self.proc = subprocess.Popen(["java", "-Xmx512m", f"-Djava.io.tmpdir={tmp}", *self.options, "-jar",
                                          self.jar, "--nocluster", "--port", str(self.port)],
                                         stdout=log, stderr=subprocess.STDOUT)

    def await_ready(self):
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"instance {self.name} exited during start-up, see service-{self.name}.log")
            try:
                # Tus-Resumable on OPTIONS is only there once the application is deployed
                if exchange(self, "OPTIONS", API + "/uploads/", {}).headers.get("tus-resumable"):
                    self.up = True
                    return
            except (Dropped, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"instance {self.name} did not become ready")

    def kill(self):
        self.up = False
        if self.proc:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        self.up = False
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()


INSTANCES = []


def pick(rng=random):
    up = [i for i in INSTANCES if i.up]
    return rng.choice(up or INSTANCES)


# ---------------------------------------------------------------- HTTP on raw sockets

class Answer:
    def __init__(self, status, headers, body, instance, missing=0):
        self.status, self.headers, self.body, self.instance = status, headers, body, instance
        self.missing = missing  # bytes of a streamed body that never came

    def json(self):
        return json.loads(self.body)

    def offset(self):
        value = self.headers.get("upload-offset")
        return int(value) if value is not None else None


def exchange(inst, method, path, headers, body=b"", hook=None, sink=None, timeout=30):
    """One request on a fresh connection. hook(sent) runs before each 64 KiB piece of the body: it may
    block (a stall) or return "drop" (the client vanishes: RST, no answer). A server that answers before
    the body is all sent is heard: the rest is not sent. A Digest sink takes a 200's body instead of memory."""
    try:
        sock = socket.create_connection(("127.0.0.1", inst.port), timeout=timeout)
    except OSError as e:
        raise Dropped(f"connect to {inst.name}: {e}")
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{inst.port}", "Connection: close",
                 *(f"{k}: {v}" for k, v in headers.items())]
        if body or method in ("PATCH", "POST"):
            lines.append(f"Content-Length: {len(body)}")
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        sent, view = 0, memoryview(body)
        try:
            while sent < len(view):
                if hook and hook(sent) == "drop":
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return None
                if select.select([sock], [], [], 0)[0]:
                    break  # an early answer (423, 460…): read it
                sock.sendall(view[sent:sent + PIECE])
                sent += min(PIECE, len(view) - sent)
        except OSError:
            pass  # the server closed while we sent; its answer may still be there
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        if sink is not None and response.status == 200:
            sink.start()
            while chunk := response.read(MIB):
                sink(chunk)
            # read(n) ends quietly where the body ends before its Content-Length
            return Answer(response.status, answer_headers, b"", inst.name, response.length or 0)
        return Answer(response.status, answer_headers, response.read(), inst.name)
    except (OSError, http.client.HTTPException) as e:
        raise Dropped(f"{method} on {inst.name}: {type(e).__name__} {e}")
    finally:
        sock.close()


class Digest:
    """A downloaded body's length and SHA-256, started over with each attempt."""

    def __init__(self):
        self.start()

    def start(self):
        self.hash, self.length = hashlib.sha256(), 0

    def __call__(self, chunk):
        self.hash.update(chunk)
        self.length += len(chunk)


def check(kind, answer, allowed):
    """Every answer is one a correct server may give, and every error body is the JSON of the contract."""
    LEDGER.answer(kind, answer.status)
    if answer.status not in allowed and answer.status not in TRANSIENT:
        LEDGER.anomaly("unexpected status", f"{kind} on {answer.instance} answered {answer.status} "
                                            f"{answer.body[:160]!r}")
    if answer.status >= 300 and answer.body:
        try:
            body = answer.json()
            ok = answer.headers.get("content-type", "").startswith("application/json") \
                and isinstance(body, dict) and isinstance(body.get("error"), str) and "message" in body
        except ValueError:
            ok = False
        if not ok:
            LEDGER.anomaly("error body that is not the JSON of the contract",
                           f"{kind} {answer.status} {answer.headers.get('content-type')} {answer.body[:160]!r}")


def call(method, path, headers, kind, allowed, body=b"", sink=None, patience=150):
    """A request that a client repeats (on any instance) until it is answered, as clients do when an
    instance is down or Redis restarts. Only for requests that are safe to repeat."""
    deadline, cut = time.monotonic() + patience, 0
    while True:
        try:
            answer = exchange(pick(), method, path, headers, body, sink=sink)
            check(kind, answer, allowed)
            # a body cut short once may be a killed instance; three times, it is what the server holds
            cut = cut + 1 if answer.missing else 0
            if answer.status not in TRANSIENT and answer.status < 500 and cut in (0, 3):
                return answer
            LEDGER.event(f"{kind}: {answer.status} answers retried")
        except Dropped:
            LEDGER.event("requests without an answer (retried)")
        if time.monotonic() > deadline:
            raise Dropped(f"{kind}: no answer for {patience} s")
        time.sleep(random.uniform(0.2, 0.8))


# ---------------------------------------------------------------- uploads

class Upload:
    """What one client knows of its upload: the bytes it sent, and every acknowledgement."""

    def __init__(self, seed, size):
        self.seed, self.size, self.id, self.path = seed, size, None, None
        self.acks, self.acked, self.next = [], 0, 0
        self.completed = self.deleted = self.deleting = self.retired = False
        self.lock = threading.Lock()
        self.final_patch_started = None  # when the PATCH that got the completing 204 began
        self.complete_event = None  # when a watcher first heard 'complete'
        self.faults = []
        self._source = None

    def source(self):
        if self._source is None:
            self._source = random.Random(self.seed).randbytes(self.size)
        return self._source

    def forget_source(self):
        self._source = None

    def ack(self, start, answer, started, kind):
        """A 204 (or a 201 with bytes): [start, Upload-Offset) is the server's promise."""
        with self.lock:
            self._ack(start, answer.offset(), started, kind)

    def _ack(self, start, end, started, kind):
        if end is None or end <= start or end > self.size:
            LEDGER.anomaly("wrong Upload-Offset in an acknowledgement", f"from {start}: {end}", self)
            return
        for a, b, earlier in self.acks:
            if a < end and start < b:
                LEDGER.anomaly("two writers acknowledged for the same bytes",
                               f"{kind} [{start},{end}) overlaps the acknowledged {earlier} [{a},{b})", self)
        self.acks.append((start, end, kind))
        self.acked = max(self.acked, end)
        self.next = end
        if end == self.size and not self.completed:
            self.completed, self.final_patch_started = True, started

    def tus(self):
        return self.path

    def status_path(self):
        return f"{API}/uploads/meta/{self.id}/status"

    def storage_path(self):
        return f"{API}/storage/{self.id}"


class Registry:
    """Every upload the driver made; completed ones are retired (verified, deleted) past a disk budget."""

    def __init__(self, budget):
        self.lock, self.all, self.kept, self.budget = threading.Lock(), [], collections.deque(), budget
        self.active = {}
        self.creations_unanswered = 0

    def add(self, upload):
        with self.lock:
            self.all.append(upload)
            self.active[upload.id] = upload

    def finished(self, upload):
        with self.lock:
            self.active.pop(upload.id, None)
            if upload.completed and not upload.deleted:
                self.kept.append(upload)

    def over_budget(self):
        with self.lock:
            if sum(u.size for u in self.kept) > self.budget and self.kept:
                return self.kept.popleft()
        return None

    def any_active(self, rng):
        with self.lock:
            return rng.choice(list(self.active.values())) if self.active else None


# ---------------------------------------------------------------- the client

class Client:
    """One TUS client: makes uploads one after another and resumes each as a TUS client would
    (HEAD, then PATCH from the server's offset; later on 423, at once on 409)."""

    FAULTS = [("none", 40), ("pause", 5), ("stall", 8), ("drop", 10), ("concurrent", 8), ("override", 10),
              ("checksum", 10)]

    def __init__(self, n, soak):
        self.n, self.soak, self.rng = n, soak, random.Random(soak.seed * 1000 + n)
        self.uploads_made = 0

    def run(self):
        while not self.soak.faults_over():
            upload = Upload(self.rng.getrandbits(64), self.rng.randint(1 * MIB, 16 * MIB))
            try:
                self.upload(upload)
            except Exception:
                LEDGER.anomaly("soak driver error", traceback.format_exc(limit=4), upload)
            finally:
                upload.forget_source()
                if upload.id:
                    self.soak.registry.finished(upload)
            self.retire_over_budget()
            time.sleep(self.rng.uniform(0.2, 1.5))  # keeps the two shared cores for the servers

    def retire_over_budget(self):
        while (u := self.soak.registry.over_budget()) is not None:
            try:
                self.soak.retire(u)
            except Dropped:
                LEDGER.event("retirements given up (no answer)")

    def upload(self, u):
        if not self.create(u):
            return
        watcher = None
        if self.rng.random() < 0.25:
            watcher = threading.Thread(target=watch, args=(u, self.soak), daemon=True)
            watcher.start()
        doomed = self.rng.random() < 0.07  # deleted while bytes stream in
        locked_since, need_head, failures = None, False, 0
        while not u.completed and not u.deleted and time.monotonic() < self.soak.hard_stop:
            if need_head and not self.resume(u):
                return
            if u.completed:
                break  # HEAD says every byte is there: the completing answer was lost
            faults = not self.soak.faults_over()
            kind = "delete" if faults and doomed else self.pick_fault() if faults else "none"
            status = getattr(self, "fault_" + kind)(u)
            need_head = status != 204
            locked_since = (locked_since or time.monotonic()) if status == 423 else None
            failures = failures + 1 if status is not None and status >= 500 else 0
            if locked_since and time.monotonic() - locked_since > 6 * LOCK_TIMEOUT:
                LEDGER.anomaly("upload locked far beyond the lock timeout", f"423 for {6 * LOCK_TIMEOUT:g} s", u)
                locked_since = None
            if failures == 10:
                LEDGER.anomaly("upload refused for good", f"10 answers of 5xx in a row, the last {status}", u)
                return  # a client gives up here; the end check says what became of its bytes
            if status not in (204, 409):  # 409: resume at once; anything else: a moment later
                time.sleep(self.rng.uniform(0.5, 1.5))
        if watcher:
            watcher.join(3)
        if u.completed and u.complete_event is not None and u.final_patch_started is not None \
                and u.complete_event < u.final_patch_started:
            LEDGER.anomaly("'complete' announced before the last byte was stored",
                           f"{(u.final_patch_started - u.complete_event) * 1000:.0f} ms before the completing PATCH "
                           f"began", u)

    def pick_fault(self):
        return self.rng.choices([k for k, _ in self.FAULTS], [w for _, w in self.FAULTS])[0]

    def create(self, u):
        name = base64.b64encode(f"soak-{self.n}-{self.uploads_made}.bin".encode()).decode()
        headers = {**TUS, "Upload-Length": str(u.size),
                   "Upload-Metadata": f"filename {name},filetype {base64.b64encode(b'application/octet-stream').decode()}"}
        body = b""
        if self.rng.random() < 0.3:  # creation-with-upload
            body = u.source()[:self.rng.randint(1, min(u.size, 4 * MIB))]
            headers.update(OCTETS)
        self.uploads_made += 1
        started = time.monotonic()
        for _ in range(40):
            try:
                answer = exchange(pick(self.rng), "POST", API + "/uploads/", headers, body)
                check("POST (create)", answer, {201})
            except Dropped:
                answer = None
            if answer is None or answer.status >= 500:
                # maybe created: an upload without its answer is the server's to keep; counted, not an orphan
                with self.soak.registry.lock:
                    self.soak.registry.creations_unanswered += 1
                time.sleep(0.5)
                continue
            if answer.status == 201:
                u.path = "/" + answer.headers["location"].split("/", 3)[3]
                u.id = u.path.rsplit("/", 1)[1]
                self.soak.registry.add(u)
                LEDGER.event("uploads created")
                if body:
                    LEDGER.event("creations with upload")
                    u.ack(0, answer, started, "creation-with-upload")
                return True
            if answer.status not in TRANSIENT:
                return False
            time.sleep(0.5)
        return False

    def resume(self, u):
        """HEAD: where does the server say the upload is? Every acknowledged byte must still be there."""
        allowed = HEAD_OK | ({404, 410} if u.deleted or u.deleting else set())
        try:
            answer = call("HEAD", u.tus(), TUS, "HEAD", allowed)
            if answer.status not in HEAD_OK and not (u.deleted or u.deleting):
                time.sleep(1)  # asked twice: one mis-served answer is an unexpected status, not a lost upload
                answer = call("HEAD", u.tus(), TUS, "HEAD", allowed)
        except Dropped:
            return False
        if answer.status not in HEAD_OK:
            if not (u.deleted or u.deleting):
                LEDGER.anomaly("upload vanished", f"HEAD answered {answer.status} twice", u, lost=True)
                u.deleted = True  # nothing left to drive; the end checks it is gone everywhere
            return False
        offset = answer.offset()
        if offset < u.acked:
            LEDGER.anomaly("acknowledged bytes lost", f"HEAD says {offset}, {u.acked} were acknowledged", u, lost=True)
            u.acked = offset
        u.next = offset
        if offset == u.size and not u.completed:
            u.completed = True  # the completing answer was lost (a killed instance): HEAD is the server's word
        return True

    def patch(self, u, start, length, extra=None, method="PATCH", hook=None, inst=None, kind="PATCH",
              allowed=frozenset({204, 409, 423})):
        """One PATCH from start; acknowledges a 204. Returns the answer, or None when it had none."""
        headers = {**TUS, **OCTETS, "Upload-Offset": str(start), **(extra or {})}
        started = time.monotonic()
        try:
            answer = exchange(inst or pick(self.rng), method, u.tus(), headers, u.source()[start:start + length], hook)
        except Dropped:
            LEDGER.event("PATCHes without an answer")
            return None
        if answer is None:
            return None
        # a 404 or 410 on an upload nobody deleted is recorded here; the HEAD that follows decides if it is gone
        check(kind, answer, set(allowed) | ({404, 410} if u.deleted or u.deleting else set()))
        if answer.status == 204:
            u.ack(start, answer, started, kind)
        return answer

    def chunk(self, u):
        rest = u.size - u.next
        return rest if self.rng.random() < 0.5 else self.rng.randint(1, rest)

    @staticmethod
    def status_of(answer):
        return answer.status if answer is not None else None

    # each fault_* sends from u.next and answers the status that decides what the client does next

    def fault_none(self, u):
        extra = {}
        length = self.chunk(u)
        if self.rng.random() < 0.2:  # a correct checksum is no fault
            digest = hashlib.sha256(u.source()[u.next:u.next + length]).digest()
            extra["Upload-Checksum"] = "sha256 " + base64.b64encode(digest).decode()
        return self.status_of(self.patch(u, u.next, length, extra))

    def fault_pause(self, u):
        """A slow client: the body stops for less than the lock timeout, then goes on."""
        LEDGER.fault("PATCH paused for less than the lock timeout", u)
        at, pause = self.rng.randint(0, u.size - u.next - 1), [self.rng.uniform(0.5, LOCK_TIMEOUT / 2)]

        def hook(sent):
            if sent >= at and pause:
                time.sleep(pause.pop())
        return self.status_of(self.patch(u, u.next, u.size - u.next, hook=hook))

    def fault_stall(self, u):
        """A client stalls past the lock timeout; it (or another) resumes on a new connection and
        finishes; then the stalled connection drops, or wakes and sends the rest of its body."""
        wakes = self.rng.random() < 0.5
        LEDGER.fault("stalled PATCH, taken over, then " + ("woke and sent the rest" if wakes else "dropped"), u)
        start, stalled, release, result = u.next, threading.Event(), threading.Event(), {}
        at = self.rng.randint(0, u.size - start - 1)

        def hook(sent):
            if sent >= at and not stalled.is_set():
                stalled.set()
                release.wait(180)
                return None if wakes else "drop"
        thread = threading.Thread(target=lambda: result.update(
            answer=self.patch(u, start, u.size - start, hook=hook, kind="PATCH (stalled)",
                              allowed={204, 409, 410, 423})), daemon=True)
        thread.start()
        try:
            stalled.wait(30)
            time.sleep(LOCK_TIMEOUT + self.rng.uniform(1.5, 3))
            self.finish(u, min(self.soak.hard_stop, time.monotonic() + 60))
        finally:
            release.set()
            thread.join(90)
        return self.status_of(result.get("answer")) if not u.completed else 204

    def finish(self, u, deadline):
        """Plain PATCHes from the server's offset until complete (the take-over after a stall)."""
        for _ in range(20):
            if u.deleted or time.monotonic() > deadline or not self.resume(u) or u.completed:
                return
            if self.status_of(self.patch(u, u.next, u.size - u.next)) != 204:
                time.sleep(self.rng.uniform(0.5, 1.5))

    def fault_drop(self, u):
        LEDGER.fault("client dropped mid-PATCH", u)
        length = self.chunk(u)
        at = self.rng.randint(0, length - 1)
        self.patch(u, u.next, length, hook=lambda sent: "drop" if sent >= at else None)
        return None

    def race(self, u, second_headers, second_method="PATCH", second_kind="PATCH", second_allowed=(204, 409, 423)):
        """Two PATCHes of one upload from the same offset at once, of different lengths, on random
        instances: at most one may be acknowledged."""
        start, rest = u.next, u.size - u.next
        lengths = [rest, self.rng.randint(1, rest)]
        self.rng.shuffle(lengths)
        barrier, answers = threading.Barrier(2), []

        def send(length, extra, method, kind, allowed):
            barrier.wait()
            answers.append(self.patch(u, start, length, extra, method, kind=kind, allowed=allowed))
        threads = [threading.Thread(target=send, args=(lengths[0], {}, "PATCH", "PATCH", (204, 409, 423))),
                   threading.Thread(target=send, args=(lengths[1], second_headers, second_method, second_kind,
                                                       second_allowed))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        statuses = sorted(self.status_of(a) or 0 for a in answers)
        LEDGER.event(f"races answered {statuses}")
        return 423 if 423 in statuses and 204 not in statuses else None

    def fault_concurrent(self, u):
        LEDGER.fault("concurrent PATCHes to one upload", u)
        return self.race(u, {})

    def fault_override(self, u):
        way = self.rng.random()
        if way < 1 / 3:
            LEDGER.fault("method override: POST with X-HTTP-Method-Override: PATCH", u)
            return self.status_of(self.patch(u, u.next, self.chunk(u), {"X-HTTP-Method-Override": "PATCH"}, "POST",
                                             kind="POST+override PATCH"))
        if way < 2 / 3:
            LEDGER.fault("method override: POST+override PATCH racing a PATCH", u)
            return self.race(u, {"X-HTTP-Method-Override": "PATCH"}, "POST", "POST+override PATCH")
        # an override that names no TUS method: refused (400), or an ordinary PATCH under the lock
        LEDGER.fault("method override: PATCH with X-HTTP-Method-Override: X racing a PATCH", u)
        return self.race(u, {"X-HTTP-Method-Override": "X"}, "PATCH", "PATCH+override X", (204, 400, 409, 423))

    def fault_checksum(self, u):
        """A body that does not match its Upload-Checksum: 460, and nothing of it kept or announced."""
        start = u.next
        length = u.size - start if self.rng.random() < 0.6 else self.chunk(u)
        completing = start + length == u.size
        LEDGER.fault("checksum mismatch" + (" on the completing PATCH" if completing else ""), u)
        wrong = hashlib.sha1(u.source()[start:start + length] + b"!").digest()
        answer = self.patch(u, start, length, {"Upload-Checksum": "sha1 " + base64.b64encode(wrong).decode()},
                            kind="PATCH (bad checksum)", allowed={460, 409, 423})
        if answer is not None and answer.status == 460:
            self.after_checksum_failure(u, start)
        return self.status_of(answer)

    def after_checksum_failure(self, u, start):
        try:
            head = call("HEAD", u.tus(), TUS, "HEAD", HEAD_OK)
            status = call("GET", u.status_path(), AUTH, "status", {200})
        except Dropped:
            return
        if head.offset() != start:
            LEDGER.anomaly("bytes kept after a checksum failure", f"HEAD says {head.offset()}, was {start}", u)
        state = status.json() if status.status == 200 else {}
        if state.get("status") == "completed" or state.get("offset") != head.offset():
            LEDGER.anomaly("status wrong after a checksum failure",
                           f"status {state.get('status')} offset {state.get('offset')}, HEAD says {head.offset()}", u)

    def fault_delete(self, u):
        """Deleted (TUS DELETE or the storage API) while a PATCH streams: 410 for the PATCH, 404 after."""
        LEDGER.fault("delete during upload", u)
        start, streaming = u.next, threading.Event()
        at, result = self.rng.randint(0, u.size - start - 1), {}

        def hook(sent):
            if sent >= at and not streaming.is_set():
                streaming.set()
                time.sleep(self.rng.uniform(0.2, 1.0))  # the delete lands while this request is open
        thread = threading.Thread(target=lambda: result.update(
            answer=self.patch(u, start, u.size - start, hook=hook, kind="PATCH (deleted meanwhile)",
                              allowed={204, 404, 409, 410, 423})), daemon=True)
        thread.start()
        streaming.wait(30)
        via_tus = self.rng.random() < 0.5
        u.deleting = True
        try:
            # 404: a first DELETE whose answer was lost already did it
            answer = call("DELETE", u.tus() if via_tus else u.storage_path(), TUS if via_tus else AUTH,
                          "DELETE (TUS)" if via_tus else "DELETE (storage)", {204, 404})
            u.deleted = answer.status in (204, 404)
        finally:
            u.deleting = u.deleted
            thread.join(90)
        if u.deleted:
            expect_deleted(u, "right after the delete")
        return None


def expect_deleted(u, when):
    for kind, path, headers in (("HEAD", u.tus(), TUS), ("status", u.status_path(), AUTH),
                                ("download", u.storage_path(), AUTH)):
        answer = call("GET" if kind != "HEAD" else "HEAD", path, headers, kind + " (deleted)", {404, 410})
        if answer.status not in (404, 410):
            LEDGER.anomaly("deleted upload still answers", f"{kind} {when}: {answer.status}", u)


# ---------------------------------------------------------------- WebSockets

def ws_open(inst, upload_id, headers):
    """The handshake; returns (status, socket, its reader). Frames are read from the same reader."""
    sock = socket.create_connection(("127.0.0.1", inst.port), timeout=15)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {API}/ws/{upload_id} HTTP/1.1", f"Host: 127.0.0.1:{inst.port}", "Upgrade: websocket",
             "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13",
             *(f"{k}: {v}" for k, v in headers.items())]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    reader = sock.makefile("rb")
    status_line = reader.readline().split()
    if len(status_line) < 2:
        raise EOFError("closed without an answer")  # an instance being killed
    status = int(status_line[1])
    while reader.readline() not in (b"\r\n", b""):
        pass
    return status, sock, reader


def ws_frame(reader):
    head = reader.read(2)
    if len(head) < 2:
        raise EOFError
    length = head[1] & 0x7F
    if length == 126:
        length = struct.unpack(">H", reader.read(2))[0]
    elif length == 127:
        length = struct.unpack(">Q", reader.read(8))[0]
    return head[0] & 0x0F, reader.read(length)


def ws_send(sock, opcode, payload=b""):
    mask = os.urandom(4)
    sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def ws_close_code(sock, reader):
    """Reads until the server's close frame and answers it; its code, or None without one."""
    while True:
        opcode, payload = ws_frame(reader)
        if opcode == 8:
            ws_send(sock, 8, payload[:2])
            return struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else None


def watch(u, soak):
    """Follows one upload's progress to its end; notes when 'complete' was first heard."""
    LEDGER.event("WebSockets watching an upload")
    try:
        status, sock, reader = ws_open(pick(), u.id, AUTH)
        with sock:
            sock.settimeout(60)
            while status == 101 and time.monotonic() < soak.hard_stop:
                opcode, payload = ws_frame(reader)
                if opcode == 1 and json.loads(payload).get("type") == "complete" and u.complete_event is None:
                    u.complete_event = time.monotonic()
                elif opcode == 9:
                    ws_send(sock, 10, payload)
                elif opcode == 8:
                    return
    except (OSError, EOFError, ValueError):
        pass  # a killed instance or a restarting Redis ends a watch; the next upload has another


def socket_faults(soak, n):
    rng = random.Random(soak.seed * 7 + n)
    while not soak.faults_over():
        time.sleep(rng.uniform(0.05, 0.3))
        way = rng.random()
        inst = pick(rng)
        try:
            if way < 0.7:
                bad_key = way < 0.35
                LEDGER.fault("WebSocket refused (bad key)" if bad_key else "WebSocket refused (unknown upload)")
                status, sock, reader = ws_open(inst, uuid.uuid4(), {**AUTH, "X-API-KEY": "wrong"} if bad_key else AUTH)
                with sock:
                    code = ws_close_code(sock, reader) if status == 101 else None
                wanted = 4401 if bad_key else 4404
                if status not in (101, 503, 429) or (status == 101 and code != wanted):
                    LEDGER.anomaly("WebSocket refused wrongly",
                                   f"{inst.name}: handshake {status}, close {code}, wanted {wanted}")
            else:
                u = soak.registry.any_active(rng)
                if u is None:
                    continue
                LEDGER.fault("WebSocket dropped by its client")
                status, sock, reader = ws_open(inst, u.id, AUTH)
                with sock:
                    if status == 101:
                        ws_frame(reader)  # the current state, at once
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except (OSError, EOFError, ValueError):
            LEDGER.event("WebSockets cut by an instance or Redis restart")


# ---------------------------------------------------------------- Redis restarts and instance kills

def chaos(soak):
    """Alternately restarts Redis and kills (SIGKILL) one instance, then starts it again."""
    span = soak.deadline - soak.started
    step = max(40.0, span / 6)
    at, n = soak.started + step, 0
    while at < soak.deadline - 10:
        time.sleep(max(0.0, at - time.monotonic()))
        try:
            restart(soak, n)
        except RuntimeError as e:
            LEDGER.anomaly("a restart failed", str(e))
            return
        n += 1
        at += step


def restart(soak, n):
    """Redis (stopped cleanly, started again on its append-only file), or SIGKILL for one instance."""
    if n % 2 == 0:
        LEDGER.fault("Redis restart")
        print(f"  [{soak.elapsed()}] restarting Redis", flush=True)
        soak.redis.stop()
        time.sleep(random.uniform(2, 4))
        soak.redis.start()
    else:
        victim = INSTANCES[(n // 2) % len(INSTANCES)]
        LEDGER.fault("instance killed (SIGKILL) and restarted")
        print(f"  [{soak.elapsed()}] killing instance {victim.name}", flush=True)
        victim.kill()
        time.sleep(2)
        victim.launch()
        victim.await_ready()
        print(f"  [{soak.elapsed()}] instance {victim.name} is back", flush=True)


# ---------------------------------------------------------------- the final check

class Verifier:
    """HEAD = status hash = storage API, every acknowledged byte there, completed uploads byte-identical."""

    def __init__(self, storage):
        self.storage = storage

    def observe(self, u):
        body = Digest()
        head = call("HEAD", u.tus(), TUS, "HEAD", HEAD_OK | {404, 410})
        status = call("GET", u.status_path(), AUTH, "status", {200, 404})
        download = call("GET", u.storage_path(), AUTH, "download", {200, 404, 409}, sink=body)
        return head, status, download, body.hash.digest(), body.length

    def disagreement(self, u, head, status, download):
        offset = head.offset() if head.status in HEAD_OK else None
        state = status.json() if status.status == 200 else None
        if offset is None:
            return None if state is None and download.status == 404 else "HEAD 404 while the others answer"
        if state is None:
            return f"HEAD {offset} but no status"
        complete = offset == u.size
        if state.get("offset") != offset or (state.get("status") == "completed") != complete:
            return f"HEAD {offset}, status {state.get('status')} offset {state.get('offset')}"
        if (download.status == 200) != complete:
            return f"HEAD {offset} of {u.size}, download answered {download.status}"
        return None

    def verify(self, u):
        if u.deleted:
            expect_deleted(u, "at the end")
            return
        for attempt in range(5):  # a status written while Redis was away catches up: give it a moment
            head, status, download, digest, length = self.observe(u)
            problem = self.disagreement(u, head, status, download)
            if problem is None:
                break
            time.sleep(1.5)
        if problem:
            LEDGER.anomaly("HEAD, status and storage API disagree", problem, u)
        if head.status not in HEAD_OK:
            LEDGER.anomaly("upload vanished", f"HEAD answered {head.status} at the end", u, lost=True)
            return
        offset = head.offset()
        if offset < u.acked:
            LEDGER.anomaly("acknowledged bytes lost", f"HEAD says {offset}, {u.acked} were acknowledged", u, lost=True)
        source = u.source()
        if download.status == 200:
            if length != u.size or digest != hashlib.sha256(source).digest():
                LEDGER.anomaly("completed upload not byte-identical", f"{length} bytes downloaded of {u.size}",
                               u, lost=True)
        elif offset:
            with open(os.path.join(self.storage, "uploads", u.id, "data"), "rb") as data:
                if data.read(offset) != source[:offset]:
                    LEDGER.anomaly("stored bytes differ from the bytes sent", f"within the first {offset}", u,
                                   lost=True)
        u.forget_source()

    def orphans(self, registry, redis):
        folders = set(os.listdir(os.path.join(self.storage, "uploads")))
        hashes = {k.split(":", 1)[1] for k in redis.keys("upload:*")}
        known = {u.id: u for u in registry.all}
        live = {i for i, u in known.items() if not u.deleted}
        for i in folders - live:
            if i in known:
                LEDGER.anomaly("files left by a deleted upload", f"uploads/{i}")
            elif i not in hashes:
                LEDGER.anomaly("orphan folder", f"uploads/{i} has no status hash and no client")
        unknown = folders - set(known)
        if len(unknown & hashes) > registry.creations_unanswered:
            LEDGER.anomaly("uploads nobody created", f"{len(unknown & hashes)} uploads, "
                                                     f"{registry.creations_unanswered} creations unanswered")
        for i in hashes - folders:
            LEDGER.anomaly("orphan status hash", f"upload:{i} has no folder"
                           + (" (deleted by its client)" if i in known else ""))
        for key in redis.keys("lock:upload:*"):
            LEDGER.anomaly("lock left after every client stopped", key)
        LEDGER.event("uploads kept by the server whose creation answer was lost", len(unknown & hashes))


# ---------------------------------------------------------------- the run

class Soak:
    def __init__(self, args, redis):
        self.args, self.seed, self.redis = args, args.seed, redis
        self.started = LEDGER.started = time.monotonic()
        self.deadline = self.started + args.minutes * 60
        self.hard_stop = self.deadline + 120  # clients finish their uploads without faults until then
        self.registry = Registry(args.budget_mib * MIB)

    def faults_over(self):
        return time.monotonic() >= self.deadline

    def elapsed(self):
        return f"{time.monotonic() - self.started:5.0f} s"

    def retire(self, u):
        Verifier(self.args.storage).verify(u)
        u.deleting = True
        answer = call("DELETE", u.storage_path(), AUTH, "DELETE (storage)", {204, 404})
        u.deleted = u.deleting = u.retired = answer.status in (204, 404)
        LEDGER.event("completed uploads verified and deleted to bound the disk")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--jar", default="target/media-pipeline-microbundle.jar")
    parser.add_argument("--work", default="bench/.work/soak")
    parser.add_argument("--out", default="bench/SOAK.md")
    parser.add_argument("--commit", default="unknown")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--budget-mib", type=int, default=1536, help="completed bytes kept before retiring")
    args = parser.parse_args()
    args.command = " ".join(["bench/soak", *(a for a in sys.argv[1:] if a != "--commit" and a != args.commit)])
    args.work = os.path.abspath(args.work)
    shutil.rmtree(args.work, ignore_errors=True)
    args.storage = os.path.abspath(os.path.join(args.work, "storage"))
    os.makedirs(args.storage)
    began = datetime.datetime.now(datetime.timezone.utc)

    redis = Redis(args.work, free_port())

    def stop_everything(signum, frame):
        for inst in INSTANCES:
            inst.kill()
        if redis.proc:
            redis.proc.kill()
        os._exit(128 + signum)
    signal.signal(signal.SIGINT, stop_everything)
    signal.signal(signal.SIGTERM, stop_everything)
    redis.start()
    INSTANCES.extend(Instance(name, os.path.abspath(args.jar), os.path.abspath(args.work), free_port(), redis.port,
                              args.storage) for name in ("A", "B"))
    try:
        print(f"== starting two instances on ports {[i.port for i in INSTANCES]}, Redis on {redis.port}", flush=True)
        for inst in INSTANCES:
            inst.launch()
        for inst in INSTANCES:
            inst.await_ready()
        soak = Soak(args, redis)
        print(f"== {args.minutes} min of faults, {args.clients} clients, seed {args.seed}", flush=True)
        threads = [threading.Thread(target=Client(n, soak).run, daemon=True) for n in range(args.clients)]
        threads += [threading.Thread(target=socket_faults, args=(soak, n), daemon=True) for n in range(2)]
        chaos_thread = threading.Thread(target=chaos, args=(soak,), daemon=True)
        for t in threads + [chaos_thread]:
            t.start()
        chaos_thread.join()
        for t in threads:
            t.join(max(1.0, soak.hard_stop + 200 - time.monotonic()))
        ran = time.monotonic() - soak.started
        print(f"== clients done after {ran:.0f} s; checking every upload", flush=True)
        time.sleep(LOCK_TIMEOUT + 2)  # every lock a stalled or killed writer held has expired
        verifier = Verifier(args.storage)
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            for u, failure in zip(soak.registry.all, pool.map(lambda u: safely(verifier.verify, u), soak.registry.all)):
                if failure:
                    LEDGER.anomaly("soak driver error", failure, u)
        verifier.orphans(soak.registry, redis)
        report(args, began, ran, soak)
    finally:
        for inst in INSTANCES:
            inst.stop()
        redis.stop()
    print(f"== {len(LEDGER.lost)} uploads lost or corrupted, {sum(map(len, LEDGER.anomalies.values()))} anomalies; "
          f"see {args.out}", flush=True)
    return 1 if LEDGER.lost or LEDGER.anomalies else 0


def safely(function, *args):
    try:
        function(*args)
        return None
    except Exception:
        return traceback.format_exc(limit=4)


def report(args, began, ran, soak):
    uploads = soak.registry.all
    completed = [u for u in uploads if u.completed]
    lines = [
        "# Fault soak", "",
        f"Written by `{args.command}`; run {began:%Y-%m-%d %H:%M} UTC on commit `{args.commit}`, "
        f"{args.minutes:g} min of faults (then the clients finish their uploads without faults), "
        f"{ran / 60:.1f} min in all, {args.clients} clients, seed {args.seed}. Two instances of the microbundle on "
        f"one redis-server (append-only) and one storage folder; lock timeout {LOCK_TIMEOUT:g} s.", "",
        f"**Uploads lost or corrupted: {len(LEDGER.lost)}** (must be 0)", "",
        "| | |", "|---|---|",
        f"| uploads created | {len(uploads)}: {len(completed)} completed ({sum(u.retired for u in uploads)} of them "
        f"checked and deleted during the run to bound the disk), "
        f"{sum(u.deleted and not u.retired for u in uploads)} deleted while bytes streamed in, "
        f"{sum(not u.completed and not u.deleted for u in uploads)} unfinished at the end |",
        f"| bytes acknowledged | {sum(u.acked for u in uploads) / MIB:,.0f} MiB |",
        f"| anomalies | {sum(map(len, LEDGER.anomalies.values()))} |", "",
        "## Faults injected", "", "| fault | count |", "|---|---|",
        *(f"| {k} | {v} |" for k, v in sorted(LEDGER.faults.items())), "",
        "## Anomalies", "",
    ]
    if LEDGER.anomalies:
        lines += ["| kind | count | first seen |", "|---|---|---|"]
        for kind, details in sorted(LEDGER.anomalies.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"| {kind} | {len(details)} | {md(details[0])} |")
    else:
        lines.append("None.")
    if LEDGER.lost:
        seen = collections.Counter(f for _, u in LEDGER.lost.values() for f in set(u.faults))
        lines += ["", "## Uploads lost or corrupted", "", "How many of them went through each fault:", "",
                  "| fault | lost uploads that went through it |", "|---|---|",
                  *(f"| {f} | {n} |" for f, n in seen.most_common()), ""]
        lines += [f"- {md(why)}; its faults: {', '.join(sorted(set(u.faults))) or 'none'}"
                  for why, u in LEDGER.lost.values()]
    lines += ["", "## Other events", "", "| event | count |", "|---|---|",
              *(f"| {k} | {v} |" for k, v in sorted(LEDGER.events.items())),
              "", "## Answers by request", "", "| request | status | count |", "|---|---|---|",
              *(f"| {k} | {s} | {v} |" for (k, s), v in sorted(LEDGER.answers.items())), ""]
    with open(args.out, "w") as out:
        out.write("\n".join(lines))


def md(text):
    return " ".join(str(text).split()).replace("|", "\\|")[:300]


if __name__ == "__main__":
    sys.exit(main())
