/**
 * Which "address" a request comes from, for the per-address limits and caps.
 *
 * IPv4: the address itself (CF-Connecting-IP), shared by every phone behind one NAT, which
 * is why those limits are generous. IPv6: the /64 prefix, because one subscriber is given a
 * whole /64 and can pick a fresh address in it for every request; keying on the full
 * address would let one laptop look like millions of clients.
 */

/** The Worker hands the address to the market and shard objects in this header (only the Worker can reach them). */
export const ADDRESS_HEADER = "X-Client-Address";

/** Requests without CF-Connecting-IP (local tools, `wrangler dev` without it) share one key. */
const UNKNOWN_ADDRESS = "local";

/**
 * What is not shaped like an IP address shares this key. On Cloudflare the edge sets the
 * header, so this is a local client sending its own; the key ends up in socket tags, which
 * workerd limits to 256 characters (a longer one threw out of acceptWebSocket).
 */
const UNPARSEABLE_ADDRESS = "unparseable";
/** The longest IPv6 spelling with a zone and brackets is well under this. */
const MAX_ADDRESS_CHARS = 64;

export function clientAddress(headers: Headers): string {
  const ip = headers.get("CF-Connecting-IP")?.trim();
  if (!ip) return UNKNOWN_ADDRESS;
  if (ip.length > MAX_ADDRESS_CHARS || !/^[0-9A-Za-z.:%[\]]+$/.test(ip)) return UNPARSEABLE_ADDRESS;
  return ip.includes(":") ? ipv6Prefix64(ip) : ip;
}

/** "2001:db8:1:2:aaaa::1" -> "2001:db8:1:2::/64"; anything unparseable is kept as sent. */
export function ipv6Prefix64(ip: string): string {
  const bare = ip
    .replace(/^\[|\]$/g, "")
    .split("%")[0]
    .toLowerCase();
  const halves = bare.split("::");
  if (halves.length > 2) return bare;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
  const groups = [
    ...head,
    ...(halves.length === 2 ? Array(Math.max(0, 8 - head.length - tail.length)).fill("0") : []),
    ...tail,
  ];
  if (groups.length < 4 || groups.slice(0, 4).some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return bare;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
