/** Rows per page when a store function streams a table in id order. */
export const PAGE_ROWS = 10_000;

/**
 * Streams a query's rows a page at a time in id order, each page starting
 * after the last id of the one before (an index range, however large the
 * table): memory stays flat and every dialect can run it.
 * @example for await (const page of pagesById((after, limit) => readPage(after, limit), (row) => row.id)) …
 */
export async function* pagesById<Row>(
  readPage: (afterId: number, limit: number) => Promise<Row[]>,
  idOf: (row: Row) => number,
  options: { afterId?: number; pageRows?: number } = {},
): AsyncGenerator<Row[]> {
  const limit = options.pageRows ?? PAGE_ROWS;
  let afterId = options.afterId ?? 0;
  for (;;) {
    const page = await readPage(afterId, limit);
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    afterId = idOf(page[page.length - 1]!);
  }
}
