// The pipeline's vocabulary: a check looks at text in a stage and returns findings; its on-fail policy
// turns findings into an action; every decision becomes an audit record (spans and rules, never the text).

export type Stage = 'input' | 'chunk' | 'output';
/** Severity order: a stage's action is the most severe of its checks' actions. */
export const ACTIONS = ['pass', 'fix', 'flag', 're-ask', 'block'] as const;
export type Action = (typeof ACTIONS)[number];
export type OnFail = Exclude<Action, 'pass'>;

export type Finding = {
  check: string;
  rule: string;
  /** UTF-16 offsets into the text the check saw: the stage's input after earlier checks' fixes. */
  start: number;
  end: number;
  /** 0..1; 1 for deterministic rules. */
  score: number;
  /** What to tell an editor or the generator on a re-ask; never personal data. */
  message: string;
  /** For fix: the text that replaces the span (a mask, a preferred spelling); absent = not fixable. */
  replacement?: string;
  /** On an injection finding the LLM judge was asked about: its opinion, with its reason. */
  judge?: JudgeNote & { reason?: string };
};

/**
 * The LLM judge's part in an injection decision: it agreed with the classifier (flagged or not), disputed
 * a flag (the text stays flagged), rescued a text the classifier scored just below its threshold (the
 * judge alone flags it), or failed (the classifier's verdict stands).
 */
export type JudgeNote = {
  verdict: 'agreed' | 'disputed' | 'rescued' | 'error';
  /** The judge's model, as configured (OPENAI_MODEL). */
  model: string | null;
  confidence?: number;
  error?: string;
};

export type AuditRecord = {
  at: string;
  stage: Stage;
  check: string;
  action: Action;
  rules: string[];
  spans: [number, number][];
  /** The highest finding score; for an injection check the judge looked at, the classifier's score. */
  score: number | null;
  attempt: number;
  /** Present only when the LLM judge was asked about this text (never its reason: no text in the audit). */
  judge?: JudgeNote;
};

export type Decision = {
  stage: Stage;
  action: Action;
  /** The text after fixes (masks, spellings, disclaimers); equal to the input when nothing was fixed. */
  text: string;
  findings: Finding[];
  audit: AuditRecord[];
  /** For re-ask: what the generator should change, one line per finding. */
  feedback: string[];
};

export type CheckContext = {
  /** Chunks the output may cite; claims must be entailed by one of them. */
  citedChunks?: { id: string; text: string }[];
  systemPrompt?: string;
  maxChars?: number;
  minChars?: number;
  /** When set, the output must be JSON that this function accepts (returns problems, empty when valid). */
  validateSchema?: (value: unknown) => string[];
  /** Access labels the reader may see; a chunk labelled otherwise is blocked. */
  allowedAccess?: string[];
  chunkAccess?: string;
};

export type Check = {
  name: string;
  onFail: OnFail;
  run: (text: string, ctx: CheckContext) => Finding[];
  /** For fix: text appended when the finding asks for it (a missing disclaimer). */
  append?: (findings: Finding[]) => string;
};
