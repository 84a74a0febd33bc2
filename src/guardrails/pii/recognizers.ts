// One recognizer per Presidio entity type: a candidate pattern, then check digits and context decide.
import {
  deTaxIdValid,
  ibanValid,
  IBAN_LENGTHS,
  ipv4Valid,
  ipv6Valid,
  luhnValid,
  ssnValid,
} from './checksums.js';
import { CONTEXT, near } from './context.js';

export type PiiType =
  | 'EMAIL_ADDRESS'
  | 'PHONE_NUMBER'
  | 'CREDIT_CARD'
  | 'IBAN_CODE'
  | 'IP_ADDRESS'
  | 'URL'
  | 'DOMAIN_NAME'
  | 'US_SSN'
  | 'UK_NINO'
  | 'DE_TAX_ID'
  | 'STREET_ADDRESS'
  | 'DATE_TIME'
  | 'PERSON';

export type PiiFinding = { type: PiiType; start: number; end: number; score: number };

type Recognizer = {
  type: PiiType;
  pattern: RegExp;
  /** Returns the finding for a candidate match, or null when checks or context reject it. */
  decide: (m: RegExpExecArray, text: string) => PiiFinding | null;
  /** The pattern cannot match a text without a digit, so such texts skip it. */
  digits?: true;
  /** The pattern cannot match a text that holds none of these strings (detect.ts tests them first). */
  needs?: readonly string[];
  /** A cheap pattern that every text the pattern matches also matches (detect.ts tests it first). */
  pre?: RegExp;
};

/** Presidio's score for its very weak SSN patterns; below the reporting threshold (detect.ts). */
const WEAK_SSN = 0.05;

const digitsOf = (s: string) => s.replace(/\D/g, '');
const at = (type: PiiType, m: RegExpExecArray, score: number, group = 0): PiiFinding => {
  const value = m[group] ?? m[0];
  const start = m.index + (group ? m[0].indexOf(value) : 0);
  return { type, start, end: start + value.length, score };
};

/** Common TLDs for bare domain names; a bare "word.word" without one of these is not reported. */
const TLDS =
  'com|org|net|edu|gov|mil|int|info|biz|io|co|ai|app|dev|shop|store|online|site|tech|me|tv|eu|de|at|ch|uk|fr|es|it|nl|be|pl|se|no|dk|fi|ie|pt|cz|hu|ro|ru|jp|cn|in|br|au|ca|us|mx|il|tr|gr|sk|si|hr|lt|lv|ee|lu|is|nz|za|kr|tw|hk|sg|vlaanderen|webcam|example';

export const RECOGNIZERS: Recognizer[] = [
  {
    type: 'EMAIL_ADDRESS',
    pattern: /\b[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}\b/g,
    decide: (m) => at('EMAIL_ADDRESS', m, 1),
    needs: ['@'],
  },
  {
    type: 'URL',
    pattern: /\b(?:https?:\/\/|www\.)[^\s<>"'`)\]]+[^\s<>"'`)\].,;:!?]/gi,
    pre: /http|www\./i,
    decide: (m) =>
      /^https?:\/\/[^./]+$/i.test(m[0]) || /^www\.[^.]+$/i.test(m[0]) ? null : at('URL', m, 0.6),
  },
  {
    type: 'DOMAIN_NAME',
    pattern: new RegExp(
      `(?<![@\\w./-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS}))(?![\\w@-]|\\.\\w)`,
      'gi',
    ),
    decide: (m) => at('DOMAIN_NAME', m, 0.5, 1),
    pre: /[a-z0-9]\.[a-z]/i,
  },
  {
    type: 'IBAN_CODE',
    digits: true,
    pattern: /\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30})\b/g,
    decide: (m) => {
      // Take exactly the country's length of characters; what follows belongs to the next word.
      const len = IBAN_LENGTHS[m[1]!.slice(0, 2)];
      if (!len) return null;
      let taken = 0;
      let end = 0;
      for (; end < m[1]!.length && taken < len; end++) if (m[1]![end] !== ' ') taken++;
      const value = m[1]!.slice(0, end);
      const next = m[1]![end];
      if (next !== undefined && next !== ' ') return null;
      return ibanValid(value.replace(/ /g, ''))
        ? { type: 'IBAN_CODE', start: m.index, end: m.index + end, score: 1 }
        : null;
    },
  },
  {
    type: 'CREDIT_CARD',
    digits: true,
    pattern: /(?<![\d-])(?:\d[ -]?){11,18}\d(?![\d-])/g,
    decide: (m, text) => {
      const d = digitsOf(m[0]);
      if (d.length < 12 || d.length > 19 || !luhnValid(d)) return null;
      // Visa, Mastercard, Amex, Diners, JCB (incl. 2131/1800), Discover, UnionPay, Maestro; UATP (airline
      // cards: 15 digits beginning with 1).
      const uatp = d.length === 15 && d.startsWith('1');
      if (!uatp && !/^(4|5[0-8]|2[2-7]|3[47]|3[068]|35|2131|1800|6011|64[4-9]|65|62|6304|67)/.test(d))
        return null;
      if (d.length < 13 && !/^(5[06-8]|6304|67)/.test(d)) return null; // only Maestro has 12 digits
      const labelled = near(text, m.index, m.index + m[0].length, CONTEXT.card);
      // A Luhn-valid number labelled as an order/invoice/reference number is that, not a card.
      if (!labelled && near(text, m.index, m.index + m[0].length, CONTEXT.notCard)) return null;
      return at('CREDIT_CARD', m, labelled ? 1 : 0.8);
    },
  },
  {
    type: 'IP_ADDRESS',
    pattern:
      /(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}|(?=[0-9a-fA-F:]*:[0-9a-fA-F:]*:)[0-9a-fA-F:]{2,39}(?:\.\d{1,3}){0,3}(?:%\w+)?)(?:\/\d{1,3}(?!\d))?(?![\w:]|\.\d)/g,
    // v4: a digit, a dot and a digit; v6: two colons with only hex digits between them.
    pre: /\d\.\d|:[0-9a-fA-F]*:/,
    decide: (m) => {
      // CIDR notation (an address with its prefix length) is reported whole: `10.0.0.0/8`, `::1/128`;
      // with an impossible prefix length only the address is.
      const [address, prefix] = m[0].split('/') as [string, string | undefined];
      const v = address.replace(/%\w+$/, '');
      const v6 = v.includes(':');
      if (!(v6 ? ipv6Valid(v) : ipv4Valid(v))) return null;
      const fits = prefix !== undefined && Number(prefix) <= (v6 ? 128 : 32);
      // Bare `::` is too often C++ or a Ruby constant path; with a prefix length (`::/0`) it is a route.
      if (v === '::' && !fits) return null;
      return {
        type: 'IP_ADDRESS',
        start: m.index,
        end: m.index + (fits ? m[0].length : address.length),
        score: 0.9,
      };
    },
  },
  {
    type: 'US_SSN',
    digits: true,
    pattern: /(?<![\d-])(\d{3})([- .]?)(\d{2})\2(\d{4})(?![\d-])/g,
    decide: (m, text) => {
      const d = m[1]! + m[3]! + m[4]!;
      if (!ssnValid(d)) return null;
      const labelled = near(text, m.index, m.index + m[0].length, CONTEXT.ssn);
      // Nine bare digits without a label are a candidate only, as in Presidio ("SSN4 (very weak)", 0.05).
      if (!m[2] && !labelled) return at('US_SSN', m, WEAK_SSN);
      return at('US_SSN', m, labelled ? 1 : 0.6);
    },
  },
  {
    // Presidio's other very weak forms, 3-6 and 5-4 digits ("078-051121", "07805-1121": the second is
    // also a ZIP+4 code): candidates at 0.05 unless an SSN label stands next to them (then 0.7, above the
    // 0.65 of the German phone number the same digits make).
    type: 'US_SSN',
    digits: true,
    pattern: /(?<![\d-])(?:\d{3}-\d{6}|\d{5}-\d{4})(?![\d-])/g,
    decide: (m, text) => {
      if (!ssnValid(digitsOf(m[0]))) return null;
      return at('US_SSN', m, near(text, m.index, m.index + m[0].length, CONTEXT.ssn) ? 0.7 : WEAK_SSN);
    },
  },
  {
    type: 'UK_NINO',
    digits: true,
    pattern: /\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi,
    decide: (m) => at('UK_NINO', m, 0.85),
  },
  {
    type: 'DE_TAX_ID',
    digits: true,
    pattern: /(?<![\d/-])[1-9]\d(?: ?\d){9}(?![\d/-])/g,
    decide: (m, text) => {
      const d = digitsOf(m[0]);
      if (!deTaxIdValid(d)) return null;
      return at('DE_TAX_ID', m, near(text, m.index, m.index + m[0].length, CONTEXT.taxId) ? 1 : 0.7);
    },
  },
];
