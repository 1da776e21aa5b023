import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";

/**
 * The API reference at /api/docs (worker/routes/reference.ts) runs Scalar's single-file
 * bundle; it is served from this build's assets rather than a CDN, so the page works
 * offline and under a same-origin content security policy.
 */
function scalarBundle(): Plugin {
  const source = new URL("../node_modules/@scalar/api-reference/dist/browser/standalone.js", import.meta.url);
  return {
    name: "marketflow-scalar-bundle",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "vendor/scalar-api-reference.js", source: readFileSync(source) });
    },
  };
}

// The web app is served by the Worker's static assets (wrangler.toml [assets]); the
// Worker answers /api/* first. In `vite dev` the same paths are proxied to wrangler dev.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [solid(), scalarBundle()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Small chunks keep the player's first load light; admin, screen and charts are
    // separate chunks loaded on demand.
    chunkSizeWarningLimit: 200,
    // Rolldown prints which plugins took the build's time on every build; on a busy machine
    // that reads like a warning to someone running `npm start` for the first time.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: { "/api": { target: "http://127.0.0.1:8787", ws: true, changeOrigin: true } },
  },
});
