import { writeFileSync } from 'node:fs';

const FIRST_NAMES = ['Jane', 'John', 'Ana', 'Li', 'Fatima', 'Olu', 'Marta', 'Sven', 'Priya', 'Tom'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ran', 'tes', 'vo', 'bri', 'del', 'gu', 'nor', 'pe', 'sha', 'tor', 'wen', 'zi', 'hal', 'fen', 'ost', 'ric', 'dan'];

/** A surname of its own for each number below 8,000 (Kalomi, Loran…), so no two people look alike to dedupe. */
function surname(n: number): string {
  const parts = [n % 20, Math.floor(n / 20) % 20, Math.floor(n / 400) % 20].map((i) => SYLLABLES[i]!);
  const name = parts.join('');
  return name[0]!.toUpperCase() + name.slice(1);
}

/**
 * Writes a customers CSV of `count` (at most 8,000) distinct people whose emails start with `prefix`
 * (so files with different prefixes share nobody: no phones, which could match across files), tagged `tag`
 * (a file with the same prefix and another tag updates the people it shares); returns the path.
 */
export function writeCustomerFile(file: string, prefix: string, count: number, tag = prefix): string {
  const lines = ['Email,First Name,Last Name,City,Tags'];
  for (let i = 0; i < count; i++) {
    lines.push(`${prefix}-${i}@example.com,${FIRST_NAMES[i % FIRST_NAMES.length]},${surname(i)},Springfield,${tag}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Writes `count` records of one person typed again and again (Katherine/Kathy Ashworth,
 * same birth date and address, a different email each time): `custdb dedupe` finds them
 * as exactly one group, which `dedupe --merge` merges in one transaction.
 */
export function writeLookAlikeFile(file: string, count: number): string {
  const lines = ['Email,First Name,Last Name,Birthday,Address,City,Zip,Country'];
  for (let i = 0; i < count; i++) {
    const first = i % 2 === 0 ? 'Katherine' : 'Kathy';
    lines.push(`${first.toLowerCase()}${i}@example.${i % 3 === 0 ? 'com' : 'org'},${first},Ashworth,1961-04-17,12 Main Street,Portland,97205,US`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Writes an orders CSV: order i belongs to `emails[i % emails.length]`. */
export function writeOrdersFile(file: string, emails: readonly string[], count: number): string {
  const lines = ['Order ID,Email,Total,Created At,Currency'];
  for (let i = 0; i < count; i++) lines.push(`O-${i},${emails[i % emails.length]},${(i % 97) + 1}.50,2025-0${1 + (i % 9)}-15,USD`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
