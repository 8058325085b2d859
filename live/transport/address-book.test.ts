// The address book keeps endpoints in one canonical "host:port" form (so two spellings of one
// endpoint share a connection) and refuses entries that are not endpoints, saying which entry.

import test from "ava";
import { ErrorCode, SsmsError } from "../../engine/io/errors.ts";
import { AddressBook, endpointFormat, endpointParse } from "./address-book.ts";

test("endpoints parse and format back, IPv6 in brackets", (t) => {
  for (const text of ["127.0.0.1:7001", "localhost:1", "node-3.cluster.internal:65535", "[::1]:7001"]) {
    const parsed = endpointParse(text);
    t.true(parsed.ok, text);
    if (parsed.ok) t.is(endpointFormat(parsed.value), text);
  }
  for (const text of ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "::1:7001", "a b:1", ":7001", "host:port"]) {
    t.false(endpointParse(text).ok, text);
  }
});

test("the book maps addresses to canonical endpoints and can be changed at run time", (t) => {
  const book = new AddressBook({ "darq:n1": "127.0.0.1:7001" });
  book.set("compute:n1", { host: "127.0.0.1", port: 7001 });
  t.is(book.get("darq:n1"), book.get("compute:n1"));
  book.set("darq:n1", "[::1]:7002");
  t.is(book.get("darq:n1"), "[::1]:7002");
  t.true(book.delete("compute:n1"));
  t.is(book.get("compute:n1"), undefined);
  t.deepEqual(book.entries(), [["darq:n1", "[::1]:7002"]]);
});

test("a bad entry is refused with the address it was for", (t) => {
  const error = t.throws(() => new AddressBook({ "darq:n9": "nowhere" }));
  t.true(error instanceof SsmsError && error.code === ErrorCode.argumentInvalid);
  t.regex(error!.message, /'darq:n9'.*host:port/);
  t.throws(() => new AddressBook().set("", "127.0.0.1:1"), { message: /must not be empty/ });
});
