"""Follows a market's live feed by seq (the same rules as examples/ts/feed.ts).

Every public message carries the next seq; one that skips a number means something was
missed, so the bot asks for a snapshot ({"type":"resync"}) and ignores what comes until
it arrives. `receive` returns what happened: applied, duplicate, resync, waiting, private.
"""


class FeedFollower:
    def __init__(self):
        self.seq = None
        self.status = "unknown"
        self.prices = {}
        self.halted = set()
        self.resyncs = 0
        self._awaiting_snapshot = True

    def receive(self, msg):
        if msg.get("type") == "snapshot":
            self.seq = msg["seq"]
            self.status = msg["market"]["status"]
            self.prices = {s["symbol"]: s["price"] for s in msg["symbols"]}
            self.halted = {s["symbol"] for s in msg["symbols"] if s["halted"]}
            self._awaiting_snapshot = False
            return "applied"
        seq = msg.get("seq")
        if not isinstance(seq, int):
            return "private"  # fill, error: not numbered
        if self._awaiting_snapshot or self.seq is None:
            return "waiting"
        if seq <= self.seq:
            return "duplicate"
        if seq > self.seq + 1:
            self._awaiting_snapshot = True
            self.resyncs += 1
            return "resync"
        self.seq = seq
        # A type this bot does not know (lobby, news) still moves seq.
        if msg["type"] == "tick":
            self.prices.update({p["symbol"]: p["price"] for p in msg["prices"]})
        elif msg["type"] == "status":
            self.status = msg["status"]
            self.halted = set(msg["halted"])
        return "applied"
