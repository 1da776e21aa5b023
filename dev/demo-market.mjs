/** The demo market `npm start` creates: ten stocks across five sectors. */
export const DEMO_MARKET = {
  code: "DEMO",
  name: "MarketFlow Demo",
  startingCash: 100000,
  tickMs: 2000,
  symbols: [
    { symbol: "NOVA", name: "Nova Robotics", sector: "Technology", price: 182.4, volatility: 0.06, liquidity: 8000 },
    { symbol: "BYTE", name: "Bytewise Cloud", sector: "Technology", price: 64.1, volatility: 0.05, liquidity: 12000 },
    { symbol: "SOLR", name: "Solara Power", sector: "Energy", price: 38.75, volatility: 0.07, liquidity: 9000 },
    { symbol: "PETR", name: "Petrolux", sector: "Energy", price: 91.2, volatility: 0.04, liquidity: 15000 },
    { symbol: "MEDI", name: "Medica Labs", sector: "Healthcare", price: 245.0, volatility: 0.05, liquidity: 6000 },
    { symbol: "GENE", name: "Genetrix", sector: "Healthcare", price: 17.3, volatility: 0.09, liquidity: 7000 },
    { symbol: "BANK", name: "Harbour Bank", sector: "Finance", price: 52.6, volatility: 0.03, liquidity: 20000 },
    { symbol: "COIN", name: "Mint Exchange", sector: "Finance", price: 8.9, volatility: 0.1, liquidity: 10000 },
    { symbol: "FOOD", name: "Greenfork Foods", sector: "Consumer", price: 29.95, volatility: 0.02, liquidity: 18000 },
    { symbol: "RIDE", name: "Ridewell Motors", sector: "Consumer", price: 121.5, volatility: 0.05, liquidity: 9000 },
  ],
};
