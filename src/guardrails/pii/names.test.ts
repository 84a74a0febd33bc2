import { describe, expect, it } from 'vitest';
import { detectPii } from './detect.js';

const people = (text: string) =>
  detectPii(text)
    .filter((f) => f.type === 'PERSON')
    .map((f) => text.slice(f.start, f.end));

describe('PERSON', () => {
  it('finds names after honorifics, introductions, salutations and sign-offs', () => {
    expect(people('Please ask Dr. Cindy Holinka or Herr Müller.')).toEqual(['Cindy Holinka', 'Müller']);
    expect(people('Hi, my name is Jane Roe and I need help')).toEqual(['Jane Roe']);
    expect(people("What's your name? Abbas Kadyrov")).toEqual(['Abbas Kadyrov']);
    expect(people('Dear Jane,\nthanks.\n\nBest regards,\nEva Weiß\nAcme GmbH')).toEqual(['Jane', 'Eva Weiß']);
    expect(people('Mit freundlichen Grüßen\nEva Weiß')).toEqual(['Eva Weiß']);
    expect(people("I'm Annemette Iversen, from Aarhus")).toEqual(['Annemette Iversen']);
    expect(people('as the assistant to Aristóteles Ávalos, and')).toEqual(['Aristóteles Ávalos']);
    expect(people("expose Mr. Grey's plans")).toEqual(['Grey']);
  });

  it('does not take greetings, teams, companies or feelings for names', () => {
    expect(people('Hi there, Dear Customer, Thanks, Team')).toEqual([]);
    expect(people("I'm Happy to help. I am Ready.")).toEqual([]);
    expect(people('a film directed by Google Cloud Studios')).toEqual([]);
    expect(people('Name: Order Summary')).toEqual([]);
    expect(people('including but not limited to: Scientific papers')).toEqual([]);
  });
});
