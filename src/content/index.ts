// Brand content: corpus, chunking, embeddings, hybrid retrieval.
export { DEFAULT_BRAND, DocumentInputSchema, prepareDocument, type DocumentInput } from './document.js';
export { BULK_CHUNKS, addDocuments, type AddItemResult } from './corpus.js';
export { addDocument, deleteDocument, type AddResult } from './store.js';
export {
  searchContent,
  MAX_LIMIT,
  type SearchAnswer,
  type SearchResult,
  type SearchOptions,
} from './search.js';
export { createEmbedder, createOpenAiEmbedder, type Embedder } from './embedder.js';
export { createLocalEmbedder, LOCAL_EMBEDDER } from './embed-local.js';
export { listDocumentFiles, readDocumentFile } from './files.js';
export { retrievalPath, type RetrievalPath } from './vector-index.js';
export { registerContentRoutes } from './routes.js';
export { CONTENT_ERASURE_STEPS } from './erasure.js';
export { registerReviewRoutes } from './review/routes.js';
export { createGenerator, OFFLINE_NOTE, type Generator } from './generate/generator.js';
export { defaultBrandKit, type BrandKit } from './generate/brand-kit.js';
export type { GenerationDeps } from './generate/deps.js';
export { BRIEF_SECTIONS, type SeoBrief, type BriefSection } from './seo/brief-schema.js';
export {
  BRIEF_STATUSES,
  briefHistory,
  getBrief,
  listBriefs,
  type BriefStatus,
  type StoredBrief,
  type BriefEvent,
} from './review/brief-store.js';
export { createBrief, editBrief, requestChanges, decideBrief, BriefEditSchema } from './review/briefs.js';
export { BriefRequestSchema } from './generate/brief.js';
export { reembedCorpus, contentReembedJob, type ReembedResult } from './reembed.js';
