import * as arrow from 'apache-arrow';
import type { StringTable } from './arrow-columns.js';
import { boolData, float64Data, int64Data, stringTable, tableOf, utf8DataFromCodes } from './arrow-columns.js';
import { COUNTRIES } from './countries.js';
import type { TransactionColumns } from './generate-transactions.js';
import { generateTransactions } from './generate-transactions.js';
import { merchantNames } from './merchant-names.js';
import type { TransactionOptions } from './transaction-options.js';
import { transactionOptions } from './transaction-options.js';

/**
 * Rows [begin, end) of generated transactions as an Arrow table with the benchmark schema:
 * event_time timestamp[ms, UTC], card_id int64, merchant_id utf8, amount float64,
 * country utf8, is_online bool.
 */
export function transactionTable(c: TransactionColumns, begin = 0, end = c.rows): arrow.Table {
  const merchants = merchantTable(maxPlusOne(c.merchantIdx));
  return tableOf(
    {
      event_time: int64Data(new arrow.Timestamp(arrow.TimeUnit.MILLISECOND, 'UTC'), c.eventTimeMs, begin, end),
      card_id: int64Data(new arrow.Int64(), c.cardId, begin, end),
      merchant_id: utf8DataFromCodes(merchants, c.merchantIdx, begin, end),
      amount: float64Data(c.amount, begin, end),
      country: utf8DataFromCodes(countryTable(), c.countryIdx, begin, end),
      is_online: boolData(c.isOnline, begin, end),
    },
    end - begin,
  );
}

/**
 * Generates `rows` transactions in memory and returns them as one Arrow table (the same rows
 * the files of a dataset with the same options hold, in the same order).
 */
export function generateTransactionTable(given: Partial<TransactionOptions> & { readonly rows: number }): arrow.Table {
  return transactionTable(generateTransactions(transactionOptions(given)));
}

let cachedMerchants: { count: number; table: StringTable } | null = null;
let cachedCountries: StringTable | null = null;

/** The merchant names' string table, built once per count (a dataset of many small files reuses it). */
function merchantTable(count: number): StringTable {
  if (cachedMerchants === null || cachedMerchants.count !== count) cachedMerchants = { count, table: stringTable(merchantNames(count)) };
  return cachedMerchants.table;
}

function countryTable(): StringTable {
  cachedCountries ??= stringTable(COUNTRIES);
  return cachedCountries;
}

function maxPlusOne(codes: Int32Array): number {
  let m = -1;
  for (let i = 0; i < codes.length; i++) if ((codes[i] as number) > m) m = codes[i] as number;
  return m + 1;
}
