// The fictional brand's catalogue from fixtures/brand (read once).
import fs from 'node:fs';
import { fromRoot } from '../platform/paths.js';

export type Product = {
  sku: string;
  name: string;
  category: string;
  price: number;
  attributes: Record<string, unknown>;
  blurb: string;
};
export type Catalogue = { products: Product[]; byCategory: Record<string, Product[]> };

let cached: Catalogue | null = null;

export function loadCatalogue(): Catalogue {
  if (cached) return cached;
  const { products } = JSON.parse(
    fs.readFileSync(fromRoot('fixtures', 'brand', 'catalogue.json'), 'utf8'),
  ) as { products: Product[] };
  const byCategory: Record<string, Product[]> = {};
  for (const p of products) (byCategory[p.category] ??= []).push(p);
  cached = { products, byCategory };
  return cached;
}
