// Recognizers for PII written in words and loose formats: phone numbers here; dates, street addresses and
// names in their own files.
import { ADDRESS_RECOGNIZERS, STREET_NAME_RECOGNIZERS } from './addresses.js';
import { CONTEXT, near } from './context.js';
import { DATE_RECOGNIZERS, type TextRecognizer } from './dates.js';
import { NAME_RECOGNIZERS } from './names.js';
import type { PiiFinding } from './recognizers.js';

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

export const TEXT_RECOGNIZERS: TextRecognizer[] = [
  {
    digits: true,
    pattern: /(?<![\w+\-/.])(?:\+|00)?\(?\d[\d \t().\/-]{5,22}\d(?:x\d{1,5})?(?![\w/]|[.-]\d)/g,
    decide: phone,
  },
  ...DATE_RECOGNIZERS,
  ...ADDRESS_RECOGNIZERS,
  ...STREET_NAME_RECOGNIZERS,
  ...NAME_RECOGNIZERS,
];
