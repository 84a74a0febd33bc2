import { describe, expect, it } from 'vitest';
import { detectPii, piiCandidates } from './detect.js';
import lists from './name-lists.json' with { type: 'json' };
import { listedPersons } from './names-listed.js';
import { nameListOf } from './names-tokens.js';

const people = (text: string) =>
  detectPii(text)
    .filter((f) => f.type === 'PERSON')
    .map((f) => text.slice(f.start, f.end));
const scoreOf = (text: string, name: string) =>
  Math.max(
    ...listedPersons(text)
      .filter((f) => text.slice(f.start, f.end) === name)
      .map((f) => f.score),
  );

describe('name lists', () => {
  it('hold the public counts they are built from, in lookup form', () => {
    expect(lists.first.split(' ').length).toBeGreaterThan(5000);
    expect(lists.surnames.split(' ').length).toBe(10000);
    expect(nameListOf('Maria')).toBe('both'); // a given name and a census surname
    expect(nameListOf('Schneider')).toBe('surname');
    expect(nameListOf("O'Brien")).toBe('surname');
    expect(nameListOf('Jürgen')).toBe('first'); // Berlin's list, accents removed for the lookup
    expect(nameListOf('Szöllösy')).toBeNull();
    expect(lists.words.split(' ')).toEqual(
      expect.arrayContaining(['will', 'may', 'paris', 'jordan', 'rose']),
    );
  });
});

describe('PERSON from the name lists', () => {
  it('finds given names with surnames, initials, particles and hyphens', () => {
    expect(people('Maria Schneider called yesterday.')).toEqual(['Maria Schneider']);
    expect(people('Please ask J. Smith or John F. Kennedy.')).toEqual(['J. Smith', 'John F. Kennedy']);
    expect(people('Ludwig van Beethoven wrote it, Vincent van Gogh painted.')).toEqual([
      'Ludwig van Beethoven',
      'Vincent van Gogh',
    ]);
    expect(people('Ask Jean-Luc Picard about the order.')).toEqual(['Jean-Luc Picard']);
    expect(people("Mary O'Brien's order shipped.")).toEqual(["Mary O'Brien"]);
    expect(people('Jürgen Klopp trainiert die Mannschaft.')).toEqual(['Jürgen Klopp']);
  });

  it('finds a given name before a surname in no list, a title and a name, and later mentions', () => {
    expect(people('Anna Szöllösy listed her top songs.')).toEqual(['Anna Szöllösy']);
    expect(people('President Lincoln spoke, then Professor Xu.')).toEqual(['Lincoln', 'Xu']);
    expect(people('Angela Carder was treated. Later Carder sued.')).toEqual(['Angela Carder', 'Carder']);
    expect(people('Catherine is a very sympathetic person.')).toEqual(['Catherine']);
  });

  it('finds a listed given name in lower case after words that introduce a name', () => {
    expect(people('hi, my name is lena andersson and i need help')).toEqual(['lena andersson']);
    expect(people('follow up with patricia in a month')).toEqual(['patricia']);
    expect(people('i am going home, this is fine, call me maybe')).toEqual([]);
  });

  it('scores both names listed above the threshold, a lone surname below it unless a verb follows', () => {
    expect(scoreOf('We met Maria Schneider.', 'Maria Schneider')).toBeGreaterThanOrEqual(0.8);
    expect(scoreOf('We met Anna Szöllösy.', 'Anna Szöllösy')).toBeLessThan(0.8);
    const smith = piiCandidates('Ask Smith about it.').filter((f) => f.type === 'PERSON');
    expect(smith.map((f) => f.score)).toEqual([0.3]);
    expect(people('Ask Smith about it.')).toEqual([]);
    expect(people('Smith said so.')).toEqual(['Smith']); // a verb only a person takes
    expect(people('Berkshire Hathaway is a design agency.')).toEqual([]);
  });

  it('asks a second cue of names that are ordinary words, places or brands', () => {
    expect(people('May we help? Will you join us in Paris or Jordan?')).toEqual([]);
    expect(people('Will Smith will attend.')).toEqual([]); // an opening "Will" is the verb
    expect(people('Yesterday I met Will Smith.')).toEqual(['Will Smith']);
    expect(people('Our Earl Grey and Lady Grey teas, Rose Hip and Ginger Lemon.')).toEqual([]);
    expect(people('Summer Sale: Grace Period, Hope Street, Black Friday.')).toEqual([]);
    expect(people('Harley Davidson and Morgan Stanley.')).toEqual([]);
    expect(people('The Princess Royal arrived.')).toEqual([]);
  });

  it('does not take places, teams, streets or products for names', () => {
    expect(people('From New Jersey to St. Louis, Georgia and Virginia.')).toEqual([]);
    expect(people('The Stanley Cup, Denny Way and the Scout Movement.')).toEqual([]);
    expect(people('Deals at Jackson Heights Hospital and Bobby Morris Playfield.')).toEqual([]);
    expect(people("Crane's Ridge Ethiopia is a light roast from Ethiopia.")).toEqual([]);
    expect(people('He lives on the north side of Joaquin Suarez 2906.')).toEqual([]);
    expect(people('Visit YouTube or PayPal. Don’t go to town.')).toEqual([]);
  });

  it('does not take German words and abbreviations for names', () => {
    expect(people('Nur Felder und Spalten. Ja, das Feld ist leer.')).toEqual([]);
    expect(people('Max. Menge und Min. Menge, als Anh. senden')).toEqual([]);
    expect(people('Sean hat das Feld Buchungsdatum gewählt.')).toEqual(['Sean']);
  });
});
