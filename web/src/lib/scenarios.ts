/**
 * The built-in scenarios the console offers: stocks, rules, starting cash, tick and a news
 * script, in the scenario file format (worker/shared/scenario.ts), so each one is exactly
 * what exporting such a market would give. test/node/web/scenarios.test.ts checks every
 * one against the server's schema and the console's inputs.
 */
import type { ScenarioFile } from "../../../worker/shared/scenario";

export interface BuiltInScenario {
  id: string;
  /** What the picker says. */
  label: string;
  file: ScenarioFile;
}

const campusFest: ScenarioFile = {
  format: "marketflow.scenario",
  version: 1,
  title: "Campus fest",
  description:
    "Eight campus-flavoured stocks for a hall of students: gentle fees, no short selling, late joiners welcome, and a few headlines to keep the room talking.",
  market: {
    name: "Campus Fest Exchange",
    startingCash: 10000,
    tickMs: 2000,
    rules: {
      allowShort: false,
      feeRate: 0.001,
      maxOrderQty: 5000,
      maxOpenOrders: 20,
      ordersPerSecond: 5,
      limitPriceBand: 0.5,
      haltBand: 0.15,
      haltWindowTicks: 30,
      haltTicks: 15,
      lateEntry: true,
    },
    symbols: [
      { symbol: "CHAI", name: "Chai Point Ventures", price: 42.5, sector: "Food", volatility: 0.04, liquidity: 20000 },
      { symbol: "BYTE", name: "Byte Robotics", price: 128, sector: "Tech", volatility: 0.06, liquidity: 8000 },
      { symbol: "GRID", name: "GridLine Energy", price: 64.2, sector: "Energy", volatility: 0.035, liquidity: 15000 },
      { symbol: "BEAT", name: "BeatBox Music", price: 18.75, sector: "Media", volatility: 0.07, liquidity: 25000 },
      { symbol: "ROVR", name: "Rover Motors", price: 212, sector: "Auto", volatility: 0.05, liquidity: 6000 },
      { symbol: "MEDX", name: "MedX Labs", price: 87.4, sector: "Health", volatility: 0.08, liquidity: 7000 },
      { symbol: "BANK", name: "Quadrangle Bank", price: 55, sector: "Finance", volatility: 0.025, liquidity: 30000 },
      { symbol: "PLAY", name: "PlayField Games", price: 33.3, sector: "Media", volatility: 0.06, liquidity: 18000 },
    ],
  },
  news: [
    {
      atMinute: 3,
      headline: "Fest headliner confirmed: BeatBox Music streams the night live",
      impacts: [{ symbol: "BEAT", move: 0.12, ticks: 5 }],
    },
    {
      atMinute: 8,
      headline: "Canteen queue reaches the library: Chai Point opens two more stalls",
      impacts: [{ symbol: "CHAI", move: 0.08, ticks: 3 }],
    },
    {
      atMinute: 12,
      headline: "Byte Robotics demo robot falls off the stage",
      body: "The crowd cheered; the investors did not.",
      impacts: [
        { symbol: "BYTE", move: -0.15, ticks: 2 },
        { symbol: "PLAY", move: 0.04 },
      ],
    },
    {
      atMinute: 18,
      headline: "Power cut in the east block: GridLine rushes in generators",
      impacts: [
        { symbol: "GRID", move: 0.1, ticks: 4 },
        { symbol: "BANK", move: -0.03 },
      ],
    },
  ],
};

const classroom: ScenarioFile = {
  format: "marketflow.scenario",
  version: 1,
  title: "Classroom basics",
  description:
    "Four plain companies and a calm market for a first lesson: no fees, no short selling, small orders, a slower tick, and three headlines that show how news moves prices.",
  market: {
    name: "Classroom Market",
    startingCash: 1000,
    tickMs: 3000,
    rules: {
      allowShort: false,
      feeRate: 0,
      maxOrderQty: 1000,
      maxOpenOrders: 10,
      ordersPerSecond: 3,
      limitPriceBand: 0.25,
      haltBand: 0.2,
      haltWindowTicks: 20,
      haltTicks: 10,
      lateEntry: true,
    },
    symbols: [
      { symbol: "APPL", name: "Apple Orchard Co", price: 25, sector: "Food", volatility: 0.03, liquidity: 10000 },
      { symbol: "STEEL", name: "Sturdy Steel", price: 40, sector: "Industry", volatility: 0.02, liquidity: 12000 },
      { symbol: "SOLAR", name: "Sunny Solar", price: 15, sector: "Energy", volatility: 0.06, liquidity: 10000 },
      { symbol: "TOYS", name: "Toy Kingdom", price: 30, sector: "Retail", volatility: 0.04, liquidity: 10000 },
    ],
  },
  news: [
    {
      atMinute: 4,
      headline: "A sunny summer is forecast: Sunny Solar expects record output",
      body: "Good news for a company usually lifts its price. Watch SOLAR.",
      impacts: [{ symbol: "SOLAR", move: 0.1, ticks: 5 }],
    },
    {
      atMinute: 9,
      headline: "Frost damages the orchards",
      body: "Bad news for one company can leave the others untouched.",
      impacts: [{ symbol: "APPL", move: -0.12, ticks: 4 }],
    },
    {
      atMinute: 14,
      headline: "Holiday season: toy sales double",
      impacts: [
        { symbol: "TOYS", move: 0.15, ticks: 6 },
        { symbol: "STEEL", move: 0.02 },
      ],
    },
  ],
};

const wildRide: ScenarioFile = {
  format: "marketflow.scenario",
  version: 1,
  title: "Wild ride",
  description:
    "Six volatile stocks on a one-second tick, short selling allowed, fees that punish churning, wide circuit breakers and no late entries: for a room that wants drama.",
  market: {
    name: "Wild Ride",
    startingCash: 10000,
    tickMs: 1000,
    rules: {
      allowShort: true,
      feeRate: 0.002,
      maxOrderQty: 20000,
      maxOpenOrders: 30,
      ordersPerSecond: 10,
      limitPriceBand: 1,
      haltBand: 0.25,
      haltWindowTicks: 20,
      haltTicks: 10,
      lateEntry: false,
    },
    symbols: [
      { symbol: "MOON", name: "MoonShot Aerospace", price: 9.99, sector: "Space", volatility: 0.15, liquidity: 5000 },
      { symbol: "HYPE", name: "Hype Social", price: 4.2, sector: "Media", volatility: 0.2, liquidity: 8000 },
      { symbol: "QBIT", name: "Qubit Quantum", price: 77, sector: "Tech", volatility: 0.12, liquidity: 3000 },
      { symbol: "GENE", name: "GeneSplice", price: 51, sector: "Health", volatility: 0.1, liquidity: 4000 },
      { symbol: "COIN", name: "CoinVault", price: 120, sector: "Finance", volatility: 0.14, liquidity: 4000 },
      { symbol: "DRONE", name: "Drone Deliveries", price: 23, sector: "Logistics", volatility: 0.09, liquidity: 6000 },
    ],
  },
  news: [
    {
      atMinute: 2,
      headline: "MoonShot rocket reaches orbit on the first try",
      impacts: [{ symbol: "MOON", move: 0.4, ticks: 3 }],
    },
    {
      atMinute: 5,
      headline: "Hype Social goes viral, then goes down",
      impacts: [{ symbol: "HYPE", move: -0.35, ticks: 2 }],
    },
    {
      atMinute: 8,
      headline: "CoinVault hacked: withdrawals frozen",
      impacts: [
        { symbol: "COIN", move: -0.45, ticks: 1 },
        { symbol: "QBIT", move: 0.1 },
      ],
    },
    {
      atMinute: 11,
      headline: "GeneSplice therapy approved years early",
      impacts: [{ symbol: "GENE", move: 0.6, ticks: 4 }],
    },
  ],
};

/** A 30-minute story in thirteen headlines: a battery breakthrough, doubt, proof and a flood. */
const batteryStory: ScenarioFile = {
  format: "marketflow.scenario",
  version: 1,
  title: "The battery affair (30-minute show)",
  description:
    "A scripted story for the projector: Voltara claims a battery breakthrough, a short-seller calls it a fraud, journalists tour the factory, a flood hits the lithium mine. Thirteen headlines over 30 minutes move six linked stocks; the script runs by itself once you open.",
  market: {
    name: "The Battery Affair",
    startingCash: 25000,
    tickMs: 2000,
    // The last headline comes at minute 29: the bell rings a minute later.
    session: { durationMs: 30 * 60_000 },
    rules: {
      allowShort: true,
      feeRate: 0.001,
      maxOrderQty: 10000,
      maxOpenOrders: 25,
      ordersPerSecond: 5,
      limitPriceBand: 0.5,
      haltBand: 0.2,
      haltWindowTicks: 30,
      haltTicks: 15,
      lateEntry: true,
    },
    symbols: [
      { symbol: "VOLT", name: "Voltara Batteries", price: 48, sector: "Energy", volatility: 0.05, liquidity: 12000 },
      { symbol: "ROAD", name: "RoadRunner EV", price: 132, sector: "Auto", volatility: 0.04, liquidity: 8000 },
      { symbol: "MINE", name: "Andes Lithium", price: 36.5, sector: "Materials", volatility: 0.05, liquidity: 15000 },
      { symbol: "GRID", name: "National Grid Co", price: 71, sector: "Utilities", volatility: 0.02, liquidity: 20000 },
      { symbol: "CHIP", name: "Silicon Foundry", price: 210, sector: "Tech", volatility: 0.04, liquidity: 6000 },
      { symbol: "OILX", name: "PetroMax Oil", price: 88, sector: "Energy", volatility: 0.03, liquidity: 18000 },
    ],
  },
  news: [
    {
      atMinute: 1,
      headline: "Voltara calls a press conference for minute 5: 'a new chapter for batteries'",
      body: "Rumours say the company has something big to show.",
      impacts: [{ symbol: "VOLT", move: 0.04, ticks: 3 }],
    },
    {
      atMinute: 3,
      headline: "Sources: RoadRunner EV in talks to buy Voltara's batteries",
      impacts: [
        { symbol: "ROAD", move: 0.03, ticks: 2 },
        { symbol: "VOLT", move: 0.03, ticks: 2 },
      ],
    },
    {
      atMinute: 5,
      headline: "Voltara unveils a solid-state battery: twice the range, a ten-minute charge",
      body: "The demo car drove 900 km on one charge. Oil stocks slide as the room applauds.",
      impacts: [
        { symbol: "VOLT", move: 0.25, ticks: 5 },
        { symbol: "ROAD", move: 0.08, ticks: 3 },
        { symbol: "MINE", move: 0.05, ticks: 3 },
        { symbol: "OILX", move: -0.06, ticks: 3 },
      ],
    },
    {
      atMinute: 8,
      headline: "PetroMax cuts its dividend as electric-car forecasts jump",
      impacts: [{ symbol: "OILX", move: -0.1, ticks: 2 }],
    },
    {
      atMinute: 10,
      headline: "Andes Lithium: demand 'unprecedented', raises prices 30%",
      body: "Good for the miner, bad for everyone who needs lithium.",
      impacts: [
        { symbol: "MINE", move: 0.15, ticks: 4 },
        { symbol: "VOLT", move: -0.04 },
        { symbol: "ROAD", move: -0.03 },
      ],
    },
    {
      atMinute: 13,
      headline: "Short-seller report: 'Voltara's demo battery was hand-built and cannot scale'",
      body: "Greywolf Research says it is short the stock. Voltara calls the report 'fiction'.",
      impacts: [
        { symbol: "VOLT", move: -0.18, ticks: 3 },
        { symbol: "ROAD", move: -0.04, ticks: 2 },
      ],
    },
    {
      atMinute: 15,
      headline: "Voltara invites journalists to tour its factory at minute 20",
      impacts: [{ symbol: "VOLT", move: 0.05, ticks: 2 }],
    },
    {
      atMinute: 18,
      headline: "Silicon Foundry wins the contract for Voltara's battery controllers",
      impacts: [
        { symbol: "CHIP", move: 0.12, ticks: 4 },
        { symbol: "VOLT", move: 0.04 },
      ],
    },
    {
      atMinute: 20,
      headline: "Factory tour: Voltara's production line is real, and running",
      body: "Reporters counted 400 cells an hour. Greywolf declines to comment.",
      impacts: [
        { symbol: "VOLT", move: 0.15, ticks: 4 },
        { symbol: "ROAD", move: 0.06, ticks: 3 },
      ],
    },
    {
      atMinute: 23,
      headline: "Government announces an electric-car subsidy and a $40bn grid upgrade",
      impacts: [
        { symbol: "GRID", move: 0.12, ticks: 5 },
        { symbol: "ROAD", move: 0.08, ticks: 3 },
        { symbol: "OILX", move: -0.05, ticks: 2 },
      ],
    },
    {
      atMinute: 25,
      headline: "Flood at Andes Lithium's main mine halts output for weeks",
      impacts: [
        { symbol: "MINE", move: -0.2, ticks: 2 },
        { symbol: "VOLT", move: -0.06, ticks: 2 },
        { symbol: "ROAD", move: -0.04, ticks: 2 },
      ],
    },
    {
      atMinute: 27,
      headline: "RoadRunner signs a ten-year supply deal with Voltara",
      impacts: [
        { symbol: "ROAD", move: 0.1, ticks: 3 },
        { symbol: "VOLT", move: 0.12, ticks: 3 },
      ],
    },
    {
      atMinute: 29,
      headline: "Before the bell: PetroMax announces a pivot to hydrogen",
      body: "One minute left. Last chance to rebalance.",
      impacts: [{ symbol: "OILX", move: 0.08, ticks: 2 }],
    },
  ],
};

export const BUILT_IN_SCENARIOS: BuiltInScenario[] = [
  { id: "fest", label: "Campus fest (8 stocks)", file: campusFest },
  { id: "classroom", label: "Classroom basics (4 stocks)", file: classroom },
  { id: "wild", label: "Wild ride (6 volatile stocks)", file: wildRide },
  { id: "battery", label: "The battery affair: a 30-minute news show (6 stocks)", file: batteryStory },
];

/** A script item's offset from the open in ms, whichever way the file gave it. */
export const offsetMsOf = (n: { afterOpenMs?: number; atMinute?: number }): number =>
  n.afterOpenMs ?? Math.round((n.atMinute ?? 0) * 60_000);
