// STREET_ADDRESS: the street line in its English ("221B Baker Street", "1659 Hoog St") and continental
// forms ("Musterstraße 12", "Via Roma 131", "Harjukuja 54", "33 rue de Provence"), a street line on a line
// of its own that an address block follows, street words after words that announce an address ("lives
// at", "Anschrift:"), street corners, US military and PO-box addresses, flat or suite numbers. A street
// line takes the following lines of its block (unit, city, postcode, country) into its span, the way an
// address is written on an envelope; detect.ts joins pieces that stand next to each other.
import type { TextRecognizer } from './dates.js';

/** "street|st" → "[Ss]treet|STREET|[Ss]t|ST": patterns use \p{Lu}, which the i flag would also let match lower case. */
const anyCase = (words: string) =>
  words
    .split('|')
    .map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}|${w.toUpperCase()}`)
    .join('|');
const L = '\\p{L}';
const UP = '\\p{Lu}';
const END = '(?![\\p{L}\\d])';
/** English street suffixes, after the street name: "Baker Street", "Crown St". */
const STREET_EN =
  'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|trail|trl|row|crescent|close|alley|plaza|ridge|path|loop|mews|grove|gardens|walk|pass|crossroad|cliffs?|greens?|radial|junction|landing|heights|hollow|manor|meadows?|orchard|passage|pike|point|port|prairie|ranch|rapids|rest|skyway|squares?|stravenue|summit|throughway|track|tunnel|turnpike|underpass|valley|via|viaduct|vista|wells?|bypass|causeway|corner|coves?|estates?|expressway|extension|falls|ferry|field|flats?|ford|forges?|fort|freeway|glen|harbor|haven|hills?|islands?|isle|knolls?|lakes?|lodge|mill|motorway|overpass|oval|park|parks|plains?|ports|ramp|route|shoals?|shores?|spur|stream|trace|village|ville|wall';
/**
 * Continental suffixes, written onto the street name: German, Dutch, Scandinavian, Finnish, Icelandic,
 * Hungarian, Czech. "ring" only after a consonant other than r, so "During" and "Offering" stay words.
 */
const STREET_SUFFIX =
  'straße|strasse|str\\.|weg|gasse|allee|platz|(?<=[b-df-hj-np-qs-tv-z])ring|damm|ufer|chaussee|steig|pfad|markt|hof|straat|laan|gracht|plein|dreef|kade|singel|vej|vejen|gade|gatan|gata|gaten|vägen|väg|veien|vegen|vei|vegur|braut|stræti|stig|katu|tie|kuja|polku|kaari|rinne|tori|utca|ulice|náměstí|třída|cesta';
/** The same words standing apart after the name: "Berliner Straße 5", "Koepenicker Str. 74", "Kálmán Imre u. 12.". */
const STREET_WORD =
  'Straße|Strasse|Str\\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee|Markt|u\\.|út|útja|utca|tér|tee|tie|gade|vej|vei|gata|gatan';
/** Street words written before the name: "Via Roma", "Rue de Tanger", "ul. Narewska", "Am Markt". */
const STREET_PREFIX =
  'Via|Viale|Piazza|Piazzale|Vicolo|Corso|Largo|Strada|Rue|Avenue|Av\\.|Boulevard|Allée|Chemin|Impasse|Place|Quai|Rua|Avenida|Avda\\.|Calle|C/|Carrer|Camino|Paseo|Plaza|Praça|Travessa|ul\\.|ulica|al\\.|Aleja|Plac|Am|An der|Auf der|Auf dem|Im|Zum|Zur|Unter den|Λεωφόρος|Οδός|Πλατεία';
/** French numbers come first, with the street word in lower case: "33 rue de Provence". */
const STREET_PREFIX_LOWER = 'rue|avenue|boulevard|allée|chemin|impasse|quai';
const NUMBER = `\\d{1,5}(?:\\s?[a-zA-Z]${END})?\\.?`;
const SMALL_WORD = `(?:de|del|della|delle|dei|di|da|do|dos|das|du|des|la|le|les|van|von|der|den|z|u|y|e|et)${END}`;
/** A word of a street name: "Baker", "Rákóczi", "d'Ouchy", "5th". */
const NAME_WORD = `(?:(?:[dlDL]['’])?${UP}[${L}'’.-]*|\\d{1,3}(?:st|nd|rd|th)${END})`;
const NAMED = `${NAME_WORD}(?:[ \\t]+(?:${SMALL_WORD}[ \\t]+)?${NAME_WORD}){0,3}`;
const BUILDING = '(?:\\d{1,6},?\\s+){0,2}';

const UNIT = `(?:${anyCase('apt|apartment|suite|ste|unit|flat|room|floor|fl|wohnung|whg|etage')}|#)\\.?\\s?[\\w-]{1,6}`;
/** One more line or comma part of the same block: a unit, "City, ST 12345", a city, a country, a postcode. */
const PLACE_WORD = `[${UP}(][${L}'’.()-]*`;
/** A city, region or country line: "Springfield, IL", "Torroella de Montgrí", "Cyprus (Greek)". */
const PLACE_TEXT = `${PLACE_WORD}(?:[ \\t]+(?:${SMALL_WORD}[ \\t]+)?${PLACE_WORD}){0,3}(?:,?[ \\t]+[A-Z]{2})?`;
/** A line with the postcode, which ends the block: "10115 Berlin", "Springfield, IL 62704", "Finland 80896". */
const PLACE_CODE = `(?:\\d{4,6}(?:-\\d{4})?(?:[ \\t]+${UP}[${L}-]+)*|${PLACE_TEXT}[ \\t]+\\d{3,6}(?:-\\d{4})?)`;
const LINE_END = '(?=[ \\t]*(?:[,\\n]|$|[.?!](?:\\s|$)))';
const NEXT = '[ \\t]*(?:,|\\n[ \\t>?]*,?)[ \\t>?]*';
/**
 * The rest of a block after its street line: units, cities and countries after a comma or a line break,
 * and at most one postcode line, which ends it (after a blank line only that line may follow).
 */
const INLINE_UNITS = `(?:(?:[ \\t]+|,[ \\t]*)${UNIT})*`;
const REST = `(?:${NEXT}(?:${UNIT}|${PLACE_TEXT})${LINE_END}){0,3}(?:(?:${NEXT}|[ \\t]*\\n[ \\t>?]*\\n[ \\t>?]*)${PLACE_CODE}${LINE_END})?`;
const BLOCK = `${INLINE_UNITS}${REST}`;
/** A street line on its own ("20789 Allika 46", "Vana-Viru 25 Apt. 971"): a block only with more lines. */
const STREET_LINE = `(?:\\d{1,6}[ \\t]+)?${UP}[${L}'’.-]+(?:[ \\t]+(?:${SMALL_WORD}[ \\t]+)?[${UP}\\d][${L}'’.-]*){0,3}[ \\t]+\\d{1,5}[a-zA-Z]?\\.?`;
const STREET_LINE_START = new RegExp(`^[ \\t>?]*${STREET_LINE}`, 'u');
/** Words that say an address follows. */
const S = '[ \\t]+';
const ADDRESS_CONTEXT = `(?:[Aa]ddress(?:es)?(?:${S}(?:is|was|with|to))?[ \\t]*[:?]?(?:[ \\t]*(?:[Ii]t is|[Ii]t's))?|(?:here|there) they are:|lives?${S}(?:at|on)|lived${S}(?:at|on)|(?:is|are)${S}(?:located|situated|based)${S}(?:at|on)|located${S}at|(?:office|shop|store|restaurant|hotel|venue|house|home|flat|apartment)${S}is${S}at|meet${S}(?:me|you|us)${S}at|drops?${S}you${S}off${S}at|stop${S}at|taxi${S}to|send${S}(?:it|them|this|a${S}new${S}one)${S}to|sent${S}to|deliver(?:ed)?${S}to|ship(?:ped)?${S}to|return(?:ed)?${S}(?:it${S})?to|mail(?:ed)?${S}to|moved${S}to|arrived${S}at|(?:Liefer|Rechnungs)?[Aa]dresse[ \\t]*:?|Anschrift[ \\t]*:?|wohn(?:e|t)${S}(?:in|an)${S}der)`;
/** After such words: capitalised words and numbers on one line ("Via dei Fiorentini 17"), with a digit. */
const TOKEN = `(?:[${UP}\\d][${L}\\d'’./-]*|${SMALL_WORD}|and${END}|u\\.|út|tér|ul\\.|C/)`;
const CHUNK = `${TOKEN}(?:(?:[ \\t]+|,[ \\t]*)${TOKEN}){0,10}`;

const address =
  (score: number): TextRecognizer['decide'] =>
  (m) => {
    // The span is the group "v" when words before it only say that an address follows.
    const v = m.groups?.['v'] ?? m[0];
    const start = m.index + m[0].length - v.length + (v.length - v.trimStart().length);
    // Trailing separators and a dangling "and" belong to the sentence, not the address.
    // A full stop ends the sentence ("…, London.", "Straße 5a."), except after an abbreviation ("St.", "u.").
    const value = v
      .trimStart()
      .replace(/(?:[\s,]+|\s+and)+$/, '')
      .replace(/(?<!(?:^|\s)\p{L}{1,3})\.$/u, '');
    if (m.groups?.['v'] !== undefined && !(/\d/.test(value) && /\p{L}{2}/u.test(value))) return null;
    return { type: 'STREET_ADDRESS', start, end: start + value.length, score };
  };

export const ADDRESS_RECOGNIZERS: TextRecognizer[] = [
  {
    // "221B Baker Street, Apt 4, Springfield, IL 62704": number, name, suffix.
    pattern: new RegExp(
      `(?<![\\p{L}\\d.,:$€£])\\d{1,6}[A-Za-z]?(?:\\s+\\d{1,5})?\\s+${NAMED}\\s+(?:${anyCase(STREET_EN)})${END}\\.?${BLOCK}`,
      'gu',
    ),
    decide: address(0.6),
  },
  {
    // "Musterstraße 12", "Berliner Straße 5a", "Via Roma 131", "33 rue de Provence", with a building number
    // before it as some countries write it ("91215 Harjukuja 54").
    pattern: new RegExp(
      `(?<![\\p{L}\\d.,:$€£])${BUILDING}(?:(?:${NAMED}\\s+)?${UP}[${L}-]*(?:${STREET_SUFFIX})|${NAMED}\\s+(?:${STREET_WORD})|(?:${STREET_PREFIX})\\s+(?:${SMALL_WORD}\\s+)*${NAMED})\\s+${NUMBER}${END}${BLOCK}|(?<![\\p{L}\\d.,:$€£])\\d{1,5},?\\s+(?:${STREET_PREFIX_LOWER})\\s+(?:${SMALL_WORD}\\s+)*${NAMED}${BLOCK}`,
      'gu',
    ),
    decide: address(0.6),
  },
  {
    // A street line without a street word, on a line of its own, followed by the rest of its block.
    pattern: new RegExp(`(?<![^\\n])[ \\t>?]*(?<v>${STREET_LINE}${BLOCK})`, 'gu'),
    decide: (m, text) => {
      // The rest of the block must hold a number (a unit, a postcode): "07 Feb 2022\n\nTOTAL" is no address.
      const rest = m[0].slice(STREET_LINE_START.exec(m[0])![0].length);
      return /\d/.test(rest) ? address(0.6)(m, text) : null;
    },
  },
  {
    // After words that say an address follows: "lives on Via dei Fiorentini 17", "address: 5638 Aasa 43".
    pattern: new RegExp(`${ADDRESS_CONTEXT}[ \\t\\n]+(?<v>${CHUNK}${BLOCK})`, 'gu'),
    decide: address(0.6),
  },
  {
    // A street corner: "the corner of 3rd Street and Main Avenue", "the corner of Dalbraut 99 and Inna Loop".
    pattern: new RegExp(`(?<v>(?:the\\s+)?corner\\s+of\\s+${CHUNK})`, 'gu'),
    decide: address(0.6),
  },
  {
    // US military mail: "PSC 3294, Box 9168\nAPO AA 61487", "USNS Lorenzen\nFPO AE 25990".
    pattern:
      /\b(?:(?:PSC|CMR|Unit)\s+\d{3,5},?\s+Box\s+\d{3,5}|US(?:S|NS|NV|CGC)\s+[A-Z][a-z]+)\s*\n?\s*[ADF]PO\s+A[AEP]\s+\d{5}\b/gi,
    decide: address(0.7),
  },
  {
    // "P.O. Box 1234", "Postfach 10 02 03", and the rest of the block.
    pattern: new RegExp(
      `(?<![\\p{L}\\d.,:$€£])(?:\\d{1,6}\\s+)?(?:[Pp]\\.?\\s?[Oo]\\.?\\s+[Bb]ox|P\\.?O\\.? BOX|Post(?:al)?\\s+Office\\s+Box|Postfach)\\s+\\d[\\d ]{0,10}\\d${END}${BLOCK}`,
      'gu',
    ),
    decide: address(0.6),
  },
  {
    // A flat or suite number on its own: "Apt. 117", "Suite 464" (not "Suite 5" of a software product).
    pattern: /\b(?:Apt|Apartment|Suite|Ste|Wohnung)\.?\s+\d{2,5}[A-Za-z]?\b/g,
    decide: address(0.5),
  },
];
