// The embedder contract shared by the local and the OpenAI-compatible embedders.
export type Embedder = {
  name: string;
  version: string;
  dimension: number;
  /** "local" or "openai", shown with every result. */
  label: 'local' | 'openai';
  embed: (texts: string[]) => Promise<number[][]>;
};
