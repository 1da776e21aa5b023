/** The REST client: one place that speaks HTTP to the Worker and turns errors into plain words. */
import type {
  ApiErrorBody,
  ApiErrorCode,
  ControlAction,
  CreateMarketInput,
  Fill,
  MarketInfo,
  MarketResults,
  MarketSettingsInput,
  NewsEditInput,
  NewsInput,
  NewsItem,
  Order,
  OrderInput,
  PlayerResult,
  PlayerSummary,
  Portfolio,
  SessionInput,
  ModerationSettings,
  TeamsConfig,
} from "../../../worker/shared/protocol";
import type { ScenarioFile } from "../../../worker/shared/scenario";

/** A scenario as the server answers it: every news time in ms after the open. */
export type CheckedScenario = Omit<ScenarioFile, "news"> & {
  news: (Omit<NonNullable<ScenarioFile["news"]>[number], "atMinute"> & { afterOpenMs: number })[];
};

/** Codes the client adds for failures that never reached the contract. */
export type ClientErrorCode = ApiErrorCode | "NETWORK" | "UNKNOWN";

export class ApiError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status: number,
    readonly details?: unknown,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  token?: string | null;
  signal?: AbortSignal;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? "GET",
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiError("NETWORK", "No connection to the server.", 0);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: handled below */
  }
  if (!res.ok) {
    const err = (json as ApiErrorBody | undefined)?.error;
    const retry = Number(res.headers.get("retry-after"));
    throw new ApiError(
      err?.code ?? (res.status >= 500 ? "INTERNAL" : "UNKNOWN"),
      err?.message ?? `The server answered ${res.status}.`,
      res.status,
      err?.details,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return json as T;
}

/** Context changes a few messages: a NOT_FOUND on join means the code, on cancel the order. */
export type ErrorContext = "order" | "join" | "cancel" | "market" | "admin";

/** The sentence a player or organiser reads. Never a stack trace, never a bare code. */
export function plainError(e: unknown, ctx: ErrorContext = "market"): string {
  if (!(e instanceof ApiError)) return "Something went wrong. Please try again.";
  switch (e.code) {
    case "NETWORK":
      return "No connection. Check your Wi-Fi or data and try again.";
    case "INSUFFICIENT_FUNDS":
      return "Not enough cash for this order. Try a smaller quantity.";
    case "INSUFFICIENT_SHARES":
      return "You don't own enough shares to sell that many.";
    case "SYMBOL_HALTED":
      return "Trading in this stock is halted right now. It will resume shortly.";
    case "MARKET_NOT_OPEN":
      return ctx === "order"
        ? "The market is not open right now (paused, not started or closed). Orders are taken only while it is open."
        : "That step is not possible in the market's current state.";
    case "ORDER_LIMIT":
      return `This order breaks a market rule: ${e.message}`;
    case "ORDER_NOT_OPEN":
      return "That order is no longer open: it was filled or cancelled already.";
    case "IDEMPOTENCY_MISMATCH":
      return "An earlier order was already sent under this ticket with other details. Check your orders, then place it again.";
    case "NAME_TAKEN":
      return "Someone in this market already has that nickname. Pick another one.";
    case "MARKET_FULL":
      return "This market is full: the organiser set a limit on players.";
    case "NAME_BLOCKED":
      return ctx === "admin"
        ? "That name, or one that looks like it, is blocked in this market."
        : "The organiser has blocked that nickname here. Pick another one.";
    case "NAME_NOT_ALLOWED":
      return "That name contains a word that is not allowed in this market. Pick another one.";
    case "TEAM_IN_USE":
      return `Players already play for a team you left out: ${e.message}`;
    case "CODE_TAKEN":
      return "A market with that code already exists. Choose another code or leave it empty.";
    case "NOT_FOUND":
      return ctx === "join" || ctx === "market"
        ? "There is no market with that code. Check the code and try again."
        : ctx === "cancel"
          ? "That order no longer exists."
          : "Not found.";
    case "RATE_LIMITED":
      return `Too many requests at once. Wait ${e.retryAfter ?? 1} s and try again.`;
    case "UNAUTHORIZED":
      return ctx === "admin" ? "That organiser token is not valid." : "Your session has expired. Please join again.";
    case "FORBIDDEN":
      return ctx === "admin" ? "That token may not run this market." : "You are not allowed to do that.";
    case "VALIDATION":
      return validationMessage(e);
    case "PAYLOAD_TOO_LARGE":
      return "That is too much text. Shorten it and try again.";
    case "INTERNAL":
    case "UNKNOWN":
      return "The server had a problem. Please try again in a moment.";
  }
}

function validationMessage(e: ApiError): string {
  const d = e.details;
  if (Array.isArray(d) && d.length > 0) {
    const parts = d.slice(0, 3).map((x: { path?: unknown; field?: unknown; message?: unknown }) => {
      const field = Array.isArray(x.path) ? x.path.join(".") : typeof x.field === "string" ? x.field : "";
      return field ? `${field}: ${String(x.message ?? "invalid")}` : String(x.message ?? "invalid");
    });
    return `Please check: ${parts.join("; ")}.`;
  }
  return `Please check your input: ${e.message}`;
}

// ---------------------------------------------------------------- typed endpoints
// One function per route the web app calls, so a page never spells a path or a reply's shape.

const m = (code: string) => `/api/markets/${encodeURIComponent(code)}`;

/** Organiser routes (`token` is the organiser token). */
export const adminApi = {
  listMarkets: async (token: string) => (await api<{ markets: MarketInfo[] }>("/api/markets", { token })).markets,
  createMarket: async (token: string, body: CreateMarketInput) =>
    (await api<{ market: MarketInfo }>("/api/markets", { method: "POST", body, token })).market,
  /** The organiser's view: carries the rules. */
  market: async (token: string, code: string) =>
    (await api<{ market: MarketInfo }>(`${m(code)}/admin`, { token })).market,
  control: async (token: string, code: string, action: ControlAction) =>
    (await api<{ market: MarketInfo }>(`${m(code)}/control`, { method: "POST", body: { action }, token })).market,
  setHalt: (token: string, code: string, symbol: string, halt: boolean) =>
    api<{ symbol: string; halted: boolean }>(
      `${m(code)}/symbols/${encodeURIComponent(symbol)}/${halt ? "halt" : "resume"}`,
      { method: "POST", token },
    ),
  players: async (token: string, code: string) =>
    (await api<{ players: PlayerSummary[] }>(`${m(code)}/players`, { token })).players,
  /** Published and scheduled items (an organiser extension of GET /news). */
  news: async (token: string, code: string) => (await api<{ news: NewsItem[] }>(`${m(code)}/news`, { token })).news,
  publishNews: async (token: string, code: string, body: NewsInput) =>
    (await api<{ news: NewsItem }>(`${m(code)}/news`, { method: "POST", body, token })).news,
  editNews: async (token: string, code: string, id: string, body: NewsEditInput) =>
    (await api<{ news: NewsItem }>(`${m(code)}/news/${encodeURIComponent(id)}`, { method: "PATCH", body, token })).news,
  /** Settings after creation: all in the lobby, the safe rules once trading started. */
  updateMarket: async (token: string, code: string, body: MarketSettingsInput) =>
    (await api<{ market: MarketInfo }>(m(code), { method: "PATCH", body, token })).market,
  /** Checks a scenario file without creating anything; VALIDATION names each field. */
  checkScenario: async (token: string, file: unknown) =>
    (await api<{ scenario: CheckedScenario }>("/api/scenarios/check", { method: "POST", body: file, token })).scenario,
  scenarioPath: (code: string) => `${m(code)}/scenario`,
  cancelNews: (token: string, code: string, id: string) =>
    api<{ news: NewsItem }>(`${m(code)}/news/${encodeURIComponent(id)}`, { method: "DELETE", token }),
  exportPath: (code: string, kind: "fills" | "standings") => `${m(code)}/export/${kind}.csv`,
  renamePlayer: async (token: string, code: string, id: string, name: string) =>
    (
      await api<{ player: PlayerSummary }>(`${m(code)}/players/${encodeURIComponent(id)}`, {
        method: "PATCH",
        body: { name },
        token,
      })
    ).player,
  removePlayer: (token: string, code: string, id: string, block: boolean) =>
    api<{ removed: { id: string; name: string }; cancelledOrders: number; blocked: boolean }>(
      `${m(code)}/players/${encodeURIComponent(id)}${block ? "?block=1" : ""}`,
      { method: "DELETE", token },
    ),
  moderation: (token: string, code: string) => api<ModerationAnswer>(`${m(code)}/moderation`, { token }),
  setModeration: (token: string, code: string, body: Partial<ModerationSettings>) =>
    api<ModerationAnswer>(`${m(code)}/moderation`, { method: "PUT", body, token }),
  setTeams: async (token: string, code: string, teams: TeamsConfig | null) =>
    (await api<{ market: MarketInfo }>(`${m(code)}/teams`, { method: "PUT", body: { teams }, token })).market,
  setSession: async (token: string, code: string, body: SessionInput) =>
    (await api<{ market: MarketInfo }>(`${m(code)}/session`, { method: "PATCH", body, token })).market,
};

/** Routes anyone may call. */
export const publicApi = {
  results: (code: string) => api<MarketResults>(`${m(code)}/results`),
  /** Where phones join (the configured public origin, or this page's). */
  site: () => api<{ publicOrigin: string }>("/api/site"),
};

/** GET/PUT /moderation: the market's name rules and the list a new market starts with. */
export interface ModerationAnswer {
  moderation: ModerationSettings;
  defaultBannedWords: string[];
}

/** Player routes (`token` is the player's session token). */
export const playerApi = {
  placeOrder: (token: string, code: string, body: OrderInput) =>
    api<{ order: Order; portfolio: Portfolio }>(`${m(code)}/orders`, { method: "POST", body, token }),
  cancelOrder: (token: string, code: string, id: string) =>
    api<{ order: Order; portfolio: Portfolio }>(`${m(code)}/orders/${encodeURIComponent(id)}`, {
      method: "DELETE",
      token,
    }),
  openOrders: async (token: string, code: string) =>
    (await api<{ orders: Order[] }>(`${m(code)}/orders?status=open`, { token })).orders,
  fills: (token: string, code: string, before?: string | null) =>
    api<{ fills: Fill[]; next: string | null }>(
      `${m(code)}/fills?limit=20${before ? `&before=${encodeURIComponent(before)}` : ""}`,
      { token },
    ),
  portfolio: (token: string, code: string) => api<Portfolio>(`${m(code)}/portfolio`, { token }),
  result: (token: string, code: string) => api<PlayerResult>(`${m(code)}/me/result`, { token }),
  myFillsPath: (code: string) => `${m(code)}/me/fills.csv`,
};
