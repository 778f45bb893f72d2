const D = require('better-sqlite3-multiple-ciphers');
const fs = require('fs');
const db = new D('/tmp/fit1m.db', { readonly: true });
db.pragma('cache_size = -32768');
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f, 'utf8').split('\n').filter(l => !l.startsWith('.') && !l.startsWith('--') && !l.startsWith('pragma')).join('\n');
  for (const q of text.split(';').map(s => s.trim()).filter(Boolean)) {
    const t = process.hrtime.bigint();
    const r = db.prepare(q).raw().all();
    console.log(f, (Number(process.hrtime.bigint() - t) / 1e9).toFixed(2), 's', JSON.stringify(r[0]).slice(0, 80));
  }
}
