// PERSON where the words around a name say it is one: an honorific ("Dr. Jane Roe", "Frau Müller"), a
// self-introduction ("my name is", "ich heiße"), a salutation or sign-off ("Dear Jane", "Best regards,\n
// Jane Roe"), a label ("Name: Jane Roe"), a name asked for ("What's your name? Jane Roe"), or words that only a
// person takes ("assistant to Jane Roe", "my colleague Jane Roe"). Without such words a capitalised pair
// is not taken for a name: no list of names ships with Attune.
import type { TextRecognizer } from './dates.js';
import { LETTER, LOWER, UPPER } from './letters.js';

const UP = `[${UPPER}]`;
const LOW = `[${LOWER}'’]`;
/** A given name or surname, an initial ("M."), a particle ("van", "de") inside a name. */
const WORD = `${UP}${LOW}+(?:-${UP}${LOW}+)?`;
const PARTICLE = '(?:van|von|de|der|den|da|di|du|del|la|le|ten|ter|zu)';
const NAME = `${WORD}(?:[ \\t]+(?:${UP}\\.?(?=[ \\t]+${UP})|${PARTICLE}(?=[ \\t]+${UP})|${WORD})){0,3}`;
/** At least a given name and a surname: "Jane Roe", "Ruth R Montez", "Magda K. Björklund". */
const FULL_NAME = `${WORD}(?:[ \\t]+(?:${UP}\\.?|${PARTICLE})(?=[ \\t]+${UP}))*[ \\t]+${WORD}(?:[ \\t]+${WORD})?`;
/** An honorific read as the name itself ("this is Dr. Kyle Kuefer": the honorific rule takes the name). */
const HONORIFIC_WORD = /^(?:Mr|Mrs|Ms|Mx|Dr|Prof|Herr|Frau)$/;
const HONORIFIC = 'Rep|Sen|Gov|[Mm]r|[Mm]rs|[Mm]s|Miss|Mx|Dr|Prof|Herr|Frau|Sir|Madam|Dame|Lord|Lady|Fr';
/** Words that start a sentence after a salutation, not a name: "Hi there", "Dear Sir" (honorific below). */
export const NOT_NAME =
  /^(?:There|Rep|Sen|Gov|Personal|Info|Contact|Address|Phone|Mobile|Email|Website|Order|Invoice|Payment|Account|Customer|Service|Summary|Details|New|North|South|East|West|United|Saint|San|Los|Las|Santa|Mount|Lake|Fort|Port|Happy|Merry|Hey|Yes|No|It|My|Is|In|On|At|For|From|To|And|But|Or|If|As|By|With|Not|All|Any|Some|Each|Every|When|What|Where|Who|Why|How|Today|Tomorrow|Yesterday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|All|Team|Everyone|Customer|Sir|Madam|Friends?|Colleagues?|Support|Thanks?|Thank|Hello|Hi|Dear|Good|Please|The|This|We|I|Our|You|Your|Sehr|Liebe[rs]?|Damen|Herren|Kunde|Kundin|Regards|Best|Kind|Warm|Mit|Viele|Beste|Cheers|Sincerely)$/;

/** Words of company, product and place names: "Google Cloud", "Acme Group", "Bank of Spain". */
export const ORG_WORD =
  /^(?:Inc|Corp|Corporation|Company|Co|Ltd|LLC|GmbH|AG|Group|Holdings|Bank|University|College|School|Institute|Times|News|Post|Cloud|Labs?|Systems|Technologies|Tech|Software|Solutions|Services|Media|Studios?|Records|Press|Foundation|Association|Society|Club|Team|Department|Ministry|Council|Committee|Office|Center|Centre|Hospital|Church|Street|Road|Avenue|City|County|State|Republic|Kingdom|Island|River|Park|Hotel|Airport|Station|Museum|Library|Mall|Market|Shop|Store|Restaurant|Cafe|Bar|Pizza|Project|Program|Protocol|Model|Mode|Prompt|Assistant|Bot|AI|GPT|ChatGPT|OpenAI|Google|Microsoft|Apple|Amazon|Meta|Facebook|Twitter|Linux|Windows|Python|Java|English|German|French|Spanish|American|British|European|Christmas|Easter|Black|White|Red|Blue|Green)$/;

/** Pairs of listed names that are products or companies ("Earl Grey" tea). */
export const BRANDS = new Set([
  'earl grey',
  'lady grey',
  'harley davidson',
  'morgan stanley',
  'johnson johnson',
  'marks spencer',
  'dolce gabbana',
  'goldman sachs',
  'procter gamble',
  'taco bell',
  'johnnie walker',
  'jack daniels',
  'tim hortons',
  'wells fargo',
  'charles schwab',
  'dow jones',
  'rolls royce',
  'aston martin',
  'alfa romeo',
]);

const person =
  (score: number): TextRecognizer['decide'] =>
  (m) => {
    const name = m.groups!['name']!;
    const words = name.split(/\s+/);
    if (words.some((w) => NOT_NAME.test(w) || ORG_WORD.test(w) || HONORIFIC_WORD.test(w))) return null;
    // A trailing initial or particle is not part of the name.
    const trimmed = name
      .replace(/['’]s$/, '')
      .replace(/(?:\s+(?:\p{Lu}\.|van|von|de|der|den|da|di|du|del|la|le|ten|ter|zu))+$/u, '');
    const start = m.index + m[0].length - name.length;
    // "Lady Grey", "Earl Grey": teas, not people.
    if (
      BRANDS.has(
        m[0]
          .slice(0, m[0].length - name.length)
          .trim()
          .toLowerCase() +
          ' ' +
          trimmed.toLowerCase(),
      )
    )
      return null;
    return { type: 'PERSON', start, end: start + trimmed.length, score };
  };

export const NAME_RECOGNIZERS: TextRecognizer[] = [
  {
    // "Dr. Cindy Holinka", "Herr Müller", "Mrs Jane Roe".
    pattern: new RegExp(`(?<![${LETTER}])(?:${HONORIFIC})\\.?[ \\t]+(?<name>${NAME})`, 'g'),
    decide: person(0.7),
    needs: HONORIFIC.split('|').flatMap((w) =>
      w.startsWith('[') ? [w[1]! + w.slice(4), w[2]! + w.slice(4)] : [w],
    ),
  },
  {
    // Self-introductions: "my name is Jane Roe", "ich heiße Eva Weiß".
    pattern: new RegExp(
      `\\b(?:my name is|my name's|I am called|I'm called|call me|this is|mein Name ist|ich hei(?:ß|ss)e|signed|signed by|unterschrieben von)\\s+(?<name>${NAME})`,
      'g',
    ),
    decide: person(0.65),
  },
  {
    // Labels at the start of a line: "Name: Jane Roe", "Ansprechpartnerin: Eva Weiß".
    pattern: new RegExp(
      `^[ \\t]*(?:[Nn]ame|[Ff]ull [Nn]ame|[Cc]ustomer|[Cc]ontact|[Cc]ontact person|[Aa]ccount holder|[Cc]ardholder|[Pp]atient|[Ff]rom|[Tt]o|[Aa]ttn\\.?|Vorname|Nachname|Ansprechpartner(?:in)?|Kunde|Kundin|Absender|Empfänger)\\s*:[ \\t]*(?<name>${NAME})`,
      'gm',
    ),
    decide: person(0.65),
    needs: [':'],
  },
  {
    // Salutations: "Dear Jane,", "Hi Jane Roe,", "Hallo Jan!", "Liebe Eva,".
    pattern: new RegExp(
      `\\b(?:Dear|Hi|Hello|Hey|Hallo|Liebe|Lieber|Servus|Moin)[ \\t]+(?<name>${NAME})(?=[ \\t]*[,!:\\n])`,
      'g',
    ),
    decide: person(0.6),
    needs: ['Dear', 'Hi', 'Hello', 'Hey', 'Hallo', 'Liebe', 'Servus', 'Moin'],
  },
  {
    // Sign-offs: "Best regards,\nJane Roe", "Mit freundlichen Grüßen\nEva Weiß", "Thanks, Jane".
    pattern: new RegExp(
      `\\b(?:[Rr]egards|[Ww]ishes|[Ss]incerely|[Cc]heers|[Tt]hanks|[Tt]hank you|[Yy]ours(?: truly| faithfully| sincerely)?|[Bb]est|[Gg]rüßen|[Gg]rüße|[Gg]ruß|[Hh]erzlichst)[,!.]?[ \\t]*\\n?[ \\t]*(?<name>${NAME})(?=[ \\t]*(?:$|\\n|[,.]))`,
      'g',
    ),
    decide: person(0.6),
  },
  {
    // A name asked for or given: "What's your name? Abbas Kadyrov", "her maiden name is Møller", "I'm Jane
    // Roe" (a full name: "I'm Happy" is not one), "under my partner's name Shane M Culp", "everyone calls me
    // Jo", "said Jo." (a single word then punctuation).
    pattern: new RegExp(
      `(?:\\b(?:[Yy]our|[Mm]y|[Hh]is|[Hh]er|[Tt]heir|[Mm]aiden|[Ll]ast|[Ff]irst|[Ff]ull|[Gg]iven|[Ff]amily|[Mm]iddle|[Aa]ccount|'s)[ \\t]+(?:[Nn]ame|[Ss]urname)(?:[ \\t]+(?:is|was|'s))?[?:,]?[ \\t]+|\\b(?:I'm|I am|Ich bin|[Hh]ier ist)[ \\t]+(?=${FULL_NAME})|\\b(?:calls? me|named (?:him|her)|nicknamed|(?:said|asked|replied|answered|whispered|shouted|told)(?=[ \\t]+${UP}${LOW}+[ \\t]*[,.!?;]))[ \\t]+)(?<name>${NAME})`,
      'g',
    ),
    decide: person(0.6),
  },
  {
    // A full name after words that only a person takes: "assistant to Jane Roe", "directed by Jane Roe",
    // "my colleague Jane Roe", "meine Kollegin Eva Weiß".
    pattern: new RegExp(
      `\\b(?:assistant to|secretary to|married to|son of|daughter of|wife of|husband of|(?:directed|written|sung|performed|produced|composed|painted|authored|signed|founded|narrated|illustrated|photographed|interviewed) by|starring|featuring|accounts? with|speak(?:ing)? (?:to|with)|talk(?:ing)? (?:to|with)|[Ff]ollow up with|(?:my|our|his|her|their) (?:friend|partner|wife|husband|son|daughter|mother|father|brother|sister|colleague|boss|manager|neighbou?r|doctor|lawyer|client|customer|tenant|landlord|guardian|child|cousin|uncle|aunt)|(?:meine?r?|unsere?r?) (?:Kollegin|Kollege|Freundin|Freund|Frau|Mann|Tochter|Sohn|Mutter|Vater|Chefin|Chef|Nachbarin|Nachbar)) (?<name>${FULL_NAME})`,
      'g',
    ),
    decide: person(0.55),
  },
];
