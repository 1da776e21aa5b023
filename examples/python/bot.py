"""A small MarketFlow trading bot, standard library only (urllib, and mini_ws.py for the feed).

It joins a market, follows the live feed by seq (resync on a gap, feed.py), and for each
step places a limit buy a little under the price with its own clientOrderId and cancels
it again, waiting out Retry-After whenever the server answers 429.

    python3 examples/python/bot.py --market DEMO [--base http://127.0.0.1:8787] [--orders 5]
                                   [--token TOKEN]  (a player's token from an earlier join: no new join)

It prints one JSON line of what it did and exits 0, or exits 1 with the server's error.
"""

import argparse
import json
import random
import string
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from feed import FeedFollower
from mini_ws import Closed, WebSocket


class Api:
    """JSON calls; a 429 is retried after its Retry-After, a lost connection after 1 s."""

    def __init__(self, base, stats, token=None):
        self.base, self.stats, self.token = base, stats, token

    def call(self, method, path, body=None, attempts=8):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data else {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=15) as res:
                    return res.status, json.loads(res.read() or b"null")
            except urllib.error.HTTPError as err:
                answer = json.loads(err.read() or b"null")
                if err.code != 429 or attempt == attempts:
                    return err.code, answer
                self.stats["rateLimited"] += 1
                time.sleep(max(1, int(err.headers.get("Retry-After", "1"))))
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                # The same request again is safe: an order repeats its clientOrderId.
                if attempt == attempts:
                    raise
                time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8787")
    parser.add_argument("--market", required=True)
    parser.add_argument("--name", default="py-bot-" + "".join(random.choices(string.ascii_lowercase, k=4)))
    parser.add_argument("--orders", type=int, default=10)
    parser.add_argument("--token", help="a player's token from an earlier join (a name is taken once per market)")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the snapshot and the open")
    args = parser.parse_args()
    base, code = args.base.rstrip("/"), args.market.upper()
    stats = {"rateLimited": 0, "placed": 0, "cancelled": 0, "refused": 0, "fills": 0}

    def log(*parts):
        print(f"[{args.name}]", *parts, file=sys.stderr)

    def fail(what, detail):
        log(f"{what}: {json.dumps(detail)}")
        sys.exit(1)

    token = args.token
    if not token:
        status, joined = Api(base, stats).call("POST", f"/api/markets/{code}/join", {"name": args.name})
        if status != 201:
            fail("join refused", joined)
        token = joined["token"]
        log(f"joined {code} as {joined['player']['name']}")
    api = Api(base, stats, token)

    feed = FeedFollower()
    ws_base = "ws" + base[len("http"):]
    socket = WebSocket(f"{ws_base}/api/markets/{code}/ws?token={urllib.parse.quote(token)}")
    lock = threading.Lock()
    done = threading.Event()

    def read_feed():
        try:
            while True:
                text = socket.recv()
                if text == "pong":
                    continue
                msg = json.loads(text)
                with lock:
                    verdict = feed.receive(msg)
                if verdict == "resync":
                    log(f"gap after seq {feed.seq}: resync")
                    socket.send(json.dumps({"type": "resync"}))
                if msg.get("type") == "fill":
                    stats["fills"] += 1
                elif msg.get("type") == "error":
                    log(f"feed error {msg['code']}: {msg['message']}")
        except (Closed, OSError) as closed:
            if not done.is_set():
                log(f"feed closed: {closed}")

    threading.Thread(target=read_feed, daemon=True).start()

    def until(condition, what):
        deadline = time.monotonic() + args.wait
        while True:
            with lock:
                if condition():
                    return
            if time.monotonic() > deadline:
                fail("timed out", f"waiting for {what}")
            time.sleep(0.1)

    until(lambda: feed.seq is not None, "the feed's snapshot")
    until(lambda: feed.status == "open", "the market to open")

    run_id = format(int(time.time() * 1000), "x")
    for step in range(1, args.orders + 1):
        with lock:
            tradable = sorted(s for s in feed.prices if s not in feed.halted)
            if not tradable:
                fail("no symbol to trade", sorted(feed.halted))
            symbol = tradable[step % len(tradable)]
            price = feed.prices[symbol]
        # 10% under the price: inside the default limit band (50%), unlikely to fill at once.
        limit_price = max(0.01, round(price * 0.9, 2))
        client_order_id = f"{args.name}-{run_id}-{step}"
        order = {
            "clientOrderId": client_order_id,
            "symbol": symbol,
            "side": "buy",
            "type": "limit",
            "qty": 1,
            "limitPrice": limit_price,
        }
        status, placed = api.call("POST", f"/api/markets/{code}/orders", order)
        if status not in (200, 201):
            stats["refused"] += 1
            log(f"order {client_order_id} refused: {placed['error']['code']} {placed['error']['message']}")
            continue
        stats["placed"] += 1
        placed_order = placed["order"]
        log(f"placed {client_order_id}: buy 1 {symbol} at {limit_price} -> {placed_order['status']}")
        if placed_order["status"] not in ("open", "partially_filled"):
            continue
        status, cancelled = api.call("DELETE", f"/api/markets/{code}/orders/{placed_order['id']}")
        if status == 200:
            stats["cancelled"] += 1
        elif cancelled["error"]["code"] != "ORDER_NOT_OPEN":  # filled in between: nothing to undo
            fail("cancel refused", cancelled)

    done.set()
    socket.close(1000, "done")
    print(json.dumps({"bot": args.name, "market": code, **stats, "seq": feed.seq, "resyncs": feed.resyncs}))


if __name__ == "__main__":
    main()
