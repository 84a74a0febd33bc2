import {
  JSON_FLAG,
  UsageError,
  printJson,
  printTable,
  requireId,
  requireString,
  type Command,
} from '../command.js';
import { withServices } from '../context.js';
import { createSchedule, deleteSchedule, listSchedules } from '../../platform/jobs/schedules.js';

function parseData(raw: string | boolean | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  try {
    const v: unknown = JSON.parse(String(raw));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the usage error
  }
  throw new UsageError(`--data must be a JSON object, e.g. '{"tables":["api_keys"]}'.`);
}

export const schedulesCommand: Command = {
  name: 'schedules',
  summary: 'Manage cron schedules that queue jobs (model refreshes, reports, checks).',
  usage:
    'schedules create --name N --job-type T --cron "m h dom mon dow" [--tz Z] [--data JSON] | schedules list | schedules delete ID|NAME',
  help: 'Cron has five fields: minute hour day-of-month month day-of-week. `attune jobs types` lists job types.',
  flags: {
    name: { type: 'string', description: 'unique schedule name' },
    'job-type': { type: 'string', description: 'job type to queue' },
    cron: { type: 'string', description: 'cron expression, e.g. "0 3 * * *"' },
    tz: { type: 'string', description: 'IANA time zone (default UTC)' },
    data: { type: 'string', description: 'job data as a JSON object' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    const [action, id] = positionals;
    const actor = `cli:${process.env.USER ?? 'unknown'}`;
    switch (action) {
      case 'create': {
        const input = {
          name: requireString(values, 'name'),
          jobType: requireString(values, 'job-type'),
          cron: requireString(values, 'cron'),
          timezone: typeof values.tz === 'string' ? values.tz : 'UTC',
          data: parseData(values.data),
          enabled: true,
        };
        const s = await withServices('attune schedules create', (sv) =>
          createSchedule(sv.database.db, sv.queue, input, actor, sv.clock()),
        );
        if (values.json) printJson(s);
        else
          process.stdout.write(
            `Created schedule "${s.name}" (${s.id}): ${s.jobType} at "${s.cron}" ${s.timezone}.\nNext runs:\n${s.nextRuns.map((r) => `  ${r}`).join('\n')}\n`,
          );
        return 0;
      }
      case 'list': {
        const list = await withServices('attune schedules list', (sv) =>
          listSchedules(sv.database.db, sv.clock()),
        );
        if (values.json) printJson({ schedules: list });
        else
          printTable(
            list.map((s) => ({ ...s, nextRun: s.nextRuns[0] ?? null })),
            ['id', 'name', 'jobType', 'cron', 'timezone', 'enabled', 'nextRun', 'lastRunAt'],
          );
        return 0;
      }
      case 'delete': {
        if (!id) throw new UsageError('schedules delete needs a schedule id or name.');
        const idOrName = requireId(id, 'The schedule id or name', 100);
        await withServices('attune schedules delete', (sv) =>
          deleteSchedule(sv.database.db, idOrName, actor),
        );
        if (values.json) printJson({ deleted: id });
        else process.stdout.write(`Deleted schedule ${id}.\n`);
        return 0;
      }
      default:
        throw new UsageError('schedules needs an action: create, list or delete.');
    }
  },
};

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'Queue a job now, show a job, or list job types.',
  usage: 'jobs run TYPE [--data JSON] | jobs show ID | jobs types',
  flags: { data: { type: 'string', description: 'job data as a JSON object' }, ...JSON_FLAG },
  async run({ values, positionals }) {
    const [action, arg] = positionals;
    switch (action) {
      case 'run': {
        if (!arg) throw new UsageError('jobs run needs a job type (see `attune jobs types`).');
        const id = await withServices('attune jobs run', (sv) =>
          sv.queue.enqueue(arg, parseData(values.data), {
            requestedBy: `cli:${process.env.USER ?? 'unknown'}`,
          }),
        );
        if (values.json) printJson({ id });
        else
          process.stdout.write(
            id
              ? `Queued ${arg} job ${id}. A worker (attune serve or attune worker) runs it; see \`attune jobs show ${id}\`.\n`
              : 'An identical job is already queued.\n',
          );
        return id ? 0 : 1;
      }
      case 'show': {
        if (!arg) throw new UsageError('jobs show needs a job id.');
        const jobId = requireId(arg, 'The job id', 64);
        const job = await withServices('attune jobs show', (sv) => sv.queue.get(jobId));
        if (values.json) printJson(job);
        else
          process.stdout.write(
            `${job.type} ${job.id}: ${job.state}, ${Math.round(job.progress * 100)}%${job.progressMessage ? ` (${job.progressMessage})` : ''}, attempt ${job.attempts} of ${job.retryLimit + 1}\n${job.error ? `error: ${job.error}\n` : job.result ? `result: ${JSON.stringify(job.result)}\n` : ''}`,
          );
        return 0;
      }
      case 'types': {
        const types = await withServices('attune jobs types', (sv) =>
          Promise.resolve(
            sv.queue.registry.list().map((d) => ({ type: d.type, description: d.description })),
          ),
        );
        if (values.json) printJson({ types });
        else printTable(types, ['type', 'description']);
        return 0;
      }
      default:
        throw new UsageError('jobs needs an action: run, show or types.');
    }
  },
};
