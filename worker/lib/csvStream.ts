/**
 * A CSV response body written page by page. An export may be far larger than one RPC may
 * carry (32 MiB) or than a Worker should hold, so its rows come from `pages`, one page per
 * read of the body: at most one page is in memory, and a slow client slows the reads.
 */
import { csvLines, type CsvCell } from "./csv";
import { errorFields, log } from "./log";

export type CsvPages = AsyncIterator<CsvCell[][], unknown, undefined>;

/**
 * Reads the first page before returning, so a refusal (no such market, the database down)
 * is still thrown to the route and answered with its status; a failure after the first
 * page can only cut the body short, and is logged.
 */
export async function csvStream(header: string[], pages: CsvPages): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  let ahead: IteratorResult<CsvCell[][], unknown> | null = await pages.next();
  let text = csvLines([header]);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Until there is something to hand over: a pull that enqueues nothing is not
          // called again for the same read, so an empty page must not end this one.
          for (;;) {
            const step = ahead ?? (await pages.next());
            ahead = null;
            if (!step.done) text += csvLines(step.value);
            if (!text && !step.done) continue;
            if (text) controller.enqueue(encoder.encode(text));
            text = "";
            if (step.done) controller.close();
            return;
          }
        } catch (err) {
          log.error("csv_export_failed", { afterFirstPage: true, ...errorFields(err) });
          controller.error(err);
        }
      },
      async cancel() {
        await pages.return?.();
      },
    },
    // Nothing is read ahead of the client: a page is fetched when the body is read.
    { highWaterMark: 0 },
  );
}
