import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// In development the dashboard runs on Vite and reaches control-api (./dev-stack/run) through this proxy.
const api = process.env.CONTROL_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: api, changeOrigin: true } },
  },
  build: { chunkSizeWarningLimit: 1500 },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 20000,
  },
});
