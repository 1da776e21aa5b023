import { DurableObject } from "cloudflare:workers";
export class MarketDurableObject extends DurableObject<Env> {
  async hello() { return "hi"; }
}
