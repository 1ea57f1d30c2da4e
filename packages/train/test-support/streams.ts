// Iterator helpers for the data tests.

/** The first n items; a stream that ends sooner is an error (every stream taken from here is endless). */
export function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = it.next();
    if (r.done) throw new Error(`the stream ended after ${i} of ${n} items`);
    out.push(r.value);
  }
  return out;
}
