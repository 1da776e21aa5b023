"""The feed follower's seq rules (python3 -m unittest discover examples/python)."""

import unittest

from feed import FeedFollower


def snapshot(seq, price=100):
    return {"type": "snapshot", "seq": seq, "market": {"status": "open"}, "symbols": [{"symbol": "ACME", "price": price, "halted": False}]}


def tick(seq, price):
    return {"type": "tick", "seq": seq, "prices": [{"symbol": "ACME", "price": price}]}


class FeedFollowerTest(unittest.TestCase):
    def test_order_repeats_and_gaps(self):
        feed = FeedFollower()
        self.assertEqual(feed.receive(tick(1, 1)), "waiting")
        self.assertEqual(feed.receive(snapshot(5)), "applied")
        self.assertEqual(feed.receive(tick(6, 101)), "applied")
        self.assertEqual(feed.receive(tick(6, 999)), "duplicate")
        self.assertEqual(feed.receive({"type": "lobby", "seq": 7}), "applied")
        self.assertEqual(feed.receive(tick(9, 102)), "resync")
        self.assertEqual(feed.receive(tick(10, 103)), "waiting")
        self.assertEqual(feed.prices["ACME"], 101)
        self.assertEqual(feed.receive({"type": "fill", "order": {}}), "private")
        self.assertEqual(feed.receive(snapshot(10, 103)), "applied")
        self.assertEqual(feed.receive(tick(11, 104)), "applied")
        self.assertEqual((feed.seq, feed.resyncs, feed.prices["ACME"]), (11, 1, 104))


if __name__ == "__main__":
    unittest.main()
