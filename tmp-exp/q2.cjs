const D = require('better-sqlite3-multiple-ciphers');
const fs = require('fs');
const db = new D('/tmp/fit1m.db', { readonly: true });
db.pragma('cache_size = -32768');
const text = fs.readFileSync('/tmp/q12.sql', 'utf8').split('\n').filter(l => !l.startsWith('.') && !l.startsWith('--') && !l.startsWith('pragma')).join('\n');
let q = text.split(';').map(s => s.trim()).filter(Boolean)[0];
q = q.replace(/^SELECT count\(\*\), sum\(occ\), sum\(rm\), sum\(length\(last\)\) FROM \(/, '').replace(/\)$/, '');
for (const mode of ['all-raw', 'iterate-obj', 'iterate-raw']) {
  const t = process.hrtime.bigint(); let n = 0;
  const st = db.prepare(q);
  if (mode === 'all-raw') n = st.raw().all().length;
  else if (mode === 'iterate-obj') for (const r of st.iterate()) n++;
  else for (const r of st.raw().iterate()) n++;
  console.log(mode, n, (Number(process.hrtime.bigint() - t) / 1e9).toFixed(2), 's');
}
