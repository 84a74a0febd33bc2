// What a report file in reports/ exports (default export of defineReport(...)).
import type { Database } from '../platform/db/client.js';
import type { ReportDocument } from './document.js';

/** What a report's load function reads through: the database (via the domain modules) and the as-of time. */
export type ReportContext = { database: Database; now: Date };

export type Loaded<D> = {
  data: D;
  /** The time span of the data shown (ISO dates), or null for "everything stored". */
  window: { from: string; to: string } | null;
  /** Versions of the models whose output the report shows. */
  models?: { name: string; version: string }[];
  /** Where the numbers come from, in words (tables, endpoints, jobs). */
  sources: string[];
};

export type ReportDefinition<D = unknown> = {
  /** Lower-case slug; the file is `<name>.html`, or `<name>--<parameter value>.html`. */
  name: string;
  summary: string;
  /** A parameterised report renders once per value (one per experiment, one per model version). */
  parameter?: { name: string; description: string; values: (ctx: ReportContext) => Promise<string[]> };
  title: (param: string | null) => string;
  load: (ctx: ReportContext, param: string | null) => Promise<Loaded<D>>;
  /** Writes the report into `doc`; returns a subtitle for the header. */
  render: (doc: ReportDocument, data: D, param: string | null) => { subtitle?: string } | void;
};

export function defineReport<D>(definition: ReportDefinition<D>): ReportDefinition<D> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name))
    throw new Error(`report name "${definition.name}" must be a lower-case slug`);
  return definition;
}
