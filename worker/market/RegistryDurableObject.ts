import { DurableObject } from "cloudflare:workers";
export class RegistryDurableObject extends DurableObject<Env> {}
