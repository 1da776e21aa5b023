import { describe, expect, it } from "vitest";
import { shardIndex } from "../../../worker/broadcast/shards";
import { feedGroup } from "../../../bench/load/groups.mjs";

describe("the benchmark's feed groups", () => {
  it("put every player in the group the Worker puts them in", () => {
    for (const k of [0, 1, 2, 3, 4, 7, 16, 64])
      for (let n = 1; n <= 2000; n++) expect(feedGroup(`p${n}`, k), `p${n} with K=${k}`).toBe(shardIndex(`p${n}`, k));
  });
});
