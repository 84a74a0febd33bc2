// The words of a text that can be parts of a name, each read against the name lists (`name-lists.json`: US SSA baby
// names, the US Census Bureau's 1990 name files, Berlin's baby names; built by scripts/guardrails/build_names.py,
// sources in fixtures/guardrails/README.md): capitalised words, initials and the particles between them, with the
// list they are in and whether they are ordinary words too. Lookups are Set checks on a word's lower-case form.
import lists from './name-lists.json' with { type: 'json' };
import { LOWER, UPPER } from './letters.js';
import { NOT_NAME, ORG_WORD } from './names.js';

const FIRST = new Set(lists.first.split(' '));
const SURNAME = new Set(lists.surnames.split(' '));
/** List entries that are ordinary words, places or brands too: a name only beside a second cue. */
const WORD = new Set(lists.words.split(' '));
/** Ordinary words and places in no name list: after a given name they make a title or a product ("Ember Chai"). */
const NOT_SURNAME = new Set([...lists.vocabulary.split(' '), ...lists.places.split(' ')]);
/** Honorifics end a run of names (names.ts reads the name after them). */
const HONORIFIC = /^(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Herr|Frau|Sir|Madam|Dame|Lord|Lady|Fr|Rev|St|Mt|Jr|Sr)$/;
/** Particles inside a name: "van der", "de la", "bin" (German articles alone are not: "Sean hat das Feld"). */
const PARTICLE =
  /^(?:(?:van|von)(?: de[rn]?)?|de(?: la| los)?|da|di|du|del|della|la|le|ten|ter|zu|bin|ibn|al|dos)$/;

/**
 * A capitalised word ("Anna", "O'Brien", "McDonald", "Smith-Jones") or a capital letter (an initial: "F.", "J").
 * No lookbehind: the character before is checked in code, which keeps the scan over every text cheap.
 */
const TOKEN = new RegExp(
  `(?:[OD]['’])?[${UPPER}](?:[${LOWER}]+(?:[${UPPER}][${LOWER}]+)?(?:-[${UPPER}][${LOWER}]+)?)?`,
  'g',
);
const WORD_CHAR = new RegExp(`[${UPPER}${LOWER}\\d'’-]`);
export const LOWER_CHAR = new RegExp(`[${LOWER}]`);
/** A particle between two capitalised words: "Ludwig van Beethoven", "Joaquin de la Pazuela". */
const PARTICLE_GAP =
  /^[ \t]+((?:van|von)(?: de[rn]?)?|de(?: la| los)?|da|di|du|del|della|la|le|ten|ter|zu|bin|ibn|al|dos)[ \t]+$/;

export type Kind = 'first' | 'surname' | 'both' | 'other' | 'initial' | 'particle' | 'stop';
export type Token = { start: number; end: number; kind: Kind; word: boolean; key: string };

/** The lists' form: lower case, no accents, no apostrophes. */
function keyOf(w: string): string {
  const lower = w.toLowerCase();
  if (/^[a-z-]+$/.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(/[\u0300-\u036f'’]/g, '')
    .replace(/ß/g, 'ss');
}

type Class = Pick<Token, 'kind' | 'word' | 'key'>;
/** Words seen before and what they are (most texts repeat the same capitalised words); emptied when it grows. */
const CLASSES = new Map<string, Class>();
const CLASSES_MAX = 50_000;

export function classify(word: string): Class {
  let c = CLASSES.get(word);
  if (!c) {
    if (CLASSES.size >= CLASSES_MAX) CLASSES.clear();
    c = classifyWord(word);
    CLASSES.set(word, c);
  }
  return c;
}

function classifyWord(word: string): Class {
  const key = keyOf(word);
  if (word.endsWith('.') || word.length === 1) return { kind: 'initial', word: false, key };
  if (PARTICLE.test(word)) return { kind: 'particle', word: false, key };
  if (HONORIFIC.test(word) || NOT_NAME.test(word) || ORG_WORD.test(word))
    return { kind: 'stop', word: false, key };
  const parts = key.includes('-') ? key.split('-') : [key];
  const first = parts.every((p) => FIRST.has(p));
  const surname =
    SURNAME.has(key) || (parts.length > 1 && parts.every((p) => SURNAME.has(p) || FIRST.has(p)));
  const kind: Kind = first && surname ? 'both' : first ? 'first' : surname ? 'surname' : 'other';
  // Camel case that no list holds is a brand ("YouTube", "PayPal"), not an unknown name.
  if (kind === 'other' && /[A-Z]/.test(word.slice(1).replace(/^(?:c|ac)(?=[A-Z])/, '')))
    return { kind: 'stop', word: false, key };
  return { kind, word: kind === 'other' ? NOT_SURNAME.has(key) : WORD.has(key), key };
}

export function tokens(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const start = m.index;
    let end = start + m[0].length;
    const next = text[end];
    if (start > 0 && WORD_CHAR.test(text[start - 1]!)) continue; // inside a word: "iPhone", "McX", "x-Ray"
    if (next && /[\d]/.test(next)) continue;
    if (m[0].length === 1) {
      // An initial: "F." or a lone capital between a lower-case word and a name ("Szabina J Gelencsér").
      if (next === '.') end++;
      else if (!(
        /[B-HJ-Z]/.test(m[0]) &&
        / /.test(text[start - 1] ?? '') &&
        LOWER_CHAR.test(text[start - 2] ?? '') &&
        /^[ \t]+[A-ZÀ-Þ]/.test(text.slice(end, end + 3))
      ))
        continue;
    } else if (
      (next === "'" || next === '’') &&
      LOWER_CHAR.test(text[end + 1] ?? '') &&
      !/^s(?![a-z])/.test(text.slice(end + 1, end + 3))
    )
      continue; // "Don't", "Sydney's" stays
    else if (next && LOWER_CHAR.test(next)) continue;
    const prev = out[out.length - 1];
    const particle = prev && start - prev.end > 3 && PARTICLE_GAP.exec(text.slice(prev.end, start));
    if (particle) {
      const at = text.indexOf(particle[1]!, prev.end);
      out.push({
        start: at,
        end: at + particle[1]!.length,
        kind: 'particle',
        word: false,
        key: particle[1]!,
      });
    }
    const c = classify(end === start + m[0].length ? m[0] : text.slice(start, end));
    out.push({ start, end, kind: c.kind, word: c.word, key: c.key });
  }
  return out;
}

/** Which name list holds a word ("Anna" → first, "Smith" → surname), for figures on how much a set's names the lists cover. */
export function nameListOf(word: string): 'first' | 'surname' | 'both' | null {
  const key = keyOf(word);
  const first = FIRST.has(key);
  const surname = SURNAME.has(key);
  return first && surname ? 'both' : first ? 'first' : surname ? 'surname' : null;
}
