// Recognizers for PII written in words and loose formats: phone numbers, dates, street addresses, names.
import { CONTEXT, near } from './context.js';
import type { PiiFinding } from './recognizers.js';

type Decide = (m: RegExpExecArray, text: string) => PiiFinding | null;

const MONTHS =
  'jan(?:uary|uar)?|feb(?:ruary|ruar)?|m(?:ar(?:ch)?|ärz|aerz)|apr(?:il)?|ma[iy]|june?|juni|july?|juli|aug(?:ust)?|sep(?:t(?:ember)?)?|o[ck]t(?:ober)?|nov(?:ember)?|de[cz](?:ember)?';

function phone(m: RegExpExecArray, text: string): PiiFinding | null {
  const raw = m[0];
  const digits = raw.replace(/x\d+$/, '').replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return null;
  // Dates, versions and decimal numbers are not phone numbers.
  if (/^\d{1,4}[./-]\d{1,2}[./-]\d{2,4}$/.test(raw) || /^\d+\.\d+$/.test(raw)) return null;
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(raw)) return null;
  // Blocks of four digits after an IBAN's country and check digits are the rest of an account number.
  if (/[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4})*\s?$/.test(text.slice(Math.max(0, m.index - 40), m.index))) return null;
  if (/^\d{4}( \d{4}){2,}/.test(raw)) return null; // card- and account-style grouping
  const international = /^(\+|00)[1-9]/.test(raw);
  const us = /^(\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(x\d{1,5})?$/.test(raw);
  // Three or more digit groups with one kind of separator: how most European numbers are written.
  const threeGroups = /^\(?\d{2,4}\)?([ .-])\d{2,4}(\1\d{2,4})+$/.test(raw);
  const german =
    /^0[1-9]\d{1,4}(\s?[/-]\s?|\s)\d{3,9}([ -]\d{1,5})?$/.test(raw) || /^\(0\d{2,5}\)\s?\d{3,9}$/.test(raw);
  const grouped = /[\s()./-]/.test(raw);
  let score = international ? 0.75 : us || german ? 0.65 : threeGroups ? 0.5 : grouped ? 0.4 : 0.3;
  if (near(text, m.index, m.index + raw.length, CONTEXT.phone)) score += 0.3;
  return { type: 'PHONE_NUMBER', start: m.index, end: m.index + raw.length, score: Math.min(1, score) };
}

function validDate(day: number, month: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

const dated =
  (check: (m: RegExpExecArray) => boolean): Decide =>
  (m, text) => {
    if (!check(m)) return null;
    const dob = near(text, m.index, m.index + m[0].length, CONTEXT.dob);
    return { type: 'DATE_TIME', start: m.index, end: m.index + m[0].length, score: dob ? 0.95 : 0.6 };
  };

const STREET_EN =
  'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|trail|trl|row|crescent|close|alley|plaza|ridge|run|path|loop|view|port|mews|grove|gardens|hill|park|point|walk';
const STREET_DE = 'straße|strasse|str\\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad|markt|hof';

export const TEXT_RECOGNIZERS: { pattern: RegExp; decide: Decide }[] = [
  {
    pattern: /(?<![\w+\-/.])(?:\+|00)?\(?\d[\d \t().\/-]{5,22}\d(?:x\d{1,5})?(?![\w/]|[.-]\d)/g,
    decide: phone,
  },
  {
    pattern: /\b(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})\b/g,
    decide: dated((m) => validDate(Number(m[1]), Number(m[3])) || validDate(Number(m[3]), Number(m[1]))),
  },
  {
    pattern:
      /\b(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?(?![\w:])/g,
    decide: dated((m) => validDate(Number(m[3]), Number(m[2]))),
  },
  {
    pattern: new RegExp(`\\b(?:\\d{1,2}-(?:${MONTHS})(?:-\\d{2,4})?|(?:${MONTHS})-\\d{2,4})\\b`, 'gi'),
    decide: dated(() => true),
  },
  { pattern: /(?<![\d/])(0?[1-9]|1[0-2])\/(\d{2}|\d{4})(?![\d/])/g, decide: dated(() => true) },
  {
    pattern:
      /\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b/gi,
    decide: dated(() => true),
  },
  {
    // A year on its own is a date where a preposition says so ("during 1971", "founded in 1977").
    pattern: /(?<=\b(?:in|during|since|of|until|by|from|year|seit|im|bis|von)\s)(?:19|20)\d{2}\b/gi,
    decide: dated(() => true),
  },
  {
    pattern: new RegExp(
      `\\b(\\d{1,2})(?:st|nd|rd|th|\\.)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?(?:\\s+(\\d{4}))?\\b`,
      'gi',
    ),
    decide: dated((m) => Number(m[1]) >= 1 && Number(m[1]) <= 31),
  },
  {
    pattern: new RegExp(`\\b(?:${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'),
    decide: dated((m) => Number(m[1]) >= 1 && Number(m[1]) <= 31),
  },
  {
    pattern: new RegExp(
      `\\b\\d{1,6}[A-Za-z]?\\s+(?:[A-Z0-9][\\w'.-]*\\s+){1,4}(?:${STREET_EN})\\b\\.?(?:,?\\s*(?:apt|apartment|suite|ste|unit|#)\\.?\\s*[\\w-]+)?(?:,?\\s*[A-Z][a-z]+(?:\\s[A-Z][a-z]+)?,?\\s+[A-Z]{2}\\s+\\d{5}(?:-\\d{4})?)?`,
      'g',
    ),
    decide: (m) => ({ type: 'STREET_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.6 }),
  },
  {
    pattern: new RegExp(
      `\\b[A-ZÄÖÜ][\\wäöüß-]*(?:${STREET_DE})\\s+\\d{1,4}\\s?[a-z]?\\b(?:,?\\s*\\d{5}\\s+[A-ZÄÖÜ][\\wäöüß-]+)?`,
      'g',
    ),
    decide: (m) => ({ type: 'STREET_ADDRESS', start: m.index, end: m.index + m[0].length, score: 0.6 }),
  },
  {
    // Honorifics and self-introductions name a person; the span is the name only.
    pattern:
      /\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Sir|Madam)\.?\s+|(?:my name is|I am called|call me|mein Name ist|ich hei(?:ß|ss)e|signed|regards,|grüße,|gruß,)\s+)([A-ZÄÖÜ][a-zà-ÿäöüß'-]+(?:\s+[A-ZÄÖÜ][a-zà-ÿäöüß'-]+){0,2})/g,
    decide: (m) => {
      const name = m[1]!;
      const start = m.index + m[0].length - name.length;
      return { type: 'PERSON', start, end: start + name.length, score: 0.6 };
    },
  },
];
