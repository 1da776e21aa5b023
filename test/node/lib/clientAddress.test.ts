import { describe, expect, it } from "vitest";
import { clientAddress, ipv6Prefix64 } from "../../../worker/lib/clientAddress";

const from = (ip?: string) => clientAddress(new Headers(ip === undefined ? {} : { "CF-Connecting-IP": ip }));

describe("the address a request is counted under", () => {
  it("is the IPv4 address itself: every phone behind one NAT shares it", () => {
    expect(from("192.0.2.7")).toBe("192.0.2.7");
  });

  it("is the /64 of an IPv6 address, in one spelling, so a client cannot pick a fresh address per request", () => {
    expect(from("2001:db8:1:2:aaaa:bbbb:cccc:1")).toBe("2001:db8:1:2::/64");
    expect(from("2001:0DB8:0001:0002::ffff")).toBe("2001:db8:1:2::/64");
    expect(from("[2001:db8:1:2::1]")).toBe("2001:db8:1:2::/64");
    expect(ipv6Prefix64("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipv6Prefix64("::1")).toBe("0:0:0:0::/64");
  });

  it("is one shared key when the header is missing, and garbage is kept as sent rather than guessed at", () => {
    expect(from()).toBe("local");
    expect(from("  ")).toBe("local");
    expect(ipv6Prefix64("zz::1::2")).toBe("zz::1::2");
  });

  it("is one bounded key for anything not shaped like an address (it ends up in socket tags, at most 256 characters)", () => {
    expect(from("x".repeat(5000))).toBe("unparseable");
    expect(from("10.0.0.1, 10.0.0.2")).toBe("unparseable");
    expect(from("<script>")).toBe("unparseable");
    expect(from("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });
});
