// A request's logger, made only when something logs through it. pino's child() serialises its
// bindings (and runs redaction over them) at once, about 20 µs; most requests log nothing above the
// level (the access log line is info), so each request carries this stand-in instead, and child()
// on it only gathers bindings. The first call of anything else makes the one real child with every
// binding gathered, in order, and hands that call on to it.
import type { Logger } from '../log.js';

type Bindings = Record<string, unknown>;

export function lazyChild(parent: Logger, bindings: Bindings): Logger {
  let real: Logger | undefined;
  const target = {} as Logger;
  return new Proxy(target, {
    get(_t, prop) {
      if (!real && prop === 'child')
        return (more: Bindings, options?: unknown) =>
          options === undefined
            ? lazyChild(parent, { ...bindings, ...more })
            : parent.child({ ...bindings, ...more }, options as Parameters<Logger['child']>[1]);
      real ??= parent.child(bindings);
      const value: unknown = Reflect.get(real, prop, real);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(real) : value;
    },
    set(_t, prop, value) {
      real ??= parent.child(bindings);
      return Reflect.set(real, prop, value, real);
    },
    has(_t, prop) {
      real ??= parent.child(bindings);
      return prop in real;
    },
  });
}
