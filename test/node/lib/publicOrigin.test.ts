import { describe, expect, it, vi } from "vitest";
import { publicOriginOf } from "../../../worker/lib/publicOrigin";

describe("the public origin for join links", () => {
  it("is the setting when it is an http(s) URL, else the request's origin", () => {
    expect(publicOriginOf("http://192.168.1.20:8787", "http://127.0.0.1:8787/api/site")).toBe(
      "http://192.168.1.20:8787",
    );
    expect(publicOriginOf("https://fest.example.org/some/path", "http://127.0.0.1/x")).toBe("https://fest.example.org");
    expect(publicOriginOf(undefined, "http://127.0.0.1:8787/api/site")).toBe("http://127.0.0.1:8787");
    expect(publicOriginOf("", "https://marketflow.example/api/site")).toBe("https://marketflow.example");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(publicOriginOf("ftp://nope", "http://127.0.0.1:8787/")).toBe("http://127.0.0.1:8787");
    expect(publicOriginOf("not a url", "http://127.0.0.1:8787/")).toBe("http://127.0.0.1:8787");
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
