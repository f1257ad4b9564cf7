// Part of `npm run build`: tsc compiles only TypeScript, so the dashboard page's static files
// (engine/ui/assets/) are copied next to the compiled server in dist/engine/ui/assets/.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'engine', 'ui', 'assets');
const to = join(root, 'dist', 'engine', 'ui', 'assets');
mkdirSync(to, { recursive: true });
cpSync(from, to, { recursive: true });
