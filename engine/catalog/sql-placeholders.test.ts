// Proves the `?` → `$n` rewrite numbers real placeholders only: `?` inside string literals,
// quoted identifiers and comments stays literal, and doubled quotes do not end a literal early.

import test from "ava";
import { sqlPlaceholdersNumbered } from "./sql-placeholders.ts";

test("placeholders are numbered from 1 in order", (t) => {
  t.is(sqlPlaceholdersNumbered("SELECT * FROM t WHERE a = ? AND b IN (?, ?)"),
    "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
});

test("question marks in literals, identifiers and comments are left alone", (t) => {
  t.is(sqlPlaceholdersNumbered(`SELECT '?', 'it''s ?', "col?" FROM t -- why?\nWHERE x = ? /* ? */ AND y = ?`),
    `SELECT '?', 'it''s ?', "col?" FROM t -- why?\nWHERE x = $1 /* ? */ AND y = $2`);
});

test("text without placeholders is unchanged", (t) => {
  t.is(sqlPlaceholdersNumbered("CREATE TABLE t (a TEXT)"), "CREATE TABLE t (a TEXT)");
});
