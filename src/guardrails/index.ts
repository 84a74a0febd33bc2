// Brand guardrails: PII, prompt injection and output checks as one audited pipeline.
export {
  createGuardrails,
  type ChunkToCheck,
  type Guardrails,
  type GuardrailsOptions,
} from './guardrails.js';
export { runStage, guardGeneration, applyFixes, type Generate } from './pipeline.js';
export { detectPii, maskPii, type PiiFinding, type PiiType } from './pii/detect.js';
export { StyleGuideSchema, type StyleGuide } from './style-guide.js';
export {
  parseScanLines,
  scanItem,
  judgeResults,
  combineVerdicts,
  JUDGE_BAND,
  type ScanItem,
  type ScanResult,
  type ScanProblem,
  type JudgeOpinion,
} from './scan.js';
export { createInjectionJudge, type InjectionJudge, type JudgeLlm } from './injection/llm-judge.js';
export {
  recordDecisions,
  dailyDecisions,
  judgeOpinions,
  type DailyDecisions,
  type JudgeOpinions,
} from './store.js';
export { registerGuardrailRoutes } from './routes.js';
export { MODEL_INFO } from './injection/default-model.js';
export { injectionFigures, piiFigures } from './evaluate.js';
export type * from './types.js';
