#!/usr/bin/env python3
"""Upload a file to Media Pipeline over TUS and print its live progress from the WebSocket.

Resumable: the upload URL is remembered (in ~/.cache/media-pipeline/uploads.json) so that a run
that was interrupted, or a dropped connection within a run, goes on from the offset the server
reports (HEAD) instead of starting again. Exits 0 once the server says the upload is complete,
130 after Ctrl-C (at once, saying how far the server got), 1 on any failure.

Needs only the standard library and the `websockets` package (Debian: python3-websockets).
"""
import argparse
import asyncio
import base64
import hashlib
import http.client
import json
import mimetypes
import os
import socket
import sys
import threading
import urllib.parse
from pathlib import Path

import websockets

STATE_FILE = Path.home() / ".cache" / "media-pipeline" / "uploads.json"
RETRIES = 5


class UploadError(Exception):
    pass


class Slice:
    """The next `length` bytes of a file, read as http.client sends them: a chunk is never held whole."""

    def __init__(self, source, length):
        self.source = source
        self.left = length

    def read(self, size=-1):
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.source.read(size)
        self.left -= len(data)
        return data


class Tus:
    """TUS 1.0.0 over http.client: create, ask the offset, send chunks."""

    def __init__(self, base_url, key, username):
        self.base = base_url.rstrip("/") + "/"
        self.headers = {"X-API-KEY": key, "X-Username": username, "Tus-Resumable": "1.0.0"}
        self.upload_url = None
        self.stopped = threading.Event()
        self._connection = None

    def stop(self):
        """Ends the request in flight now (from another thread) and starts no other."""
        self.stopped.set()
        sock = self._connection.sock if self._connection is not None else None
        if sock is not None:  # read once: the request thread may close the connection meanwhile
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _request(self, method, url, body=None, headers=None, timeout=60):
        parts = urllib.parse.urlsplit(url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(parts.netloc, timeout=timeout)
        self._connection = connection
        try:
            connection.connect()
            if self.stopped.is_set():
                raise UploadError("stopped")
            connection.request(method, parts.path or "/", body=body, headers={**self.headers, **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            self._connection = None
            connection.close()

    def create(self, path, size):
        filetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        metadata = ",".join(f"{key} {base64.b64encode(value.encode()).decode()}"
                            for key, value in (("filename", path.name), ("filetype", filetype)))
        status, headers, body = self._request("POST", self.base + "api/v1/uploads/", headers={
            "Upload-Length": str(size), "Upload-Metadata": metadata, "Content-Length": "0"})
        if status != 201:
            raise UploadError(f"creating the upload answered {status}: {body.decode(errors='replace')}")
        return headers["Location"]

    def offset(self, upload_url, timeout=60):
        """The offset the server has stored, or None when the upload is gone."""
        status, headers, _ = self._request("HEAD", upload_url, timeout=timeout)
        if status == 404:
            return None
        if status != 200 and status != 204:
            raise UploadError(f"HEAD answered {status}")
        return int(headers["Upload-Offset"])

    def patch(self, upload_url, offset, source, length):
        """Streams `length` bytes of the open file `source` from `offset` on."""
        source.seek(offset)
        status, headers, body = self._request("PATCH", upload_url, body=Slice(source, length), headers={
            "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(length)})
        if status != 204:
            raise UploadError(f"PATCH at {offset} answered {status}: {body.decode(errors='replace')}")
        return int(headers["Upload-Offset"])


def fingerprint(path, base_url):
    stat = path.stat()
    return hashlib.sha256(f"{base_url}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()


def load_state():
    try:
        return json.loads(STATE_FILE.read_text())
    except (OSError, ValueError):
        return {}


def save_state(state):
    STATE_FILE.parent.mkdir(parents=True, exist_ok=True)
    STATE_FILE.write_text(json.dumps(state))


def upload(tus, path, chunk_size, url, log):
    """Sends the file from the server's offset on, resuming from HEAD after a dropped connection."""
    size = path.stat().st_size
    failures = 0
    with path.open("rb") as source:
        offset = tus.offset(url)
        while offset is not None and offset < size:
            try:
                offset = tus.patch(url, offset, source, min(chunk_size, size - offset))
                failures = 0
            except (OSError, http.client.HTTPException, UploadError) as error:
                if tus.stopped.is_set():
                    return
                if isinstance(error, UploadError):
                    raise
                failures += 1
                if failures > RETRIES:
                    raise UploadError(f"giving up after {RETRIES} failed attempts: {error}")
                if tus.stopped.wait(min(2 ** failures, 10) * 0.25):
                    return
                offset = tus.offset(url)
                log(f"connection lost ({error}); resuming at byte {offset}")
    if offset is None:
        raise UploadError("the upload is gone from the server (deleted or expired)")


async def watch(ws_url, headers, log):
    """Prints every progress message; answers the final one."""
    async with websockets.connect(ws_url, extra_headers=headers, open_timeout=10) as socket:
        async for text in socket:
            message = json.loads(text)
            total = message.get("total_size")
            log(f"{message['type']:>8} {message['progress']:5.1f}%  {message['bytes_sent']}"
                f"/{total if total is not None else '?'} bytes  {message['status']}"
                + (f"  ({message['message']})" if message.get("message") else ""))
            if message["type"] in ("complete", "error"):
                return message
    raise UploadError(f"the progress socket closed with {socket.close_code} {socket.close_reason}")


async def run(args, tus):
    def log(text):
        print(text, flush=True)

    path = Path(args.file)
    size = path.stat().st_size
    state = load_state()
    key = fingerprint(path, args.url)
    url = state.get(key)
    offset = tus.offset(url) if url else None
    if offset is None:
        url = tus.create(path, size)
        state[key] = url
        save_state(state)
        log(f"created {url} for {path.name} ({size} bytes)")
    else:
        log(f"resuming {url} at byte {offset} of {size}")
    tus.upload_url = url

    upload_id = url.rstrip("/").rsplit("/", 1)[-1]
    ws_url = args.url.rstrip("/").replace("http", "ws", 1) + "/api/v1/ws/" + upload_id
    watcher = asyncio.create_task(watch(ws_url, {"X-API-KEY": args.key, "X-Username": args.username}, log))
    await asyncio.sleep(0.2)
    try:
        await asyncio.get_running_loop().run_in_executor(None, upload, tus, path, args.chunk_size, url, log)
    except asyncio.CancelledError:
        # Ctrl-C: asyncio would wait for the sending thread, that is for the whole file
        tus.stop()
        raise
    final = await asyncio.wait_for(watcher, timeout=30)
    if final["type"] != "complete":
        raise UploadError(f"the upload ended with an error: {final.get('message')}")
    state.pop(key, None)
    save_state(state)
    log(f"done: {upload_id}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="the file to upload")
    parser.add_argument("--url", default="http://localhost:8080", help="the service's base URL")
    parser.add_argument("--key", default=os.environ.get("MEDIAPIPELINE_API_KEY", "demo-key-change-me"),
                        help="API key (default: $MEDIAPIPELINE_API_KEY or the demo key)")
    parser.add_argument("--username", default=os.environ.get("USER", "demo"), help="X-Username to record")
    parser.add_argument("--chunk-size", type=int, default=8 * 1024 * 1024, help="bytes per PATCH")
    args = parser.parse_args()
    tus = Tus(args.url, args.key, args.username)
    try:
        asyncio.run(run(args, tus))
    except KeyboardInterrupt:
        tus.stop()
        interrupted(tus, Path(args.file).stat().st_size)
    except (UploadError, OSError, websockets.exceptions.WebSocketException, asyncio.TimeoutError) as error:
        print(f"upload failed: {error}", file=sys.stderr)
        sys.exit(1)


def interrupted(tus, size):
    """Says how far the server got (its HEAD offset, once the send has stopped) and exits 130."""
    where = "nothing was sent yet"
    if tus.upload_url is not None:
        tus.stopped.clear()  # the sending thread has ended: this HEAD is the only request now
        try:
            offset = tus.offset(tus.upload_url, timeout=5)
            where = f"the server has {offset} of {size} bytes" if offset is not None else "the upload is gone"
        except (UploadError, OSError, http.client.HTTPException, KeyboardInterrupt):
            where = "the server did not say how far it got"
    print(f"interrupted: {where}; run the same command again to resume", file=sys.stderr, flush=True)
    sys.exit(130)


if __name__ == "__main__":
    main()
