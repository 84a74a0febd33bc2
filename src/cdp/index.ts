// The CDP domain's public face for other domains.
export { ingestBatch, type IngestSummary, type Outcome } from './ingest.js';
export { eraseUser, CDP_ERASURE_STEPS, type ErasureStep, type ErasureTx } from './erasure.js';
export { consentOf, hasConsent } from './consent-store.js';
export { getSourceSettings, putSourceSettings } from './settings-store.js';
export { CATEGORIES, type Category, type ConsentCategories } from './consent.js';
