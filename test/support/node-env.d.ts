// For the Node-side type-check (tsconfig.node.json): the few Worker modules a Node suite
// imports (the rate limiter) name the Worker's `Env`, which `wrangler types` generates for
// workerd only. Here any setting may be read.
interface Env {
  [setting: string]: any;
}
