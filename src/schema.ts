// Every drizzle table of every domain, for drizzle-kit (`npm run db:generate`) and typed queries.
export * from './platform/auth/tables.js';
export * from './platform/audit-tables.js';
export * from './platform/jobs/tables.js';
export * from './cdp/tables.js';
export * from './experiments/tables.js';
export * from './drift/tables.js';
export * from './guardrails/tables.js';
export * from './features/tables.js';
export * from './models/registry/tables.js';
export * from './models/propensity/tables.js';
export * from './models/mmm/tables.js';
export * from './content/tables.js';
export * from './nba/tables.js';
