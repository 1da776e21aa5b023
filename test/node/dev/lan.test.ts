import type { NetworkInterfaceInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { lanAddress } from "../../../dev/lan.mjs";

const iface = (address: string, family: "IPv4" | "IPv6", internal: boolean) =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null, scopeid: 0 }) as NetworkInterfaceInfo;

describe("the laptop's network address for --lan", () => {
  it("is the first non-internal IPv4 address", () => {
    const interfaces = {
      lo: [iface("127.0.0.1", "IPv4", true), iface("::1", "IPv6", true)],
      wlan0: [iface("fe80::1", "IPv6", false), iface("192.168.1.20", "IPv4", false)],
      eth1: [iface("10.0.0.5", "IPv4", false)],
    };
    expect(lanAddress(interfaces, "")).toBe("192.168.1.20");
  });

  it("is null on a machine with only loopback or IPv6, and LAN_ADDRESS overrides", () => {
    expect(lanAddress({ lo: [iface("127.0.0.1", "IPv4", true)], w: [iface("fd00::2", "IPv6", false)] }, "")).toBeNull();
    expect(lanAddress({}, "172.16.0.9")).toBe("172.16.0.9");
  });
});
