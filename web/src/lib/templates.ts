import type { SymbolInput } from "../../../worker/shared/protocol";

export interface Template {
  id: string;
  label: string;
  symbols: SymbolInput[];
}

/** Ready-made stock lists for the organiser; every field stays editable. */
export const TEMPLATES: Template[] = [
  {
    id: "fest",
    label: "Campus fest (8 stocks)",
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
  {
    id: "classroom",
    label: "Classroom basics (4 stocks)",
    symbols: [
      { symbol: "APPL", name: "Apple Orchard Co", price: 25, sector: "Food", volatility: 0.03, liquidity: 10000 },
      { symbol: "STEEL", name: "Sturdy Steel", price: 40, sector: "Industry", volatility: 0.02, liquidity: 12000 },
      { symbol: "SOLAR", name: "Sunny Solar", price: 15, sector: "Energy", volatility: 0.06, liquidity: 10000 },
      { symbol: "TOYS", name: "Toy Kingdom", price: 30, sector: "Retail", volatility: 0.04, liquidity: 10000 },
    ],
  },
  {
    id: "wild",
    label: "Wild ride (6 volatile stocks)",
    symbols: [
      { symbol: "MOON", name: "MoonShot Aerospace", price: 9.99, sector: "Space", volatility: 0.15, liquidity: 5000 },
      { symbol: "HYPE", name: "Hype Social", price: 4.2, sector: "Media", volatility: 0.2, liquidity: 8000 },
      { symbol: "QBIT", name: "Qubit Quantum", price: 77, sector: "Tech", volatility: 0.12, liquidity: 3000 },
      { symbol: "GENE", name: "GeneSplice", price: 51, sector: "Health", volatility: 0.1, liquidity: 4000 },
      { symbol: "COIN", name: "CoinVault", price: 120, sector: "Finance", volatility: 0.14, liquidity: 4000 },
      { symbol: "DRONE", name: "Drone Deliveries", price: 23, sector: "Logistics", volatility: 0.09, liquidity: 6000 },
    ],
  },
];
