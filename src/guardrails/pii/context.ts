// Context words near a match move borderline scores up (a label says what the number is) or down.

/** True when one of the words occurs within `window` characters before (or just after) the span. */
export function near(text: string, start: number, end: number, words: RegExp, window = 48): boolean {
  const before = text.slice(Math.max(0, start - window), start);
  const after = text.slice(end, end + 16);
  return words.test(before) || words.test(after);
}

export const CONTEXT = {
  card: /\b(card|credit|debit|visa|master ?card|amex|american express|kreditkarte|karte|cc|zahlung|payment|pay)\b/i,
  notCard:
    /\b(order|invoice|tracking|shipment|reference|ref|sku|ean|isbn|bestell\w*|auftrag\w*|rechnung\w*|sendung\w*|kunden ?nr|customer (no|number)|account (no|number)|konto)\b/i,
  phone:
    /\b(phone|tel|telephone|call|mobile|cell|fax|whatsapp|sms|telefon|handy|mobil|ruf|rückruf|anrufen|nummer|number|contact)\b/i,
  ssn: /\b(ssn|social security|soc sec|ss#|social)\b/i,
  taxId: /\b(steuer[- ]?id\w*|idnr|identifikationsnummer|steueridentifikationsnummer|tax ?id|tin)\b/i,
  dob: /\b(born|birth|dob|d\.o\.b|birthday|geboren|geburtsdatum|geburtstag|geb\.)/i,
  nino: /\b(national insurance|nino|ni number|ni no)\b/i,
};
