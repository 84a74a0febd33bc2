// STREET_ADDRESS: the street line in its English ("221B Baker Street", "1659 Hoog St") and continental
// forms ("Musterstraße 12", "Via Roma 131", "Harjukuja 54", "33 rue de Provence"), a street line on a line
// of its own that an address block follows, street words after words that announce an address ("lives
// at", "Anschrift:"), street corners, US military and PO-box addresses, flat or suite numbers; street lines
// in lower case after such words or with a flat number after them, and a street named without a number after
// "on"/"in"/"along" ("on Marina Fort Street"). A street line takes the following lines of its block (unit,
// city, postcode, country) into its span, the way an address is written on an envelope; detect.ts joins
// pieces that stand next to each other and merges two overlapping readings of one block.
import { needDigits, type TextRecognizer } from './dates.js';
import { LETTER, LOWER, UPPER } from './letters.js';
import type { PiiFinding } from './recognizers.js';

/** "street|st" → "[Ss]treet|STREET|[Ss]t|ST": the patterns are case-sensitive (their upper-case classes must hold). */
const anyCase = (words: string) =>
  words
    .split('|')
    .map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}|${w.toUpperCase()}`)
    .join('|');
const L = LETTER;
const UP = `[${UPPER}]`;
const END = `(?![${LETTER}\\d])`;
/** English street suffixes, after the street name: "Baker Street", "Crown St". */
const STREET_EN =
  'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|trail|trl|row|crescent|close|alley|plaza|ridge|path|loop|mews|grove|gardens|walk|pass|crossroad|cliffs?|greens?|radial|junction|landing|heights|hollow|manor|meadows?|orchard|passage|pike|point|port|prairie|ranch|rapids|rest|skyway|squares?|stravenue|summit|throughway|track|tunnel|turnpike|underpass|valley|via|viaduct|vista|wells?|bypass|causeway|corner|coves?|estates?|expressway|extension|falls|ferry|field|flats?|ford|forges?|fort|freeway|glen|harbor|haven|hills?|islands?|isle|knolls?|lakes?|lodge|mill|motorway|overpass|oval|park|parks|plains?|ports|ramp|route|shoals?|shores?|spur|stream|trace|village|ville|wall';
/**
 * Continental suffixes, written onto the street name: German, Dutch, Scandinavian, Finnish, Icelandic,
 * Hungarian, Czech. "ring" only after a consonant other than r, and not in "Spring", "String", "Bring": "During" stays a word.
 */
const STREET_SUFFIX =
  'straße|strasse|str\\.|weg|gasse|allee|platz|(?<=[b-df-hj-np-qs-tv-z])(?<![Ss]p|[Ss]t|[Bb]r)ring|damm|ufer|chaussee|steig|pfad|markt|hof|straat|laan|gracht|plein|dreef|kade|singel|vej|vejen|gade|gatan|gata|gaten|vägen|väg|veien|vegen|vei|vegur|braut|stræti|stig|katu|tie|kuja|polku|kaari|rinne|tori|utca|ulice|náměstí|třída|cesta';
/** The same words standing apart after the name: "Berliner Straße 5", "Koepenicker Str. 74", "Kálmán Imre u. 12.". */
const STREET_WORD =
  'Straße|Strasse|Str\\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee|Markt|u\\.|út|útja|utca|tér|tee|tie|gade|vej|vei|veien|vegen|gata|gatan|terrasse|plass|bakken';
/** Hungarian street words, which may follow a lower-case word of the name: "Árpád fejedelem útja 3.". */
const STREET_WORD_HU = 'u\\.|út|útja|utca|tér';
/** Street words written before the name: "Via Roma", "Rue de Tanger", "ul. Narewska", "Am Markt". */
const STREET_PREFIX =
  'Via|Viale|Piazza|Piazzale|Vicolo|Corso|Largo|Strada|Rue|Avenue|Av\\.|Boulevard|Allée|Chemin|Impasse|Place|Quai|Rua|Avenida|Avda\\.|Calle|C/|Carrer|Camino|Paseo|Plaza|Praça|Travessa|ul\\.|ulica|al\\.|Aleja|Plac|Am|An der|Auf der|Auf dem|Im|Zum|Zur|Unter den|Λεωφόρος|Οδός|Πλατεία';
/** French street words in lower case, after the number. */
const STREET_PREFIX_LOWER = 'rue|avenue|boulevard|allée|chemin|impasse|quai';
const NUMBER = `\\d{1,5}(?:\\s?[a-zA-Z]${END})?\\.?`;
const SMALL_WORD = `(?:de|del|della|delle|dei|di|da|do|dos|das|du|des|la|le|les|van|von|der|den|z|u|y|e|et)${END}`;
/** Small words inside place names as well: "Ostrov nad Ohří", "Frankfurt am Main", "Begunje na Gorenjskem". */
const PLACE_SMALL = `(?:${SMALL_WORD}|(?:nad|pod|na|am|im|an|bei|sur|sous|en|upon)${END})`;
/** A lower-case word of a street name, not a word of a sentence ("300 trees along the road" is none). */
const LOWER_WORD = `(?!(?:the|a|an|of|along|on|in|into|to|for|and|or|with|from|at|by|our|my|your|his|her|their|this|that|these|those|per|is|are|was|were|be|it|its|we|you|they|i|me|us|than|then|more|less|about|over|under|after|before)${END})[${L}][${L}'’-]*`;
/** A word of a street name: "Baker", "Rákóczi", "d'Ouchy", "5th". */
const NAME_WORD = `(?:(?!(?:Apt|APT|Suite|SUITE|Unit|UNIT)\\.?${END})(?:[dlDL]['’])?${UP}[${L}'’.-]*|\\d{1,3}(?:st|nd|rd|th)${END})`;
const NAMED = `${NAME_WORD}(?:[ \\t]+(?:${SMALL_WORD}[ \\t]+)?${NAME_WORD}){0,3}`;
const BUILDING = '(?:\\d{1,6},?\\s+){0,2}';

const UNIT = `(?:${anyCase('apt|apartment|suite|ste|unit|flat|room|floor|fl|wohnung|whg|etage')}|#)\\.?\\s?[\\w-]{1,6}`;
/** One more line or comma part of the same block: a unit, "City, ST 12345", a city, a country, a postcode. */
const PLACE_WORD = `[${UPPER}(][${L}'’.()-]*`;
/** The same in text written in lower case ("sé, portugal"), where only words that say it is an address let it be read. */
const PLACE_WORD_ANY = `[${L}(][${L}'’.()-]*`;
/** A city, region or country line: "Springfield, IL", "Torroella de Montgrí", "Cyprus (Greek)". */
const placeText = (word: string) =>
  `${word}(?:[ \\t]+(?:${PLACE_SMALL}[ \\t]+)?${word}){0,3}(?:,?[ \\t]+[A-Z]{2})?`;
/** A line with the postcode, which ends the block: "10115 Berlin", "Springfield, IL 62704", "Finland 80896". */
const placeCode = (word: string) =>
  `(?:\\d{4,6}(?:-\\d{4})?(?:[ \\t]+${word === PLACE_WORD ? UP : `[${L}]`}[${L}-]+)*|${placeText(word)}[ \\t]+\\d{3,6}(?:-\\d{4})?)`;
const LINE_END = '(?=[ \\t]*(?:[,\\n]|$|[.?!](?:\\s|$)))';
const NEXT = '[ \\t]*(?:,|\\n[ \\t>?]*,?)[ \\t>?]*';
/** Units on the street's line, and after them the city on the same line: "Apt. 405 Sindi PR". */
const inlineUnits = (word: string) =>
  `(?:(?:(?:[ \\t]+|,[ \\t]*)${UNIT})+(?:[ \\t]+${placeText(word)}(?:[ \\t]+\\d{3,6})?${LINE_END})?)?`;
/**
 * The rest of a block after its street line: units, cities and countries after a comma or a line break,
 * and at most one postcode line, which ends it (after a blank line only that line may follow).
 */
const rest = (word: string) =>
  `(?:${NEXT}(?:${UNIT}|${placeText(word)})${LINE_END}){0,3}(?:(?:${NEXT}|[ \\t]*\\n[ \\t>?]*\\n[ \\t>?]*)${placeCode(word)}${LINE_END})?`;
const block = (word: string) => `${inlineUnits(word)}${rest(word)}`;
const BLOCK = block(PLACE_WORD);
/** The block in lower-case text. */
const BLOCK_ANY_CASE = block(PLACE_WORD_ANY);
/** A street line on its own ("20789 Allika 46", "Vana-Viru 25 Apt. 971"): a block only with more lines. */
const STREET_LINE = `(?:\\d{1,6}[ \\t]+)?${UP}[${L}'’.-]+(?:[ \\t]+(?:${SMALL_WORD}[ \\t]+)?[${UPPER}\\d][${L}'’.-]*){0,3}[ \\t]+\\d{1,5}[a-zA-Z]?\\.?`;
const STREET_LINE_START = new RegExp(`^[ \\t>?]*${STREET_LINE}`);
/** A flat or suite number after a street line (words only: "#3" follows too much else). */
const FLAT = `(?:${anyCase('apt|apartment|suite|ste|unit|flat')})\\.?[ \\t]?\\d[\\w-]{0,5}${END}`;
/** English street words that end a street line written in lower case. */
const STREET_EN_LOWER = 'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr';
/** A street line in lower case: numbers, words of its name, and the house number or a street word. */
const LOWER_STREET = `\\d{1,6}(?:[ \\t]+\\d{1,5})?,?[ \\t]+${LOWER_WORD}(?:[ \\t]+${LOWER_WORD}){0,3}?[ \\t]+(?:\\d{1,5}[a-z]?(?:[ \\t]+(?:st|street)\\.?${END}|\\.?(?=${LINE_END}|,?[ \\t]+${FLAT}))|(?:${STREET_EN_LOWER})\\.?${END})`;
/** Words that say an address follows. */
const S = '[ \\t]+';
const ADDRESS_CONTEXT = `(?:[Aa]ddress(?:es)?(?:${S}(?:is|was|with|to))?[ \\t]*[:?]?(?:[ \\t]*(?:[Ii]t is|[Ii]t's))?|(?:here|there) they are:|lives?${S}(?:at|on)|lived${S}(?:at|on)|(?:is|are)${S}(?:located|situated|based)${S}(?:at|on)|located${S}at|(?:office|shop|store|restaurant|hotel|venue|house|home|flat|apartment)${S}is${S}at|meet${S}(?:me|you|us)${S}at|drops?${S}you${S}off${S}at|stop${S}at|taxi${S}to|send${S}(?:it|them|this|a${S}new${S}one)${S}to|sent${S}to|deliver(?:ed)?${S}to|ship(?:ped)?${S}to|return(?:ed)?${S}(?:it${S})?to|mail(?:ed)?${S}to|moved${S}to|arrived${S}at|(?:Liefer|Rechnungs)?[Aa]dresse[ \\t]*:?|Anschrift[ \\t]*:?|wohn(?:e|t)${S}(?:in|an)${S}der)`;
/** After such words: capitalised words and numbers on one line ("Via dei Fiorentini 17"), with a digit. */
const TOKEN = `(?:[${UPPER}\\d][${L}\\d'’./-]*|${SMALL_WORD}|and${END}|u\\.|út|tér|ul\\.|C/)`;
const CHUNK = `${TOKEN}(?:(?:[ \\t]+|,[ \\t]*)${TOKEN}){0,10}`;

/** The finding for text[start, end): trailing separators, a dangling "and" and a sentence's full stop cut. */
function addressAt(
  text: string,
  start: number,
  end: number,
  score: number,
  needsDigit = false,
): PiiFinding | null {
  const v = text.slice(start, end);
  const lead = v.length - v.trimStart().length;
  // A full stop ends the sentence ("…, London.", "Straße 5a."), except after an abbreviation ("St.", "u.").
  const value = v
    .trimStart()
    .replace(/(?:[\s,]+|\s+and)+$/, '')
    .replace(/(?<!(?:^|\s)\p{L}{1,3})\.$/u, '');
  if (needsDigit && !(/\d/.test(value) && /\p{L}{2}/u.test(value))) return null;
  return { type: 'STREET_ADDRESS', start: start + lead, end: start + lead + value.length, score };
}

/**
 * Words of a street line without a street word that make it something else: a date ("5 March 2024, Suite
 * 12"), a count or a product's number ("Version 3 Release 12 Suite 2019", "Room 12 Floor 3").
 */
const NOT_STREET_NAME =
  /\b(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Januar|Februar|März|Mai|Juni|Juli|Oktober|Dezember|Version|Release|Chapter|Page|Step|Level|Season|Episode|Part|Volume|Vol|Room|Floor|Gate|Platform|Table|Row|Seat|Item|Size|Model|Series|Top|Phase|Stage|Round|Week|Day|Year|Section|Figure|Track|Issue|Order|Invoice|Tier|Plan|Pack|Windows|Office|Pro|Max|Mini|Ultra|Plus)\b/;

/** The span is the group "v" when words before it only say that an address follows (then it needs a digit). */
const address =
  (score: number): TextRecognizer['decide'] =>
  (m, text) => {
    const v = m.groups?.['v'];
    const end = m.index + m[0].length;
    return addressAt(text, v === undefined ? m.index : end - v.length, end, score, v !== undefined);
  };

/**
 * Continental street names end just before the house number, so the recognizer finds the number first (a
 * cheap scan) and then asks whether the words before it, on its line, are a street name.
 */
const STREET_BEFORE_NUMBER = new RegExp(
  `(?<![${LETTER}\\d.,:$€£])${BUILDING}(?:(?:${NAMED}[ \\t]+)?${UP}[${L}-]*(?:${STREET_SUFFIX})|${NAMED}[ \\t]+(?:${STREET_WORD})|${NAME_WORD}[ \\t]+[${LOWER}]{3,}[ \\t]+(?:${STREET_WORD_HU})|(?:${STREET_PREFIX})[ \\t]+(?:${SMALL_WORD}[ \\t]+)*${NAMED})[ \\t]+$`,
);
const BLOCK_AFTER = new RegExp(BLOCK, 'y');

/** Quick tests before the full one: the word before the number is a street word, or a prefix is near. */
const STREET_WORD_END = new RegExp(`(?:${STREET_SUFFIX}|^(?:${STREET_WORD}))$`);
const PREFIX_NEAR = new RegExp(`(?<![${LETTER}])(?:${STREET_PREFIX})[ \\t]`);
/** How a word of a street name starts: "Fiorentini", "d'Ouchy", "5th". */
const NAME_WORD_START = new RegExp(`^(?:(?:[dlDL]['’])?${UP}|\\d)`);

function continentalStreet(m: RegExpExecArray, text: string): PiiFinding | null {
  // The match is a blank and the number (a pattern that starts with a character is faster than a
  // lookbehind); the street name stands on the number's line, within 80 characters before it.
  const at = m.index + 1;
  const window = text.slice(Math.max(0, at - 80), at);
  const from = at - window.length + window.lastIndexOf('\n') + 1;
  const before = text.slice(from, at);
  const trimmed = before.trimEnd();
  const last = trimmed.slice(Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\t')) + 1);
  // Without a street word, only a street word before the name is left ("Via dei Fiorentini 17"), and then
  // the last word is a word of the name: most numbers ("in 2019", "to 5") end here, before the costlier test.
  if (!STREET_WORD_END.test(last) && !(NAME_WORD_START.test(last) && PREFIX_NEAR.test(before.slice(-50))))
    return null;
  const street = STREET_BEFORE_NUMBER.exec(before);
  if (!street) return null;
  const numberEnd = m.index + m[0].length;
  BLOCK_AFTER.lastIndex = numberEnd;
  const end = BLOCK_AFTER.exec(text) ? BLOCK_AFTER.lastIndex : numberEnd;
  return addressAt(text, from + street.index, end, 0.6);
}

/** What may follow the words that announce an address, tried where they end (one scan for the words). */
const AFTER_CONTEXT = [
  new RegExp(`${CHUNK}${BLOCK}`, 'y'),
  new RegExp(`${LOWER_STREET}${BLOCK_ANY_CASE}`, 'y'),
];

function afterContext(m: RegExpExecArray, text: string): PiiFinding | null {
  const from = m.index + m[0].length;
  let best: PiiFinding | null = null;
  for (const re of AFTER_CONTEXT) {
    re.lastIndex = from;
    const f = re.exec(text) ? addressAt(text, from, re.lastIndex, 0.6, true) : null;
    if (f && (!best || f.end > best.end)) best = f;
  }
  return best;
}

/** Streets so often named for what they stand for ("Wall Street", "down Memory Lane") that they say no address. */
const FIGURATIVE_STREET =
  /^(?:Wall|Main|Easy|Sesame|Downing|Fleet|Madison|Harley|Abbey|Silk|Memory|Penny|Coronation|Sunset|Electric|Tin Pan|Bourbon)[ \t]/;
const STREET_NAMED_BEFORE = new RegExp(
  `(?<![${LETTER}])(?:on|in|along|down|off|at|into)[ \t]+(?!(?:The|A|An|This|That|Our|My|Your)[ \t])(${NAMED})[ \t]+$`,
);

/** A street named without a number ("on Marina Fort Street"): the street word first, then the words before it. */
function streetWithoutNumber(m: RegExpExecArray, text: string): PiiFinding | null {
  const before = text.slice(Math.max(0, m.index - 60), m.index + 1);
  const name = STREET_NAMED_BEFORE.exec(before);
  if (!name || FIGURATIVE_STREET.test(name[1]! + ' ')) return null;
  const start = m.index + 1 - name[0].length + name[0].indexOf(name[1]!);
  return addressAt(text, start, m.index + m[0].length, 0.5);
}

/** Addresses without a digit: a street named after "on", "in", "along". */
export const STREET_NAME_RECOGNIZERS: TextRecognizer[] = [
  {
    // Not "on Product Road Map": a capitalised word after the street word makes it part of another name.
    pattern: new RegExp(`[ \\t](?:Street|Road|Avenue|Boulevard|Lane)${END}(?![ \\t]+${UP})`, 'g'),
    decide: streetWithoutNumber,
    needs: ['Street', 'Road', 'Avenue', 'Boulevard', 'Lane'],
  },
];

/** Every address form holds a digit (a house number, a box, a postcode). */
export const ADDRESS_RECOGNIZERS: TextRecognizer[] = needDigits([
  {
    // "221B Baker Street, Apt 4, Springfield, IL 62704": number, name, suffix.
    pattern: new RegExp(
      `(?<![${LETTER}\\d.,:$€£])\\d{1,6}[A-Za-z]?(?:\\s+\\d{1,5})?\\s+${NAMED}\\s+(?:${anyCase(STREET_EN)})${END}\\.?${BLOCK}`,
      'g',
    ),
    decide: address(0.6),
  },
  {
    // "Musterstraße 12", "Berliner Straße 5a", "Via Roma 131", with a building number before it as some
    // countries write it ("91215 Harjukuja 54"): the house number, then the street name before it.
    pattern: new RegExp(`[ \\t](${NUMBER})${END}`, 'g'),
    decide: continentalStreet,
  },
  {
    // French numbers come first, with the street word in lower case: "33 rue de Provence".
    // A building number may come first ("143 31 rue de la Hulotais"), and the name may be written in lower
    // case after a capitalised street word ("31 Rue tachkent").
    pattern: new RegExp(
      `(?<![${LETTER}\\d.,:$€£])(?:\\d{1,6}[ \\t]+)?\\d{1,5},?[ \\t]+(?:(?:${anyCase(STREET_PREFIX_LOWER)})[ \\t]+(?:${SMALL_WORD}[ \\t]+)*${NAMED}|(?:${anyCase('rue|chemin|quai|impasse')})[ \\t]+(?:${SMALL_WORD}[ \\t]+)*(?:${NAMED}|${LOWER_WORD}))${BLOCK}`,
      'g',
    ),
    decide: address(0.6),
  },
  {
    // A street line without a street word, a flat number after it: "7878 Rahu 37 Apt. 405 Sindi PR".
    pattern: new RegExp(
      `(?<![${LETTER}\\d.,:$€£])\\d{1,6}[ \\t]+(?<name>${NAMED})[ \\t]+(?!(?:19|20)\\d\\d${END})\\d{1,5}[a-zA-Z]?${END}(?=,?[ \\t]+${FLAT})${BLOCK}`,
      'g',
    ),
    decide: (m, text) => (NOT_STREET_NAME.test(m.groups!['name']!) ? null : address(0.6)(m, text)),
  },
  {
    // Lower-case English street lines with a flat number after them: "3911 fourth avenue suite 112".
    pattern: new RegExp(
      `(?<![${LETTER}\\d.,:$€£])\\d{1,6}(?:[ \\t]+\\d{1,5})?[ \\t]+${LOWER_WORD}(?:[ \\t]+${LOWER_WORD}){0,2}[ \\t]+(?:${STREET_EN_LOWER})\\.?(?=,?[ \\t]+${FLAT})${BLOCK_ANY_CASE}`,
      'g',
    ),
    decide: address(0.6),
  },
  {
    // The same in lower case, on a line of its own, with a flat number on it or on the next line:
    // "5670 r josé a madeira 1 suite 696", "688 rue du centre 320\n apt. 169".
    pattern: new RegExp(
      `^[ \\t>?]*(?<v>\\d{1,6}[ \\t]+[${L}][${L}'’.-]*(?:[ \\t]+[${L}][${L}'’.-]*){0,4}[ \\t]+\\d{1,5}[a-z]?(?=,?[ \\t]+${FLAT}|[ \\t]*\\n[ \\t>?]*${FLAT})${BLOCK_ANY_CASE})`,
      'gm',
    ),
    // Only as a block of lines: "3 boxes of 12 unit 5" on its own is a count.
    decide: (m, text) => (m.groups!['v']!.trimEnd().includes('\n') ? address(0.6)(m, text) : null),
  },
  {
    // A street line without a street word, on a line of its own, followed by the rest of its block.
    pattern: new RegExp(`^[ \\t>?]*(?<v>${STREET_LINE}${BLOCK})`, 'gm'),
    decide: (m, text) => {
      // The rest of the block must hold a number (a unit, a postcode): "07 Feb 2022\n\nTOTAL" is no address.
      const street = STREET_LINE_START.exec(m[0])![0];
      const rest = m[0].slice(street.length);
      return /\d/.test(rest) && !NOT_STREET_NAME.test(street)
        ? addressAt(text, m.index + m[0].length - m.groups!['v']!.length, m.index + m[0].length, 0.6)
        : null;
    },
  },
  {
    // After words that say an address follows: "lives on Via dei Fiorentini 17", "address: 5638 Aasa 43",
    // or a street line in lower case: "meet me at 2407 tawastintie 6, sé, portugal".
    pattern: new RegExp(`${ADDRESS_CONTEXT}[ \\t\\n]+`, 'g'),
    decide: afterContext,
  },
  {
    // A street corner: "the corner of 3rd Street and Main Avenue", "the corner of Dalbraut 99 and Inna Loop".
    pattern: new RegExp(`(?<v>(?:the\\s+)?corner\\s+of\\s+${CHUNK})`, 'g'),
    decide: address(0.6),
    needs: ['corner'],
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
      `(?<![${LETTER}\\d.,:$€£])(?:\\d{1,6}\\s+)?(?:[Pp]\\.?\\s?[Oo]\\.?\\s+[Bb]ox|P\\.?O\\.? BOX|Post(?:al)?\\s+Office\\s+Box|Postfach)\\s+\\d[\\d ]{0,10}\\d${END}${BLOCK}`,
      'g',
    ),
    decide: address(0.6),
  },
  {
    // A flat or suite number on its own: "Apt. 117", "Suite 464" (not "Suite 5" or "Suite 2019" of a software product).
    pattern: /\b(?:Apt|Apartment|Suite|Ste|Wohnung)\.?\s+(?!(?:19|20)\d\d\b)\d{2,5}[A-Za-z]?\b/g,
    decide: address(0.5),
    needs: ['Apt', 'Apartment', 'Suite', 'Ste', 'Wohnung'],
  },
]);
