"""A minimal WebSocket client (RFC 6455) on the standard library: socket, ssl, hashlib.

Enough for a bot: the opening handshake (checked), masked text frames out, text frames in
(fragmented or not), ping answered with pong, and the close handshake. No extensions.
"""

import base64
import hashlib
import os
import socket
import ssl
import struct
import threading
from urllib.parse import urlsplit

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


class Closed(Exception):
    """The peer closed the socket; `code` and `reason` are what it said."""

    def __init__(self, code, reason):
        super().__init__(f"closed {code} {reason}")
        self.code, self.reason = code, reason


class WebSocket:
    def __init__(self, url, timeout=10.0):
        parts = urlsplit(url)
        secure = parts.scheme == "wss"
        port = parts.port or (443 if secure else 80)
        sock = socket.create_connection((parts.hostname, port), timeout=timeout)
        if secure:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
        self._sock, self._buf, self._lock = sock, b"", threading.Lock()
        key = base64.b64encode(os.urandom(16)).decode()
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = parts.netloc.rsplit("@", 1)[-1]
        sock.sendall(
            f"GET {target} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        head = self._read_until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        if " 101 " not in head[0] + " ":
            raise ConnectionError(f"upgrade refused: {head[0]}")
        headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in head[1:] if ":" in h)}
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != accept:
            raise ConnectionError("the server's Sec-WebSocket-Accept does not match")
        sock.settimeout(None)

    def _read_until(self, marker):
        while marker not in self._buf:
            self._fill()
        head, self._buf = self._buf.split(marker, 1)
        return head

    def _fill(self):
        chunk = self._sock.recv(65536)
        if not chunk:
            raise Closed(1006, "connection lost")
        self._buf += chunk

    def _read(self, n):
        while len(self._buf) < n:
            self._fill()
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def _send_frame(self, opcode, payload):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        with self._lock:  # the reader thread answers pings while the bot sends
            self._sock.sendall(head + mask + masked)

    def send(self, text):
        self._send_frame(_TEXT, text.encode())

    def recv(self):
        """The next text message, as a str. Raises Closed when the socket closes."""
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._read(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._read(8))
            payload = self._read(n)  # a server's frames are not masked
            opcode = b0 & 0x0F
            if opcode == _PING:
                self._send_frame(_PONG, payload)
            elif opcode == _CLOSE:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                self.close(1000)
                raise Closed(code, payload[2:].decode("utf-8", "replace"))
            elif opcode in (0x0, _TEXT):
                message += payload
                if b0 & 0x80:
                    return message.decode("utf-8")
            # binary frames and pongs are not part of this protocol: skipped

    def close(self, code=1000, reason=""):
        try:
            self._send_frame(_CLOSE, struct.pack("!H", code) + reason.encode())
        except OSError:
            pass
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
