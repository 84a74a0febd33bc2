// The blocks a report is written in: sections, prose, key-figure cards, call-outs, tables and
// figures. A report's render function fills a ReportDocument; the page template wraps it.
import { html, type SafeHtml } from './html.js';
import { dataTable, renderFigure, type Column, type FigureSpec } from './figure.js';

export type Tone = 'neutral' | 'good' | 'bad' | 'warn' | 'info';
export type Card = { label: string; value: string; note?: string; tone?: Tone };

export class ReportDocument {
  readonly blocks: SafeHtml[] = [];
  readonly figureIds = new Set<string>();

  section(title: string, intro?: string): this {
    this.blocks.push(html`<h2>${title}</h2>${intro ? html`<p>${intro}</p>` : ''}`);
    return this;
  }

  paragraph(text: string): this {
    this.blocks.push(html`<p>${text}</p>`);
    return this;
  }

  list(items: string[]): this {
    this.blocks.push(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`);
    return this;
  }

  cards(cards: Card[]): this {
    this.blocks.push(
      html`<div class="cards">${cards.map((c) => html`<div class="card tone-${c.tone ?? 'neutral'}"><div class="card-label">${c.label}</div><div class="card-value">${c.value}</div>${c.note ? html`<div class="card-note">${c.note}</div>` : ''}</div>`)}</div>`,
    );
    return this;
  }

  callout(tone: Tone, title: string, text: string): this {
    this.blocks.push(
      html`<aside class="callout tone-${tone}" role="note"><strong>${title}</strong> ${text}</aside>`,
    );
    return this;
  }

  table<T>(caption: string, rows: readonly T[], columns: Column<T>[]): this {
    this.blocks.push(html`<div class="table-wrap">${dataTable(rows, columns, caption)}</div>`);
    return this;
  }

  figure<T>(spec: FigureSpec<T>): this {
    if (this.figureIds.has(spec.id)) throw new Error(`figure id "${spec.id}" is used twice in one report`);
    this.figureIds.add(spec.id);
    this.blocks.push(renderFigure(spec));
    return this;
  }
}
