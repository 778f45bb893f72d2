import { emptyDateOrderEvidence, judgeDateOrder, readDateOrderOf, type DateOrderGuess } from '../normalize/parse-date.js';

/** Date values read before an order is settled; later values that contradict it are warned about one by one. */
export const DECISION_WINDOW = 1000;

/** Per batch and column: non-empty values, then values read only day-first, only month-first, either way, year-first. */
const VALUES = 0;
const DMY = 1;
const MDY = 2;
const AMBIGUOUS = 3;
const YEAR_FIRST = 4;
const COUNTS = 5;

interface FirstValue {
  value: string;
  /** The data row it was in, counted from 0. */
  row: number;
}

interface ColumnFirsts {
  dmy: FirstValue | null;
  mdy: FirstValue | null;
  ambiguous: FirstValue | null;
}

/**
 * What the day/month decision needs from some columns of a file, kept batch
 * by batch as the file is read (one batch per chunk read, as `openCsv` yields
 * them), without keeping the values: per column and batch, how many values
 * read which way, and each column's first value of each reading. Enough to
 * replay, for any set of these columns chosen later (once the mapping is
 * known), what reading those columns' values in file order would conclude
 * (`DateOrderScan`). Pure.
 */
export class DateEvidence {
  /** Per column: COUNTS numbers per batch, batch after batch. */
  private readonly counts: number[][];
  private readonly firsts: ColumnFirsts[];
  /** Data rows read when each batch ended. */
  private readonly batchEnds: number[] = [];
  /** Data rows read so far. */
  rows = 0;
  /** Set when every batch up to the end of the file was added. */
  complete = false;

  /** `columns`: the header positions to keep evidence for. */
  constructor(readonly columns: readonly number[]) {
    this.counts = columns.map(() => []);
    this.firsts = columns.map(() => ({ dmy: null, mdy: null, ambiguous: null }));
  }

  get batches(): number {
    return this.batchEnds.length;
  }

  /** Counts one batch of records (cells trimmed; empty cells are not values). */
  addBatch(records: readonly { cells: readonly string[] }[]): void {
    const columns = this.columns;
    const start = this.rows;
    const tallies = columns.map(() => new Array<number>(COUNTS).fill(0));
    for (let r = 0; r < records.length; r++) {
      const cells = records[r]!.cells;
      for (let c = 0; c < columns.length; c++) {
        const cell = cells[columns[c]!]?.trim();
        if (!cell) continue;
        const tally = tallies[c]!;
        tally[VALUES]! += 1;
        const reading = readDateOrderOf(cell);
        if (reading === null) continue;
        if (reading === 'year-first') {
          tally[YEAR_FIRST]! += 1;
          continue;
        }
        tally[reading === 'dmy' ? DMY : reading === 'mdy' ? MDY : AMBIGUOUS]! += 1;
        const firsts = this.firsts[c]!;
        firsts[reading] ??= { value: cell, row: start + r };
      }
    }
    for (let c = 0; c < columns.length; c++) this.counts[c]!.push(...tallies[c]!);
    this.rows += records.length;
    this.batchEnds.push(this.rows);
  }

  /** The fewest non-empty values any column has had so far. */
  fewestValues(): number {
    let fewest = Infinity;
    for (const counts of this.counts) {
      let values = 0;
      for (let i = VALUES; i < counts.length; i += COUNTS) values += counts[i]!;
      fewest = Math.min(fewest, values);
    }
    return fewest === Infinity ? 0 : fewest;
  }

  /** A scan of the columns at these header positions (each one of `columns`), in this order. */
  scan(positions: readonly number[]): DateOrderScan {
    const picked = positions.map((position) => {
      const at = this.columns.indexOf(position);
      if (at === -1) throw new Error(`column ${position} has no date evidence`);
      return at;
    });
    return new DateOrderScan(this, picked);
  }

  /** For DateOrderScan: what the evidence holds, read without copying. */
  countsOf(column: number, batch: number, what: number): number {
    return this.counts[column]![batch * COUNTS + what]!;
  }

  /** For DateOrderScan: what the evidence holds, read without copying. */
  firstsOf(column: number): ColumnFirsts {
    return this.firsts[column]!;
  }

  /** For DateOrderScan: what the evidence holds, read without copying. */
  rowsAfter(batch: number): number {
    return this.batchEnds[batch]!;
  }
}

/**
 * Reads some columns' evidence batch by batch, as a scan of their values in
 * file order (row by row, the columns of a row in the order given) would, and
 * stops where that scan stops: at values that contradict each other, or once
 * an order rests on DECISION_WINDOW values.
 */
export class DateOrderScan {
  private readonly sums = new Array<number>(COUNTS).fill(0);
  private next = 0;
  guess: DateOrderGuess = { order: null, evidence: 'no dates to judge by' };
  /** Set when the scan would stop here: values that contradict each other, or an order on enough values. */
  settled = false;

  constructor(
    private readonly evidence: DateEvidence,
    private readonly columns: readonly number[],
  ) {}

  /** Non-empty values read so far. */
  get values(): number {
    return this.sums[VALUES]!;
  }

  /** Reads on through the batches counted so far, stopping where a scan of the values would. */
  advance(): void {
    while (!this.settled && this.next < this.evidence.batches) {
      const batch = this.next++;
      for (const column of this.columns) for (let what = 0; what < COUNTS; what++) this.sums[what]! += this.evidence.countsOf(column, batch, what);
      this.guess = judgeDateOrder(this.evidenceUpTo(this.evidence.rowsAfter(batch)));
      // Contradictions are final; a decision is final once it rests on a fair window of values.
      this.settled = /conflict/i.test(this.guess.evidence) || (this.guess.order !== null && this.values >= DECISION_WINDOW);
    }
  }

  /** Settled, or every batch of the file was read. */
  get finished(): boolean {
    return this.settled || (this.evidence.complete && this.next === this.evidence.batches);
  }

  private evidenceUpTo(rows: number) {
    const first = (reading: keyof ColumnFirsts): string | null => {
      let best: FirstValue | null = null;
      for (const column of this.columns) {
        const candidate = this.evidence.firstsOf(column)[reading];
        // Ties (one row) go to the column listed first: a scan reads a row's columns in that order.
        if (candidate !== null && candidate.row < rows && (best === null || candidate.row < best.row)) best = candidate;
      }
      return best?.value ?? null;
    };
    return {
      ...emptyDateOrderEvidence(),
      dmy: this.sums[DMY]!,
      mdy: this.sums[MDY]!,
      ambiguous: this.sums[AMBIGUOUS]!,
      yearFirst: this.sums[YEAR_FIRST]!,
      firstDmy: first('dmy'),
      firstMdy: first('mdy'),
      firstAmbiguous: first('ambiguous'),
    };
  }
}
