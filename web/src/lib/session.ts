/** Where the browser keeps who it is: one player token per market, one organiser token. */
export interface PlayerSession {
  code: string;
  token: string;
  playerId: string;
  name: string;
  /** The player's team, in a market with teams. */
  team?: string;
}

const playerKey = (code: string) => `mf:player:${code.toUpperCase()}`;
const ADMIN_KEY = "mf:admin-token";

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function getPlayer(code: string): PlayerSession | null {
  return read<PlayerSession>(playerKey(code));
}
export function savePlayer(s: PlayerSession): void {
  localStorage.setItem(playerKey(s.code), JSON.stringify(s));
}
export function forgetPlayer(code: string): void {
  localStorage.removeItem(playerKey(code));
}
export function lastCode(): string | null {
  return localStorage.getItem("mf:last-code");
}
export function rememberCode(code: string): void {
  localStorage.setItem("mf:last-code", code.toUpperCase());
}

export function getAdminToken(): string | null {
  return localStorage.getItem(ADMIN_KEY);
}
export function saveAdminToken(t: string): void {
  localStorage.setItem(ADMIN_KEY, t);
}
export function forgetAdminToken(): void {
  localStorage.removeItem(ADMIN_KEY);
}

export function normaliseCode(raw: string): string {
  return raw
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");
}
