/**
 * The report's only stylesheet, inline: the system's own fonts (nothing to fetch), light
 * colours on white, and for print an A4 page where each report starts a page, a chart or a
 * heading is never split from what follows, and a chart wider than the page is scaled to it.
 */
export const REPORT_STYLE = `
:root { color-scheme: light; }
body {
  margin: 2rem auto; padding: 0 1rem; max-width: 760px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.45; color: #1b1b1b; background: #fff;
}
header p { margin: 0.2rem 0; color: #555; }
h1 { font-size: 1.6rem; margin: 0 0 0.3rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
article + article { margin-top: 3rem; border-top: 2px solid #bbb; padding-top: 1.5rem; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.6rem; margin: 0; }
dl.figures div { border: 1px solid #ddd; border-radius: 4px; padding: 0.5rem 0.7rem; }
dl.figures dt { font-size: 0.85rem; color: #555; }
dl.figures dd { margin: 0; font-size: 1.3rem; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 0.8rem; }
figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { padding: 0.25rem 0.5rem; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { border-bottom: 1px solid #999; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
td.number, td.date { white-space: nowrap; }
p.empty { color: #555; font-style: italic; }
footer { margin-top: 2.5rem; font-size: 0.8rem; color: #666; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 11pt; }
  article + article { break-before: page; border-top: none; margin-top: 0; padding-top: 0; }
  h2 { break-after: avoid; }
  figure, dl.figures, tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
`;
