// PERSON where the words around a name say it is one: an honorific ("Dr. Jane Roe", "Frau Müller"), a
// self-introduction ("my name is", "ich heiße"), a salutation or sign-off ("Dear Jane", "Best regards,\n
// Jane Roe"), a label ("Name: Jane Roe"). Without such words a capitalised pair is not taken for a name.
import type { TextRecognizer } from './dates.js';

const UP = '\\p{Lu}';
const LOW = "[\\p{Ll}'’-]";
/** A given name or surname, an initial ("M."), a particle ("van", "de") inside a name. */
const WORD = `${UP}${LOW}+(?:-${UP}${LOW}+)?`;
const NAME = `${WORD}(?:\\s+(?:${UP}\\.|(?:van|von|de|der|den|da|di|du|del|la|le|ten|ter|zu)(?=\\s+${UP})|${WORD})){0,3}`;
const HONORIFIC = 'Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Sir|Madam|Dame|Lord|Lady|Fr';
/** Words that start a sentence after a salutation, not a name: "Hi there", "Dear Sir" (honorific below). */
const NOT_NAME =
  /^(?:There|All|Team|Everyone|Customer|Sir|Madam|Friends?|Colleagues?|Support|Thanks?|Thank|Hello|Hi|Dear|Good|Please|The|This|We|I|Our|You|Your|Sehr|Liebe[rs]?|Damen|Herren|Kunde|Kundin|Regards|Best|Kind|Warm|Mit|Viele|Beste|Cheers|Sincerely)$/;

const person =
  (score: number): TextRecognizer['decide'] =>
  (m) => {
    const name = m.groups!['name']!;
    const words = name.split(/\s+/);
    if (NOT_NAME.test(words[0]!)) return null;
    // A trailing initial or particle is not part of the name.
    const trimmed = name
      .replace(/['’]s$/, '')
      .replace(/(?:\s+(?:\p{Lu}\.|van|von|de|der|den|da|di|du|del|la|le|ten|ter|zu))+$/u, '');
    const start = m.index + m[0].length - name.length;
    return { type: 'PERSON', start, end: start + trimmed.length, score };
  };

export const NAME_RECOGNIZERS: TextRecognizer[] = [
  {
    // "Dr. Cindy Holinka", "Herr Müller", "Mrs Jane Roe".
    pattern: new RegExp(`(?<![\\p{L}])(?:${HONORIFIC})\\.?\\s+(?<name>${NAME})`, 'gu'),
    decide: person(0.7),
  },
  {
    // Self-introductions and labels: "my name is Jane Roe", "Name: Jane Roe", "Ansprechpartnerin: Eva Weiß".
    pattern: new RegExp(
      `(?:\\b(?:my name is|my name's|I am called|I'm called|call me|this is|mein Name ist|ich hei(?:ß|ss)e|signed|signed by|unterschrieben von)\\s+|(?<![^\\n])[ \\t]*(?:[Nn]ame|[Ff]ull [Nn]ame|[Cc]ustomer|[Cc]ontact|[Cc]ontact person|[Aa]ccount holder|[Cc]ardholder|[Pp]atient|[Ff]rom|[Tt]o|[Aa]ttn\\.?|Vorname|Nachname|Ansprechpartner(?:in)?|Kunde|Kundin|Absender|Empfänger)\\s*:[ \\t]*)(?<name>${NAME})`,
      'gu',
    ),
    decide: person(0.65),
  },
  {
    // Salutations: "Dear Jane,", "Hi Jane Roe,", "Hallo Jan!", "Liebe Eva,".
    pattern: new RegExp(
      `\\b(?:Dear|Hi|Hello|Hey|Hallo|Liebe|Lieber|Servus|Moin)\\s+(?<name>${NAME})(?=\\s*[,!:\\n])`,
      'gu',
    ),
    decide: person(0.6),
  },
  {
    // Sign-offs: "Best regards,\nJane Roe", "Mit freundlichen Grüßen\nEva Weiß", "Thanks, Jane".
    pattern: new RegExp(
      `\\b(?:[Rr]egards|[Ww]ishes|[Ss]incerely|[Cc]heers|[Tt]hanks|[Tt]hank you|[Yy]ours(?: truly| faithfully| sincerely)?|[Bb]est|[Gg]rüßen|[Gg]rüße|[Gg]ruß|[Hh]erzlichst)[,!.]?[ \\t]*\\n?[ \\t]*(?<name>${NAME})(?=\\s*(?:$|\\n|[,.]))`,
      'gu',
    ),
    decide: person(0.6),
  },
];
