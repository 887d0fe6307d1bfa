/**
 * The numbers behind a picture, as a table that screen readers read and sighted readers never
 * see (class fig-sr-only, book.css): a figure's text alternative where its chart shows numbers.
 * The first cell of each row heads that row.
 */
export interface DataTableProps {
  /** What the table holds, e.g. "Loss against training step". */
  caption: string;
  columns: string[];
  /** Cells already formatted. */
  rows: string[][];
}

export function DataTable({ caption, columns, rows }: DataTableProps) {
  return (
    // The wrapper is what hides it: a table is as wide as its content whatever its CSS width, so
    // a hidden wide table would still make the page scroll sideways.
    <div class="fig-sr-only">
      <table data-role="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>{r.map((v, j) => (j === 0 ? <th scope="row">{v}</th> : <td>{v}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** At most `n` indices out of `length`, evenly spaced, always the first and the last. */
export function sampleIndices(length: number, n: number): number[] {
  if (length <= n) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: n }, (_, k) => Math.round((k * (length - 1)) / (n - 1)));
}
