// Brand content: corpus, chunking, embeddings, hybrid retrieval.
export { DEFAULT_BRAND, DocumentInputSchema, prepareDocument, type DocumentInput } from './document.js';
export { addDocuments, type AddItemResult } from './corpus.js';
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
