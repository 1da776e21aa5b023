/**
 * The app's English text, grouped by screen. A translation is one more file of type
 * `Dictionary` (see README.md). Strings with `{{ name }}` are templates filled by `t`;
 * entries that depend on a count are small functions using the language's plural rules.
 * Data is not here: stock and market names, and server errors, are shown as received.
 */
import { plural } from "./plural";

/** "1 player" / "2 players": English has two categories, other languages have up to six. */
const count = (one: string, other: string) => (n: number, shown: string) =>
  `${shown} ${plural.select(n) === "one" ? one : other}`;

export const en = {
  app: {
    name: "MarketFlow",
    notifications: "Notifications",
    dismissNotification: "Dismiss notification",
  },
  status: { lobby: "Starting soon", open: "Open", paused: "Paused", closed: "Closed" },
  conn: {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting",
    offline: "Offline",
    stopped: "Disconnected",
    prefix: "Connection: ",
    retryIn: " · retry in {{ seconds }}s",
    retryNow: "Retry now",
  },
  notFound: { title: "Page not found", home: "Go to the start page" },
  landing: {
    headline: "Trade live with everyone in the room.",
    sub: "Join with the code on the screen, pick a nickname, and beat the market before the bell.",
    joinHeading: "Join a market",
    marketFallback: "Market {{ code }}",
    code: "Code",
    notRunning: "No market {{ code }} is running here right now. Enter a code to join one.",
    waitingPrices: "Waiting for prices…",
    livePrices: "Live prices of {{ code }}",
    organiserAsk: "Running an event?",
    organiserLink: "Organiser console",
  },
  join: {
    pageTitle: "Join",
    heading: "Join",
    aMarket: "a market",
    codeLabel: "Market code",
    alreadyPlays: "This browser already plays in {{ code }} as",
    continueAs: "Continue as {{ name }}",
    someoneElse: "Play as someone else",
    leavesBehind: "Joining with another nickname leaves",
    leavesBehindRest:
      "behind: this browser will play as the new player, and {{ name }} can no longer be played from here.",
    nickname: "Nickname",
    yourTeam: "Your team",
    autoTeam: "You will be put in a team when you join.",
    joining: "Joining…",
    asNewPlayer: "Join as a new player",
    submit: "Join the market",
    badCode: "The market code has 4 to 12 letters or digits.",
    noName: "Pick a nickname (up to 24 characters).",
    noTeam: "Pick your team.",
  },
  result: {
    heading: "Your result",
    addingUp: "Adding up…",
    of: "of {{ players }}",
    netWorth: (netWorth: string, start: string, trades: number, tradesShown: string) =>
      `Net worth ${netWorth} from ${start} · ${count("trade", "trades")(trades, tradesShown)}`,
    chart: "Your net worth over the game",
    best: "Best trade",
    worst: "Worst trade",
    noTrades: "No trades",
    bought: "Bought",
    sold: "Sold",
    at: "at",
    countedAt: "A trade's result is counted at the closing price, less its fee.",
    download: "Download my trades (CSV)",
    downloadFailed: "Could not download your trades",
  },
  rules: {
    open: "How it works",
    heading: "How this market works",
    loading: "Loading the rules…",
    gotIt: "Got it",
    minutes: "{{ n }} minutes",
    seconds: (s: number, shown: string) => count("second", "seconds")(s, shown),
    start: "You start with {{ cash }} in cash. You rank by net worth: your cash plus your shares at today's prices.",
    moves: "Prices move every {{ tick }}, with the players' orders and with the news.",
    shortAllowed: "Short selling is allowed: you may sell shares you do not own and buy them back later.",
    noShort: "No short selling: you can sell only shares you own.",
    fee: "Each trade costs a fee of {{ fee }} of its value.",
    free: "Trading is free: there are no fees.",
    limits:
      "At most {{ qty }} shares in one order, {{ open }} open limit orders at a time, and {{ rate }} orders a second.",
    band: "A limit price must be within {{ band }} of the current price.",
    breaker:
      "Circuit breaker: a stock that moves more than {{ band }} within {{ window }} ticks ({{ windowTime }}) stops trading for {{ halt }} ticks ({{ haltTime }}).",
    noLate: "No late entries: only players who joined before the bell take part.",
    late: "Latecomers may still join while the market trades.",
    maxPlayers: "At most {{ n }} players.",
  },
  stocks: { label: "Stocks", halted: "halted", haltedBadge: "Halted" },
  teams: {
    heading: "Teams",
    players: "players",
    best: "Best team",
    members: (n: number, shown: string) => count("player", "players")(n, shown),
  },
};
