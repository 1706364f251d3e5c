import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The dashboard's lint, part of `npm run build`: JavaScript's and TypeScript's recommended rules, and React's hooks rules. */
export default defineConfig(
  { ignores: ['dist', 'src/api/schema.d.ts'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['e2e/**/*.mjs', 'bench/**/*.mjs', '*.js'],
    extends: [js.configs.recommended],
    // Node, and what the functions it hands the browser (`page.evaluate`) use there.
    languageOptions: { globals: { ...globals.node, window: 'readonly', document: 'readonly' } },
  },
);
