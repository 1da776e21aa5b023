/** The stocks of a market being created: one editable row per stock, each cell with its own error. */
import { For } from "solid-js";
import type { SetStoreFunction } from "solid-js/store";
import type { SymbolRow } from "../../lib/marketForm";
import { FieldError } from "../FormError";

export function StockRowsEditor(props: {
  rows: SymbolRow[];
  setRows: SetStoreFunction<SymbolRow[]>;
  error: (key: string) => string | undefined;
  /** Told when a stock is removed (the news script drops its moves on it). */
  onRemove?: (symbol: string) => void;
  /** The sign of the currency the form's market uses ("$", "₹"), for the price column. */
  currency?: string;
}) {
  return (
    <div class="table-wrap">
      <table class="table edit-table" aria-label="Stocks">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Name</th>
            <th scope="col">Price {props.currency ?? "$"}</th>
            <th scope="col">Vol. %/10 min</th>
            <th scope="col">Liquidity</th>
            <th scope="col">Sector</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(r, i) => {
              const cell = (k: string) => props.error(`symbols.${i()}.${k}`);
              return (
                <tr>
                  <td>
                    <input
                      aria-label={`Symbol ${i() + 1}`}
                      value={r.symbol}
                      maxlength={8}
                      class="mono"
                      aria-invalid={!!cell("symbol")}
                      onInput={(e) => props.setRows(i(), "symbol", e.currentTarget.value.toUpperCase())}
                    />
                    <FieldError message={cell("symbol")} />
                  </td>
                  <td>
                    <input
                      aria-label={`Name of stock ${i() + 1}`}
                      value={r.name}
                      maxlength={64}
                      aria-invalid={!!cell("name")}
                      onInput={(e) => props.setRows(i(), "name", e.currentTarget.value)}
                    />
                    <FieldError message={cell("name")} />
                  </td>
                  <td>
                    <input
                      aria-label={`Price of stock ${i() + 1}`}
                      type="number"
                      inputmode="decimal"
                      step="0.01"
                      min="0.01"
                      max="10000000000"
                      value={r.price}
                      aria-invalid={!!cell("price")}
                      onInput={(e) => props.setRows(i(), "price", e.currentTarget.value)}
                    />
                    <FieldError message={cell("price")} />
                  </td>
                  <td>
                    <input
                      aria-label={`Volatility of stock ${i() + 1}`}
                      type="number"
                      inputmode="decimal"
                      step="any"
                      min="0"
                      max="200"
                      value={r.volatility}
                      aria-invalid={!!cell("volatility")}
                      onInput={(e) => props.setRows(i(), "volatility", e.currentTarget.value)}
                    />
                    <FieldError message={cell("volatility")} />
                  </td>
                  <td>
                    <input
                      aria-label={`Liquidity of stock ${i() + 1}`}
                      type="number"
                      inputmode="numeric"
                      step="any"
                      min="1"
                      max="1000000000000"
                      value={r.liquidity}
                      aria-invalid={!!cell("liquidity")}
                      onInput={(e) => props.setRows(i(), "liquidity", e.currentTarget.value)}
                    />
                    <FieldError message={cell("liquidity")} />
                  </td>
                  <td>
                    <input
                      aria-label={`Sector of stock ${i() + 1}`}
                      value={r.sector}
                      maxlength={32}
                      aria-invalid={!!cell("sector")}
                      onInput={(e) => props.setRows(i(), "sector", e.currentTarget.value)}
                    />
                    <FieldError message={cell("sector")} />
                  </td>
                  <td>
                    <button
                      type="button"
                      class="btn btn-small"
                      aria-label={`Remove stock ${r.symbol || i() + 1}`}
                      onClick={() => {
                        const symbol = r.symbol;
                        props.setRows((list) => list.filter((_, j) => j !== i()));
                        props.onRemove?.(symbol);
                      }}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
  );
}
