// `attune guard scan`: prompt injection and PII over a JSON Lines file, offline (no database needed).
import {
  JSON_FLAG,
  UsageError,
  printJson,
  printTable,
  readInputText,
  requireString,
  type Command,
} from '../command.js';
import {
  createGuardrails,
  judgeResults,
  parseScanLines,
  scanItem,
  type ScanResult,
} from '../../guardrails/index.js';
import { scanJudgeFor } from '../../scan-judge.js';
import { cliConfig } from '../context.js';

/** The judge's part of the table's injection cell: empty when it did not run. */
const judgeNote = (i: ScanResult['injection']): string => {
  if (!i.judge) return '';
  if ('error' in i.judge) return ' (judge failed)';
  if (i.disputed) return ' (judge disputes)';
  if (i.source === 'judge') return ' (by judge)';
  return ' (judge agrees)';
};

/** Below this many lines a progress line is noise. */
const PROGRESS_EVERY = 1000;

export const guardCommand: Command = {
  name: 'guard',
  summary: 'Scan texts for prompt injection and PII (brand guardrails).',
  usage: 'guard scan --input FILE.jsonl [--json]',
  help: 'Each line of FILE ("-" reads stdin) is {"id", "text", "role"?} with role user (default), document or output.\n--json prints {"results": [{id, injection: {flagged, score}, pii: [{type, start, end, score}]}]} in input\norder; start/end are UTF-16 offsets (JavaScript string indices). Malformed lines go to stderr with their\nline number and the exit code is 1; every other line is still scanned. With OPENAI_API_KEY set, an LLM judge adds judge/disputed/source to\nflagged and near-threshold items. See README "Guardrails".',
  flags: { input: { type: 'string', description: 'JSON Lines file, or - for stdin' }, ...JSON_FLAG },
  async run({ values, positionals }) {
    const [action] = positionals;
    if (action !== 'scan') throw new UsageError('Usage: attune guard scan --input FILE.jsonl [--json]');
    const { items, problems } = parseScanLines(readInputText(requireString(values, 'input')));
    const guard = createGuardrails();
    const scanned = items.map(({ item }, i) => {
      const { result, decision } = scanItem(guard, item);
      if (items.length >= PROGRESS_EVERY && (i + 1) % PROGRESS_EVERY === 0 && process.stderr.isTTY)
        process.stderr.write(`\rscanned ${i + 1}/${items.length}`);
      return { item, result, decision };
    });
    if (items.length >= PROGRESS_EVERY && process.stderr.isTTY) process.stderr.write('\n');
    // With OPENAI_API_KEY set, the LLM judge gives its opinion on flagged and near-threshold texts.
    const results = await judgeResults(guard, scanned, scanJudgeFor(cliConfig().openai));
    for (const p of problems) process.stderr.write(`line ${p.line}: ${p.detail}\n`);
    if (values.json) printJson({ results });
    else {
      printTable(
        results.map((r) => ({
          id: r.id,
          injection: `${r.injection.flagged ? 'FLAGGED ' : ''}${r.injection.score.toFixed(3)}${judgeNote(r.injection)}`,
          pii: r.pii.map((p) => `${p.type}@${p.start}-${p.end}`).join(' ') || '-',
        })),
        ['id', 'injection', 'pii'],
      );
      process.stdout.write(
        `\n${results.length} scanned, ${results.filter((r) => r.injection.flagged).length} flagged for injection, ${results.filter((r) => r.pii.length).length} with PII${problems.length ? `, ${problems.length} malformed line(s) skipped` : ''}\n`,
      );
    }
    return problems.length ? 1 : 0;
  },
};
