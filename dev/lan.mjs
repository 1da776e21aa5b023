/**
 * A laptop-hosted event (`npm start -- --lan`): the laptop's address on the local network,
 * for the URL phones open and the QR code. The first non-internal IPv4 address wins
 * (Wi-Fi or Ethernet; IPv6 link-local addresses are awkward to type and to put in a QR).
 * LAN_ADDRESS overrides it (a machine with several networks, or a test).
 */
import { networkInterfaces } from "node:os";

/** @param {ReturnType<typeof networkInterfaces>} interfaces */
export function lanAddress(interfaces = networkInterfaces(), override = process.env.LAN_ADDRESS) {
  if (override) return override;
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      // Node 18.0-18.3 said 4 instead of "IPv4".
      const family = String(a.family);
      if (!a.internal && (family === "IPv4" || family === "4")) return a.address;
    }
  }
  return null;
}
