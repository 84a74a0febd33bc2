import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new numbered migration into sql/ from src/schema.ts.
// Migrations are applied by `attune migrate` and at start-up (src/platform/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './sql',
});
