// DATE_TIME in the forms people write, English and German: numeric and ISO dates (with a time), month
// names with a day and/or a year, weekdays, years where the words around them say so, times of day,
// ranges ("5–7 March 2024"), and relative forms ("yesterday", "vor 3 Tagen") as low-score candidates.
import { CONTEXT, near } from './context.js';
import type { PiiFinding } from './recognizers.js';

type Decide = (m: RegExpExecArray, text: string) => PiiFinding | null;
export type TextRecognizer = {
  pattern: RegExp;
  decide: Decide;
  /** The pattern cannot match a text without a digit, so such texts skip it. */
  digits?: true;
  /** The highest score its findings can have: detection at a higher threshold skips it. */
  maxScore?: number;
  /** The pattern cannot match a text that holds none of these strings (a much cheaper test than the pattern). */
  needs?: readonly string[];
  /** A cheap pattern (no flags but "i") that every text the pattern matches also matches. */
  pre?: RegExp;
};
/** Marks recognizers whose patterns all need a digit. */
export const needDigits = (list: TextRecognizer[]): TextRecognizer[] =>
  list.map((r) => ({ ...r, digits: true }));

const MONTHS =
  'jan(?:uary|uar)?|j[äa]nner|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz|aerz)|apr(?:il)?|ma[iy]|june?|juni|july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?';
/** Full month names, capitalised: a month on its own is a date only when written as a name. */
const MONTH_NAMES =
  'January|February|March|April|May|June|July|August|September|October|November|December|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember';
const WEEKDAYS =
  'monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag';
const ORD = '(?:st|nd|rd|th|\\.)?';
/** A time of day after a date: "2000-04-16 11:34:35", "12/1/1981 at 9:30 pm", "14.03.2024, 14:30 Uhr". */
const TIME_AFTER =
  '(?:,?[ \\t]+(?:at[ \\t]+|um[ \\t]+)?\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s?(?:[ap]\\.?m\\.?|uhr))?)?';
/** Month words that are also ordinary words ("may", "march"): lower case, they need a day and a year. */
const AMBIGUOUS_MONTH = /^(may|mar|march|jan|sept?|oct|dec|mai)$/;

function validDate(day: number, month: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** The score of times of day and relative dates alone: candidates, below the reporting threshold. */
const CANDIDATE = 0.4;

const finding = (start: number, end: number, score: number): PiiFinding => ({
  type: 'DATE_TIME',
  start,
  end,
  score,
});

/** A date is scored 0.6, and 0.95 next to "born", "DOB", "geboren". */
const dated =
  (check: (m: RegExpExecArray) => boolean): Decide =>
  (m, text) => {
    if (!check(m)) return null;
    // A pattern whose context words are not part of the date names the date "v" (it ends the match).
    const v = m.groups?.['v'];
    const start = v === undefined ? m.index : m.index + m[0].length - v.length;
    const end = m.index + m[0].length;
    return finding(start, end, near(text, start, end, CONTEXT.dob) ? 0.95 : 0.6);
  };

const dayOk = (s: string | undefined) => s === undefined || (Number(s) >= 1 && Number(s) <= 31);
const monthWord = (m: RegExpExecArray) => (m.groups?.['month'] ?? '').replace(/\.$/, '');

export const DATE_RECOGNIZERS: TextRecognizer[] = [
  ...needDigits([
    {
      pattern: new RegExp(`\\b(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4}|\\d{2})\\b${TIME_AFTER}`, 'gi'),
      decide: dated((m) => validDate(Number(m[1]), Number(m[3])) || validDate(Number(m[3]), Number(m[1]))),
    },
    {
      pattern:
        /\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w:])/g,
      decide: dated((m) => validDate(Number(m[3]), Number(m[2]))),
    },
    {
      pattern: new RegExp(`\\b(?:\\d{1,2}-(?:${MONTHS})(?:-\\d{2,4})?|(?:${MONTHS})-\\d{2,4})\\b`, 'gi'),
      decide: dated(() => true),
    },
    { pattern: /(?<![\d/])(0?[1-9]|1[0-2])\/(\d{2}|\d{4})(?![\d/])/g, decide: dated(() => true) },
    {
      // "5th of March", "5–7 March 2024", "5. März 2024".
      pattern: new RegExp(
        `\\b(?<day>\\d{1,2})${ORD}(?:\\s?[-–]\\s?(?<day2>\\d{1,2})${ORD})?\\s+(?:of\\s+)?(?<month>(?:${MONTHS})\\.?)(?:,?\\s+(?<year>\\d{4}))?\\b${TIME_AFTER}`,
        'gi',
      ),
      decide: dated((m) => dayOk(m.groups!['day']) && dayOk(m.groups!['day2'])),
    },
    {
      // "March 5", "March 5th, 2024", "March 5–7, 2024", "March 2024", "May of 1999".
      pattern: new RegExp(
        `\\b(?<month>(?:${MONTHS})\\.?)\\s+(?:(?<day>\\d{1,2})(?:st|nd|rd|th)?(?:\\s?[-–]\\s?(?<day2>\\d{1,2})(?:st|nd|rd|th)?)?(?!\\d|[.:,]\\d)(?:,?\\s+(?<year>\\d{4}))?|(?:of\\s+)?(?<year2>(?:19|20)\\d{2}))\\b${TIME_AFTER}`,
        'gi',
      ),
      decide: dated((m) => {
        const g = m.groups!;
        if (!dayOk(g['day']) || !dayOk(g['day2'])) return false;
        const word = monthWord(m);
        return !(AMBIGUOUS_MONTH.test(word) && !g['year'] && !g['year2']);
      }),
    },
    {
      // A year on its own is a date where a preposition says so ("during 1971", "founded in 1977"), and in
      // ranges ("2019–2021") and decades ("the 1990s", "die 80er").
      pattern:
        /\b(?:(?:in|during|since|of|until|by|from|year|seit|im|bis|von|Jahr|circa|ca\.)\s(?<v>(?:19|20)\d{2})\b|(?:19|20)\d{2}\s?[–-]\s?(?:19|20)?\d{2}\b(?![-–]\d)|(?:19|20)\d0(?:s|er)\b)/gi,
      decide: dated(() => true),
    },
    {
      // "a 2017 Polish film", "the 1998 season": a year after an article, before a name or a dated thing.
      pattern:
        /\b(?:[Aa]n?|[Tt]he|[Dd](?:er|ie|as|en|em))\s(?<v>(?:19|20)\d{2})(?=\s+(?:[A-Z][a-z]|(?:film|movie|album|season|edition|election|census|model|survey|report|study|campaign|tournament|olympics|world cup)\b))/g,
      decide: dated(() => true),
    },
    {
      // Times of day on their own: "9:30", "14:30 Uhr", "9.30 pm", "9 am", "14 Uhr". A time names no one
      // (Presidio's date recognizer test has "Time 12:34:56" as no finding), so alone it is a candidate (0.4);
      // after a date it is part of the date's span.
      pattern:
        /(?<![\w:.,/-])(?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s?(?:[ap]\.?m\.?|uhr)(?!\w))?|(?:[01]?\d|2[0-3])\.[0-5]\d\s?(?:[ap]\.?m\.?|uhr)(?!\w)|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?(?!\w)|(?:[01]?\d|2[0-3])\s?uhr\b)(?![\w:]|[.,]\d)/gi,
      decide: (m) => finding(m.index, m.index + m[0].length, CANDIDATE),
      maxScore: CANDIDATE,
    },
  ]),
  {
    // A weekday; before a date it joins the date's span ("Monday, 5 March 2024", in detect.ts).
    pattern: new RegExp(`\\b(?:${WEEKDAYS})s?\\b`, 'gi'),
    decide: dated(() => true),
  },
  {
    // A month named on its own after a preposition: "in March", "seit Januar", "until next May". The month
    // comes first and the preposition is looked for behind it: scanning for month names is faster.
    pattern: new RegExp(
      `(?<v>${MONTH_NAMES})\\b(?<=\\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Tt]ill|[Bb]y|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id|[Nn]ext|[Ll]ast|[Tt]his|[Ii]m|[Ss]eit|[Bb]is|[Aa]b|Anfang|Ende|Mitte)\\s(?:${MONTH_NAMES}))`,
      'g',
    ),
    decide: dated(() => true),
  },
  {
    // Relative dates (Presidio's model labels them DATE_TIME). They identify no one on their own and are
    // everywhere in marketing copy, so they are candidates (0.4), below the reporting threshold.
    pattern:
      /(?<![\wäöüß])(?:yesterday|today|tonight|tomorrow|(?:last|next|this)\s+(?:week(?:end)?|month|year|quarter|spring|summer|autumn|fall|winter)|\d{1,3}\s+(?:days?|weeks?|months?|years?)\s+ago|(?:vor)?gestern|heute|(?:über)?morgen|(?:letzte|nächste|diese)[nrms]?\s+(?:Woche|Monat|Jahr|Wochenende)|vor\s+\d{1,3}\s+(?:Tagen|Wochen|Monaten|Jahren))(?![\wäöüß])/gi,
    decide: (m) => finding(m.index, m.index + m[0].length, CANDIDATE),
    maxScore: CANDIDATE,
  },
];
