import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CustdbError } from '../../../src/errors.js';
import { runInWorkers, type BatchJob } from '../../../src/import/normalizer-pool.js';
import { packCells, unpackCells } from '../../../src/import/record-codec.js';

// Plain JavaScript workers (the compiled ones do not exist when vitest runs the TypeScript sources).
const WORKERS = {
  echo: `parentPort.on('message', ({ sequence, rows }) => setTimeout(() => parentPort.postMessage({ sequence, results: rows }), (sequence * 7) % 5));`,
  throws: `parentPort.on('message', ({ sequence, rows }) => { if (sequence === 3) throw new Error('worker broke on batch 3'); parentPort.postMessage({ sequence, results: rows }); });`,
  exits: `parentPort.on('message', ({ sequence, rows }) => { if (sequence === 2) process.exit(7); parentPort.postMessage({ sequence, results: rows }); });`,
  hoards: `const kept = []; parentPort.on('message', () => { for (let i = 0; ; i++) kept.push({ i, text: 'row ' + i + ' '.repeat(64) }); });`,
};

function workerFile(kind: keyof typeof WORKERS): URL {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'custdb-worker-')), `${kind}.mjs`);
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${WORKERS[kind]}\n`);
  return pathToFileURL(file);
}

function job(file: URL): BatchJob<string[][], string[][]> {
  return { file, workerData: null, inline: (rows) => rows, pack: packCells, unpack: unpackCells };
}

const batches = Array.from({ length: 20 }, (_, b) => Array.from({ length: 3 }, (_, r) => [`batch ${b}`, `row ${r}`, 'é😀']));

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function collect(file: URL, threads: number): Promise<string[][][]> {
  const results: string[][][] = [];
  for await (const { batch, result } of runInWorkers(fromArray(batches), job(file), { fileBytes: 10 * 1024 * 1024, threads })) {
    expect(result).toEqual(batch);
    results.push(result);
  }
  return results;
}

describe('runInWorkers', () => {
  it('answers every batch in input order, on one thread or several, as inline', async () => {
    const file = workerFile('echo');
    expect(await collect(file, 0)).toEqual(batches);
    expect(await collect(file, 1)).toEqual(batches);
    expect(await collect(file, 3)).toEqual(batches);
  });

  it('fails with the error of a worker that throws', async () => {
    await expect(collect(workerFile('throws'), 2)).rejects.toThrow('worker broke on batch 3');
  });

  it('fails with a message naming the way round when a worker runs out of memory, not as a bug', async () => {
    const failure = await collect(workerFile('hoards'), 1).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CustdbError);
    expect((failure as CustdbError).message).toMatch(/ran out of its \d+ MiB of memory; nothing was written/);
    expect((failure as CustdbError).hint).toMatch(/CUSTDB_IMPORT_THREADS=0/);
  }, 60_000);

  it('fails when a worker stops without answering', async () => {
    await expect(collect(workerFile('exits'), 1)).rejects.toThrow(/stopped \(exit code 7\)/);
  });
});
