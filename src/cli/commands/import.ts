import fs from 'node:fs';
import readline from 'node:readline';
import { JSON_FLAG, UsageError, printJson, requireId, requireString, type Command } from '../command.js';
import { withDatabase } from '../context.js';
import { principalById } from '../../platform/auth/store.js';
import { importEvents, type ImportReport } from '../../cdp/import.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'Import NDJSON event files through ingest, as a source key.',
  usage: 'import --source KEY_ID FILE... [--json]   (FILE "-" reads standard input)',
  help: [
    'Each line is one Segment-spec event (track, identify, page, screen, group, alias), as Segment and',
    'RudderStack exports write them. Events go through the same checks, consent rules, identity graph and',
    'messageId idempotency as POST /v1/batch, so importing a file twice stores each event once. The',
    "source's settings apply: for a historical import, let it trust each event's receivedAt",
    '(PUT /v1/sources/KEY_ID) so events keep their arrival times. Lines that are not JSON are',
    'reported with their line numbers and skipped; valid neighbours are kept.',
  ].join('\n'),
  flags: {
    source: { type: 'string', description: 'id of a source key (see `attune keys list`)' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    const keyId = requireId(requireString(values, 'source'), '--source');
    if (!positionals.length)
      throw new UsageError('import needs at least one NDJSON file (or - for standard input).');
    for (const f of positionals)
      if (f !== '-' && !fs.existsSync(f)) throw new UsageError(`No such file: ${f}`);
    const tty = process.stderr.isTTY && !values.json;
    const reports = await withDatabase('attune import', async (database) => {
      const key = await principalById(database.db, keyId);
      if (!key) throw new UsageError(`No valid key with id "${keyId}" (see \`attune keys list\`).`);
      if (key.role !== 'source')
        throw new UsageError(`Key "${key.name}" has role ${key.role}; events are imported as a source key.`);
      const out: { file: string; report: ImportReport }[] = [];
      for (const file of positionals) {
        const input = file === '-' ? process.stdin : fs.createReadStream(file, 'utf8');
        const lines = readline.createInterface({ input, crlfDelay: Infinity });
        const report = await importEvents(
          database,
          keyId,
          lines,
          () => new Date(),
          tty
            ? (n) => process.stderr.write(`\r\x1b[K${file}: ${n.toLocaleString('en-US')} lines`)
            : undefined,
        );
        if (tty) process.stderr.write('\r\x1b[K');
        out.push({ file, report });
      }
      return out;
    });
    if (values.json) {
      printJson({ files: reports.map(({ file, report }) => ({ file, ...report })) });
      return 0;
    }
    for (const { file, report: r } of reports) {
      const o = r.outcomes;
      process.stdout.write(
        `${file}: ${r.lines.toLocaleString('en-US')} lines: ${o.accepted.toLocaleString('en-US')} stored, ${o.duplicate} duplicates, ${o['consent-dropped']} counted without consent, ${o.quarantined} quarantined by the tracking plan, ${o.suppressed} suppressed, ${o.rejected} refused, ${o['malformed-json']} not JSON.\n`,
      );
      for (const p of r.problems)
        process.stdout.write(
          `  line ${p.line}: ${p.status}${p.code ? ` (${p.code})` : ''}${p.reason ? `: ${p.reason}` : ''}\n`,
        );
      if (r.problemsOmitted)
        process.stdout.write(
          `  … and ${r.problemsOmitted} more (--json lists the first ${r.problems.length} as well).\n`,
        );
    }
    return 0;
  },
};
