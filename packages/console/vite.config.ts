import { defineConfig } from 'vite';

// Served by the api at /console (see packages/api/src/routes/consoleRouter.ts); every asset gets
// a content hash in its name, so the api may cache it for a year.
export default defineConfig({
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
