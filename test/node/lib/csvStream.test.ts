import { describe, expect, it } from "vitest";
import type { CsvCell } from "../../../worker/lib/csv";
import { csvStream } from "../../../worker/lib/csvStream";

/** A page source that records how far it has been read. */
function source(pages: CsvCell[][][], failAt?: number) {
  const log = { fetched: 0, returned: false };
  async function* gen() {
    try {
      for (let i = 0; i < pages.length; i++) {
        if (i === failAt) throw new Error("database went away");
        log.fetched += 1;
        yield pages[i];
      }
    } finally {
      log.returned = true;
    }
  }
  return { pages: gen(), log };
}

const decoder = new TextDecoder();

describe("a CSV body streamed page by page", () => {
  it("is the header and every page's rows, as one CSV", async () => {
    const { pages } = source([
      [["a", 1]],
      [],
      [
        ["=b", null],
        ["c,d", 2.5],
      ],
    ]);
    const text = await new Response(await csvStream(["name", "n"], pages)).text();
    expect(text).toBe('name,n\r\na,1\r\n\'=b,\r\n"c,d",2.5\r\n');
  });

  it("is the header alone when there are no rows", async () => {
    const { pages } = source([[]]);
    expect(await new Response(await csvStream(["x"], pages)).text()).toBe("x\r\n");
  });

  it("reads the first page before answering, and each further page only when the client reads on", async () => {
    const { pages, log } = source([[["p1"]], [["p2"]], [["p3"]]]);
    const body = await csvStream(["h"], pages);
    expect(log.fetched).toBe(1);
    const reader = body.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe("h\r\np1\r\n");
    // Nothing was fetched ahead of the reader: one page in memory at a time.
    expect(log.fetched).toBe(1);
    expect(decoder.decode((await reader.read()).value)).toBe("p2\r\n");
    expect(log.fetched).toBe(2);
    expect(decoder.decode((await reader.read()).value)).toBe("p3\r\n");
    expect((await reader.read()).done).toBe(true);
    expect(log.returned).toBe(true);
  });

  it("throws a failure of the first page to the caller, who can still answer with an error status", async () => {
    const { pages } = source([[["p1"]]], 0);
    await expect(csvStream(["h"], pages)).rejects.toThrow("database went away");
  });

  it("cuts the body short when a later page fails", async () => {
    const { pages } = source([[["p1"]], [["p2"]]], 1);
    const reader = (await csvStream(["h"], pages)).getReader();
    expect(decoder.decode((await reader.read()).value)).toBe("h\r\np1\r\n");
    await expect(reader.read()).rejects.toThrow("database went away");
  });

  it("stops the source when the client goes away", async () => {
    const { pages, log } = source([[["p1"]], [["p2"]], [["p3"]]]);
    const reader = (await csvStream(["h"], pages)).getReader();
    await reader.read();
    await reader.cancel();
    expect(log.returned).toBe(true);
    expect(log.fetched).toBe(1);
  });
});
