import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// The web app is served by the Worker's static assets (wrangler.toml [assets]); the
// Worker answers /api/* first. In `vite dev` the same paths are proxied to wrangler dev.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [solid()],
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
