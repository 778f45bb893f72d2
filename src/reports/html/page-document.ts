import { parseHTML } from 'linkedom';

/**
 * The part of a DOM the HTML report is built with. linkedom's own types lean on the browser's DOM
 * types, which this project does not load (they would resolve to `any`), so this names what is used.
 */
export interface PageElement {
  append(...children: PageElement[]): void;
  setAttribute(name: string, value: string): void;
  textContent: string | null;
}

export interface PageDocument {
  head: PageElement;
  body: PageElement;
  createElement(tag: string): PageElement;
  /** The whole page as HTML, every text and attribute escaped by the serializer. */
  toString(): string;
}

/** An empty English HTML page on the server (linkedom), for Plot to draw charts into. */
export function createPage(): PageDocument {
  return parseHTML('<!doctype html><html lang="en"><head></head><body></body></html>').document;
}
