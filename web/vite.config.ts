import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The UI is served by the strongroom binary under a CSP of script-src 'self' and style-src
// 'self': everything must be a file of its own (no inline script or style, no data: URLs).
export default defineConfig({
  plugins: [svelte()],
  // `npm run dev`: the page from Vite, the API from a local `strongroom demo` (self-signed).
  server: {
    proxy: { "/api": { target: "https://127.0.0.1:8443", secure: false } },
  },
  build: {
    assetsDir: "assets",
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2022",
    reportCompressedSize: false,
  },
});
