// Letter classes for the recognizers' patterns, written out for Latin, Greek and Cyrillic script: patterns
// with the u flag (\p{Lu}, \p{L}) run several times slower in V8, and every pattern runs over every text.

/** Upper-case letters (character-class content): ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic. */
export const UPPER =
  'A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽΆΈ-ΊΌΎ-ΏΑ-ΡΣ-ΫЀ-Я';
/** Lower-case letters (character-class content), the same scripts. */
export const LOWER = 'a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķĸĺļľŀłńņňŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžſά-ώа-џ';
/** Any letter (character-class content). */
export const LETTER = `${UPPER}${LOWER}`;
