// PERSON from name lists: runs of capitalised words (names-tokens.ts) read with the words around them. A listed given
// name before a listed surname is a name ("Maria Schneider", 0.85); so is a given name before a capitalised word in
// no list ("Anna Szöllösy", 0.6), a given name, initial and surname ("John F. Kennedy"), initials and a surname ("J.
// Smith"), a particle surname ("Ludwig van Beethoven"), a title and a name ("President Lincoln"), a lone given name
// ("Catherine is …", 0.5), a lone surname before a verb only a person takes ("Carder was …"), later mentions of a
// found name's words, and a listed given name in lower case after "my name is". Names that are also ordinary words,
// places or brands ("May", "Will", "Paris", "Jordan", "Rose") count only beside a second cue; a lone surname without
// one stays a candidate below the reporting threshold (0.3).
import { BRANDS, ORG_WORD } from './names.js';
import { classify, LOWER_CHAR, tokens, type Token } from './names-tokens.js';
import type { PiiFinding } from './recognizers.js';

/** Titles before a name that only people take: "President Lincoln", "Coach Taylor", "Professor Xu". */
const PERSON_TITLES = new Set(
  'president senator governor mayor chancellor professor coach judge detective inspector sergeant lieutenant colonel admiral commander coroner engineer'.split(
    ' ',
  ),
);
/** Titles before a given name: "Queen Elizabeth", "Pope Francis", "Uncle Bob" ("Princess Royal" is a title). */
const GIVEN_TITLES = new Set(
  'king queen prince princess pope bishop cardinal father sister brother saint captain uncle aunt'.split(' '),
);
/** Ranks and offices that follow a title rather than a name: "Governor General", "Major General". */
const TITLE_WORDS = new Set([
  'general',
  'major',
  'officer',
  'agent',
  'minister',
  'director',
  'chief',
  'deputy',
  'vice',
]);
/** Words after a name that make it a place, a team, an event or a company: "Denny Way", "Stanley Cup". */
const NOT_AFTER_NAME = new Set(
  'street avenue road boulevard drive court place plaza way terrace parkway circle highway square trail crescent alley mews gardens heights hollow manor meadows point valley village ville union parks playfield estates junction landing lodge creek reservoir bridge tower building center centre stadium arena cup cups trophy award awards prize medal memorial movement motto railroad railway airport station orchestra band choir ensemble quartet trio theatre theater festival investments partners capital consulting design agency industries enterprises ventures associates motors electric airlines entertainment productions publishing foundation institute university college school academy hospital clinic church cathedral chapel mosque temple county township island islands bay harbor harbour beach lake river mountain mountains canyon forest national international global'.split(
    ' ',
  ),
);
/** Words before a name that make it a place: "New Jersey", "St. Louis", "West Virginia". */
const PLACE_BEFORE =
  /(?:\b(?:New|North|South|East|West|Upper|Lower|Saint|San|Santa|Los|Las|Fort|Port|Mount|Lake|Cape)[ \t]+|\b(?:St|Mt|Ft)\.?[ \t]+)$/;
/** Words before a lone given name that make it a place or a title: "in Brittany", "the town of Hiram". */
const PLACE_PREPOSITION =
  /\b(?:in|from|at|near|to|of|between|on|into|across|for|around|outside|inside|via|and)[ \t]+$/i;
/** Words after a lone name that only a person takes: "Scott is", "Logan said", "Roy!" ("Harrison at 5:15" is a place). */
const PERSON_CUE =
  /^(?:['’]s)?(?:[ \t]+(?:is|was|has|had|said|says|told|asked|replied|wrote|lives|lived|spent|went|thinks|knows|loves|likes|wants|will|would|can|could)\b|[ \t]*[!?]|,[ \t]+(?:can|could|would|will|please)\b)/;
/** What comes before the first word of a sentence, a line or a table cell. */
const OPENING = /(?:^|[.!?:;|"“(*#\n])[ \t*]*$/;
const isName = (t: Token) => t.kind === 'first' || t.kind === 'surname' || t.kind === 'both';
const given = (t: Token) => t.kind === 'first' || t.kind === 'both';
const family = (t: Token) => t.kind === 'surname' || t.kind === 'both';
/** Only spaces or tabs between two tokens: one run of words. */
const joined = (text: string, a: Token, b: Token) =>
  (a.kind === 'initial' && a.end === b.start) || /^[ \t]{1,2}$/.test(text.slice(a.end, b.start));

/**
 * The score of a name made of these tokens (null: not a name): strong when a given name and a surname are both
 * listed, weaker when one of them is an ordinary word or in no list.
 */
function scoreName(seg: Token[], place: boolean, cue: boolean, opening: boolean): number | null {
  const names = seg.filter((t) => t.kind !== 'initial' && t.kind !== 'particle');
  const head = names[0];
  if (!head) return null;
  const last = names[names.length - 1]!;
  const words = names.filter((t) => t.word).length;
  const others = names.filter((t) => t.kind === 'other').length;
  const inner = seg.length > names.length; // an initial or particle inside: "John F. Kennedy", "van Gogh"
  if (names.length === 1) {
    // "J. R. Tolkien": initials and a listed surname.
    if (seg[0]!.kind === 'initial' && family(head) && !head.word) return 0.6;
    // A lone given name that is no ordinary word ("Catherine is …"); a lone given name that is a surname too
    // ("Scott", "Harrison") or a lone surname ("Carder") needs a verb or an address after it ("Carder was …").
    if (head.kind === 'both' && !head.word && !place) return cue ? 0.5 : 0.4;
    if (head.kind === 'surname' && !head.word && !place && cue) return 0.5;
    return head.kind === 'first' && !head.word && !place
      ? 0.5
      : given(head) && !head.word
        ? 0.4
        : family(head) && !head.word
          ? 0.3
          : null;
  }
  if (!given(head) && seg[0]!.kind !== 'initial') return null;
  if (others) {
    // A given name and one word in no list, last: "Anna Szöllösy", "John F. Wachter".
    if (others > 1 || last.kind !== 'other' || last.word || names.length > 2 || head.word) return null;
    return inner ? 0.7 : 0.6;
  }
  if (words === names.length) return 0.35;
  // An ordinary word opening a sentence or a cell is that word ("Nur Felder und Spalten"), not "Will Smith".
  if (words) return opening && head.word ? 0.45 : 0.7;
  return family(last) || inner ? 0.85 : 0.6;
}

/** What may follow a name in its run: nothing, or a word that is no part of a longer proper name. */
const endsName = (next: Token | undefined) =>
  !next ||
  !(
    next.kind === 'other' ||
    NOT_AFTER_NAME.has(next.key) ||
    ORG_WORD.test(next.key[0]!.toUpperCase() + next.key.slice(1))
  );

/**
 * The parts of a run of capitalised words that can be a name: from a given name or an initial, up to four
 * words, not followed by a capitalised word in no list or by a place or company word ("Bobby Morris Playfield").
 */
function segments(run: Token[]): { seg: Token[]; before: Token | undefined }[] {
  const out: { seg: Token[]; before: Token | undefined }[] = [];
  let k = 0;
  while (k < run.length) {
    const t = run[k]!;
    if (!(given(t) || t.kind === 'initial') || PERSON_TITLES.has(t.key) || GIVEN_TITLES.has(t.key)) {
      // A lone surname is a candidate below the threshold.
      if (
        family(t) &&
        !t.word &&
        !PERSON_TITLES.has(t.key) &&
        !GIVEN_TITLES.has(t.key) &&
        endsName(run[k + 1])
      )
        out.push({ seg: [t], before: run[k - 1] });
      k++;
      continue;
    }
    let e = k + 1;
    while (e < run.length && e - k < 5 && run[e]!.kind !== 'stop') e++;
    // Trailing particles or initials are not part of a name.
    while (e > k + 1 && (run[e - 1]!.kind === 'particle' || run[e - 1]!.kind === 'initial')) e--;
    if (endsName(run[e])) out.push({ seg: run.slice(k, e), before: run[k - 1] });
    k = e;
  }
  return out;
}

/** PERSON findings from the name lists, with their scores (detection keeps those ≥ 0.5). */
export function listedPersons(text: string): PiiFinding[] {
  const ts = tokens(text);
  const found: PiiFinding[] = [];
  const known = new Set<string>();
  for (let i = 0; i < ts.length;) {
    // A run: capitalised words one space apart.
    let j = i + 1;
    while (j < ts.length && joined(text, ts[j - 1]!, ts[j]!)) j++;
    const run = ts.slice(i, j);
    i = j;
    for (let r = 0; r + 1 < run.length; r++) {
      // "President Lincoln", "Colonel William L. Smith", "Queen Elizabeth": a title and a name.
      const t = run[r]!;
      const n = run[r + 1]!;
      if (TITLE_WORDS.has(n.key) || PERSON_TITLES.has(n.key)) continue;
      const ok = PERSON_TITLES.has(t.key)
        ? isName(n) || n.kind === 'other'
        : GIVEN_TITLES.has(t.key) && given(n) && !n.word;
      if (!ok) continue;
      let e = r + 2;
      while (e < run.length && e - r < 5 && (isName(run[e]!) || run[e]!.kind === 'initial')) e++;
      const after = run[e];
      if (after && (after.kind === 'other' || ORG_WORD.test(text.slice(after.start, after.end)))) continue;
      found.push({ type: 'PERSON', start: n.start, end: run[e - 1]!.end, score: 0.65 });
    }
    for (const { seg, before } of segments(run)) {
      const first = seg[0]!;
      const last = seg[seg.length - 1]!;
      if (BRANDS.has(`${first.key} ${last.key}`) || NOT_AFTER_NAME.has(last.key)) continue;
      if (PLACE_BEFORE.test(text.slice(Math.max(0, first.start - 8), first.start))) continue;
      // A lone name after another capitalised word is the end of a longer name ("Berkshire Hathaway", "Cold Brew
      // Coarse Pack"), unless that word is an ordinary word opening the sentence ("Later Carder sued").
      if (
        seg.length === 1 &&
        before &&
        (before.kind === 'other' || before.kind === 'stop') &&
        !(before.word && OPENING.test(text.slice(Math.max(0, before.start - 4), before.start)))
      )
        continue;
      // A number after it makes it a street ("Joaquin Suarez 2906"); a capitalised word before an ambiguous name
      // makes it part of a longer proper name ("National Van Lines").
      if (/^[ \t]+\d/.test(text.slice(last.end, last.end + 3))) continue;
      if (before && before.kind === 'other' && seg.some((w) => w.word)) continue;
      const place = PLACE_PREPOSITION.test(text.slice(Math.max(0, first.start - 12), first.start));
      const after = text.slice(last.end, last.end + 12);
      // "Anh. senden", "Deb.-Nr.", "Min. Menge": an abbreviation, not a name.
      if (seg.length === 1 && /^\.(?:[ \t]*[a-zß-ÿ]|-)/.test(after)) continue;
      if (seg.length === 1 && last.end - first.start <= 3 && after.startsWith('.')) continue;
      const opening = OPENING.test(text.slice(Math.max(0, first.start - 4), first.start));
      const score = scoreName(seg, place, PERSON_CUE.test(after), opening);
      if (score === null) continue;
      found.push({ type: 'PERSON', start: first.start, end: last.end, score });
      // A name's words mentioned again later are the same person: "Angela Carder … Carder's husband".
      if (score >= 0.6 && seg.length > 1 && before?.kind !== 'stop')
        for (const w of [first, last])
          if (!w.word && w.kind !== 'initial' && w.key.length > 2) known.add(w.key);
    }
  }
  if (known.size) {
    // Only as a word on its own: not inside a longer capitalised phrase ("Mariana … Northern Mariana Islands").
    const covered = (t: Token) => found.some((f) => f.score >= 0.5 && f.start <= t.start && t.end <= f.end);
    ts.forEach((t, k) => {
      const prev = ts[k - 1];
      const opener =
        prev?.kind === 'other' && OPENING.test(text.slice(Math.max(0, prev.start - 4), prev.start));
      const alone =
        !(prev && joined(text, prev, t) && !opener) && !(ts[k + 1] && joined(text, t, ts[k + 1]!));
      if (alone && known.has(t.key) && t.kind !== 'stop' && !covered(t))
        found.push({ type: 'PERSON', start: t.start, end: t.end, score: 0.6 });
    });
  }
  lowerCaseNames(text, found);
  return found;
}

/** Words that introduce a name in typed chat, where names are often in lower case: "my name is lena andersson". */
const LOWER_CUE =
  /(\b(?:my name is|my name's|i am|i'm|call me|this is|name:|follow up with|ask for|speak to|talk to)[ \t]+)([a-z][a-z'’-]+)(?:([ \t]+)([a-z][a-z'’-]+))?/gi;

const capitalised = (w: string) => w[0]!.toUpperCase() + w.slice(1);

/** A listed given name in lower case after such words, with the surname after it when there is one. */
function lowerCaseNames(text: string, found: PiiFinding[]): void {
  LOWER_CUE.lastIndex = 0;
  for (let m = LOWER_CUE.exec(text); m; m = LOWER_CUE.exec(text)) {
    if (!LOWER_CHAR.test(m[2]![0]!)) continue; // capitalised names are read above
    const given = classify(capitalised(m[2]!));
    if (!(given.kind === 'first' || given.kind === 'both') || given.word) continue;
    const start = m.index + m[1]!.length;
    let end = start + m[2]!.length;
    const surname = m[4] && classify(capitalised(m[4]));
    if (surname && !surname.word && surname.kind !== 'first' && surname.kind !== 'stop')
      end += m[3]!.length + m[4]!.length;
    found.push({ type: 'PERSON', start, end, score: 0.6 });
  }
}
