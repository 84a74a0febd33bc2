// STREET_ADDRESS: the street line in its English ("221B Baker Street", "1659 Hoog St") and continental
// forms ("Musterstraße 12", "Via Roma 131", "Harjukuja 54"), US military and PO-box addresses, and flat
// or suite numbers; a street line takes the following lines of its address block (unit, city, postcode,
// country) into its span, the way an address is written on an envelope.
import type { TextRecognizer } from './dates.js';

/** "street|st" → "[Ss]treet|STREET|[Ss]t|ST": any case at the start, or all capitals (patterns use \p{Lu}, so no i flag). */
const anyCase = (words: string) =>
  words
    .split('|')
    .map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}|${w.toUpperCase()}`)
    .join('|');
const L = '\\p{L}'; // any letter
const UP = '\\p{Lu}';
/** English street suffixes, after the street name: "Baker Street", "Crown St". */
const STREET_EN =
  'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|trail|trl|row|crescent|close|alley|plaza|ridge|path|loop|mews|grove|gardens|walk|pass|crossroad|cliffs?|greens?|radial|junction|landing|heights|hollow|manor|meadows?|orchard|passage|pike|point|port|prairie|ranch|rest|skyway|springs?|station|stravenue|summit|throughway|track|tunnel|turnpike|underpass|union|valley|via|viaduct|vista|wells?|bypass|causeway|corner|estates?|expressway|extension|falls|ferry|field|flats?|ford|forge|fort|freeway|glen|harbor|haven|islands?|isle|key|knolls?|lakes?|light|lock|mill|motorway|overpass|oval|park|parks|plains?|ports|ramp|route|shoals?|shores?|spur|stream|trace|village|ville|wall';
/**
 * Continental suffixes, written onto the street name: German, Dutch, Scandinavian, Finnish, Icelandic,
 * Hungarian, Czech. "ring" only after a consonant other than r, so "During" and "Offering" stay words.
 */
const STREET_SUFFIX =
  'straße|strasse|str\\.|weg|gasse|allee|platz|(?<=[b-df-hj-np-qs-tv-z])ring|damm|ufer|chaussee|steig|pfad|markt|hof|straat|laan|gracht|plein|dreef|kade|singel|vej|vejen|gade|gatan|gata|gaten|vägen|väg|veien|vegen|vei|vegur|braut|stræti|stig|katu|tie|kuja|polku|kaari|rinne|tori|utca|út|tér|ulice|náměstí|třída|cesta';
/** Street words written before the name: "Via Roma", "Rue de Tanger", "ul. Narewska", "Am Markt". */
const STREET_PREFIX =
  'Via|Viale|Piazza|Piazzale|Vicolo|Corso|Largo|Strada|Rue|Avenue|Boulevard|Allée|Chemin|Impasse|Place|Quai|Rua|Avenida|Avda\\.|Av\\.|Calle|Carrer|Camino|Paseo|Plaza|Praça|Travessa|Largo|ul\\.|ulica|al\\.|Aleja|Plac|Am|An der|Auf der|Auf dem|Im|Zum|Zur|Unter den|Straße des|Platz der|Odos|Leoforos';
const NUMBER = '\\d{1,5}(?:\\s?[a-zA-Z](?![\\p{L}]))?\\.?';
const NAME_WORD = `[${UP}\\d][${L}'’.-]*`;
const SMALL_WORD = '(?:de|del|della|delle|dei|di|da|do|dos|das|du|des|la|le|les|van|von|der|den|z|u|y|e|et)';
const NAMED = `${NAME_WORD}(?:\\s+(?:${SMALL_WORD}\\s+)?${NAME_WORD}){0,3}`;

const UNIT = `(?:${anyCase('apt|apartment|suite|ste|unit|flat|room|floor|fl|wohnung|whg|etage')}|#)\\.?\\s?[\\w-]{1,6}`;
/** One more line of the same address block: a unit, "City, ST 12345", a city, a country, a postcode. */
const CONTINUATION = `(?:(?:[ \\t]*(?:,|\\n)[ \\t>?]*(?:(?:${UNIT})|\\d{4,6}(?:-\\d{4})?(?:\\s+${UP}[${L}-]+)*|${UP}[${L}'’.-]+(?:[ \\t]+[${UP}(][${L}'’.()-]+){0,3}(?:,?[ \\t]+[A-Z]{2})?(?:[ \\t]+\\d{3,6}(?:-\\d{4})?)?))(?=[ \\t]*(?:[,\\n]|$|[.?!](?:\\s|$))))`;
const BLOCK = `(?:(?:[ \\t]+|,[ \\t]*)${UNIT})*${CONTINUATION}{0,4}`;

const address =
  (score: number): TextRecognizer['decide'] =>
  (m) => {
    // A block ends at a line that is not part of it; trailing separators are not part of the address.
    const value = m[0].replace(/[\s,]+$/, '');
    return { type: 'STREET_ADDRESS', start: m.index, end: m.index + value.length, score };
  };

export const ADDRESS_RECOGNIZERS: TextRecognizer[] = [
  {
    // "221B Baker Street, Apt 4, Springfield, IL 62704": number, name, suffix.
    pattern: new RegExp(
      `(?<![\\p{L}\\d])\\d{1,6}[A-Za-z]?(?:\\s+\\d{1,5})?\\s+${NAMED}\\s+(?:${anyCase(STREET_EN)})(?![\\p{L}])\\.?${BLOCK}`,
      'gu',
    ),
    decide: address(0.6),
  },
  {
    // "Musterstraße 12", "Berliner Straße 5a", "Harjukuja 54", "Via Roma 131", with a building number
    // before it as some countries write it ("91215 Harjukuja 54").
    pattern: new RegExp(
      `(?<![\\p{L}\\d])(?:\\d{1,6}\\s+)?(?:(?:${NAMED}\\s+)?${UP}[${L}-]*(?:${STREET_SUFFIX})|(?:${NAMED}\\s+)?(?:Straße|Strasse|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee|Markt)|(?:${STREET_PREFIX})\\s+${NAMED})\\s+${NUMBER}(?![\\p{L}\\d])${BLOCK}`,
      'gu',
    ),
    decide: address(0.6),
  },
  {
    // US military mail: "PSC 3294, Box 9168\nAPO AA 61487", "USNS Lorenzen\nFPO AE 25990".
    pattern:
      /\b(?:(?:PSC|CMR|Unit)\s+\d{3,5},?\s+Box\s+\d{3,5}|USN[SV]?\s+[A-Z][a-z]+|USCGC\s+[A-Z][a-z]+)\s*\n?\s*[ADF]PO\s+A[AEP]\s+\d{5}\b/g,
    decide: address(0.7),
  },
  {
    // "P.O. Box 1234", "Postfach 10 02 03".
    pattern: /\b(?:P\.?\s?O\.?\s+Box|Post(?:al)?\s+Office\s+Box|Postfach)\s+\d[\d ]{0,10}\d\b/gi,
    decide: address(0.6),
  },
  {
    // A flat or suite number on its own: "Apt. 117", "Suite 464" (not "Suite 5" of a software product).
    pattern: /\b(?:Apt|Apartment|Suite|Ste|Wohnung)\.?\s+\d{2,5}[A-Za-z]?\b/g,
    decide: address(0.5),
  },
];
