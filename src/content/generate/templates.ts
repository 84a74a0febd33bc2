// Prompt templates, versioned in the repository: every stored output names the template id and version
// that produced it, so a change of wording is a new version, never a silent edit of an old one.

export type PromptTemplate = {
  id: string;
  version: number;
  system: string;
  /** The user message; each {{name}} in it is replaced by the task's variable of that name. */
  user: string;
};

export const templateKey = (t: PromptTemplate): string => `${t.id}@${t.version}`;

export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`template variable ${name} is missing`);
    return v;
  });
}

const VOICE = `You write for {{brand}}. Voice: {{voice}}
Do: {{do}}
Don't: {{dont}}
Never use these words: {{banned}}. Never name these competitors: {{competitors}}.
State only what the numbered passages say; cite the passage id in "citations" for every claim.
Answer with JSON only, no prose around it.`;

export const CREATIVE_VARIANTS: PromptTemplate = {
  id: 'creative-variants',
  version: 1,
  system: VOICE,
  user: `Write {{n}} {{kindLabel}} about: {{topic}}
Language: {{language}}.
Fields and limits (characters): {{limits}}.
Return {"{{fieldA}}": [{"text": "...", "citations": ["passage-id"]}], "{{fieldB}}": [...]} with {{n}} items in each.

Passages:
{{passages}}`,
};

export const SEO_BRIEF: PromptTemplate = {
  id: 'seo-brief',
  version: 1,
  system: VOICE,
  user: `Draft an SEO content brief for the keyword "{{keyword}}" (search intent: {{intent}}, language: {{language}}).
Return {"titles": [3 strings of at most 60 characters], "h1s": [2 strings], "metaDescriptions": [2 strings of 70 to 155 characters],
"outline": [{"heading": "H2 text", "points": [{"text": "...", "citations": ["passage-id"]}], "subsections": [{"heading": "H3 text", "points": [...]}]}]}
with 3 to 6 H2 sections. Cover these questions where the passages answer them: {{questions}}.

Passages:
{{passages}}`,
};

export const SEO_BRIEF_SECTION: PromptTemplate = {
  id: 'seo-brief-section',
  version: 1,
  system: VOICE,
  user: `Rewrite the "{{section}}" part of the SEO brief for "{{keyword}}" (language: {{language}}).
The editor asked for changes: {{reason}}
Current value: {{current}}
Return {"{{section}}": ...} in the same shape as the current value.

Passages:
{{passages}}`,
};
