// The model registry's public face, shared by every model kind.
export { modelVersions, modelEvents } from './tables.js';
export {
  decidePromotion,
  DEFAULT_MARGIN,
  ECE_TOLERANCE,
  type Decision,
  type GateMetrics,
} from './promotion.js';
export {
  recordVersion,
  listVersions,
  getVersion,
  champion,
  history,
  promote,
  rollback,
  type ModelVersion,
  type NewVersion,
} from './store.js';
export {
  modelRefreshJob,
  type ModelKind,
  type RefreshOutcome,
  type RenderVersionReport,
} from './refresh-job.js';
