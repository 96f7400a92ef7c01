import type { OpenAPIV3 } from 'openapi-types';
import type { Rng } from './rng.js';
import { HUGE_NUMBERS, NEGATIVE_OR_ZERO, UNICODE_SAMPLES } from './samples.js';
import { Raw, type Schema, type Value } from './values.js';

/** One place in a generated value that a mutation may replace or remove. */
export interface Slot {
  schema: Schema;
  get(): Value;
  set(value: Value): void;
  /** Removes the value (a property, an array item), when it can be removed. */
  remove?(): void;
  required: boolean;
  name: string | undefined;
}

/** Every slot of `holder.value`, root first. */
export function slotsOf(holder: { value: Value }, schema: Schema, name?: string): Slot[] {
  const out: Slot[] = [];
  const visit = (slot: Slot, depth: number) => {
    out.push(slot);
    const value = slot.get();
    if (depth > 6 || value === null || typeof value !== 'object' || value instanceof Raw) return;
    const s = slot.schema;
    if (Array.isArray(value)) {
      const items = ((s as OpenAPIV3.ArraySchemaObject).items ?? {}) as Schema;
      value.forEach((_item, i) => {
        visit(
          {
            schema: items,
            get: () => value[i] as Value,
            set: (v) => {
              value[i] = v;
            },
            remove: () => {
              value.splice(i, 1);
            },
            required: false,
            name: slot.name,
          },
          depth + 1,
        );
      });
      return;
    }
    const required = new Set(s.required ?? []);
    for (const key of Object.keys(value)) {
      visit(
        {
          schema: (s.properties?.[key] ?? {}) as Schema,
          get: () => value[key] as Value,
          set: (v) => {
            value[key] = v;
          },
          remove: () => {
            delete value[key];
          },
          required: required.has(key),
          name: key,
        },
        depth + 1,
      );
    }
  };
  visit(
    {
      schema,
      get: () => holder.value,
      set: (v) => {
        holder.value = v;
      },
      required: true,
      name,
    },
    0,
  );
  return out;
}

export type ValueMutation =
  | 'wrong-type'
  | 'missing'
  | 'extra'
  | 'huge-string'
  | 'huge-number'
  | 'unicode'
  | 'negative-zero'
  | 'boundary'
  | 'null';

function typeOf(value: Value): string {
  if (value === null) return 'null';
  if (value instanceof Raw) return 'number';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function otherType(value: Value, rng: Rng): Value {
  const candidates: Value[] = [
    'a string',
    '123',
    '',
    'true',
    42,
    -7,
    3.25,
    true,
    false,
    [],
    [1, 'two', null],
    {},
    { nested: { deeper: [1] } },
  ];
  const current = typeOf(value);
  return rng.pick(candidates.filter((c) => typeOf(c) !== current));
}

export function hugeString(rng: Rng): string {
  const length = rng.weighted({ 300: 4, 5000: 4, 70000: 2, 1100000: 1 });
  const unit = rng.pick(['x', 'é', '😀', '\u0000', 'ab ', '%']);
  return unit.repeat(Math.ceil(Number(length) / unit.length));
}

/** Applies one mutation at one random suitable slot; returns a description, or undefined if none applied. */
export function mutate(holder: { value: Value }, schema: Schema, kind: ValueMutation, rng: Rng, name?: string): string | undefined {
  const slots = slotsOf(holder, schema, name);
  const where = (slot: Slot) => slot.name ?? 'root';
  const pickSlot = (filter: (slot: Slot) => boolean): Slot | undefined => {
    const fitting = slots.filter(filter);
    return fitting.length > 0 ? rng.pick(fitting) : undefined;
  };
  const isType = (slot: Slot, ...types: string[]) => types.includes(String(slot.schema.type)) || types.includes(typeOf(slot.get()));
  switch (kind) {
    case 'wrong-type': {
      const slot = rng.pick(slots);
      slot.set(otherType(slot.get(), rng));
      return `wrong type at ${where(slot)}`;
    }
    case 'null': {
      const slot = rng.pick(slots);
      slot.set(null);
      return `null at ${where(slot)}`;
    }
    case 'missing': {
      const slot = pickSlot((s) => s.required && s.remove !== undefined) ?? pickSlot((s) => s.remove !== undefined);
      if (!slot?.remove) return undefined;
      slot.remove();
      return `removed ${where(slot)}`;
    }
    case 'extra': {
      const slot = pickSlot((s) => typeOf(s.get()) === 'object');
      if (!slot) return undefined;
      const target = slot.get() as Record<string, Value>;
      const count = rng.chance(0.1) ? 500 : rng.int(1, 3);
      for (let i = 0; i < count; i++) {
        target[rng.pick(['extra', 'isAdmin', 'id', 'role', 'bbt_tokens', 'owner', `x${i}`, 'balance'])] = rng.pick<Value>([
          1,
          'x',
          true,
          null,
          { a: 1 },
          [1],
          1e308,
        ]);
      }
      return `extra field(s) at ${where(slot)}`;
    }
    case 'huge-string': {
      const slot = pickSlot((s) => isType(s, 'string')) ?? rng.pick(slots);
      slot.set(hugeString(rng));
      return `huge string at ${where(slot)}`;
    }
    case 'huge-number': {
      const slot = pickSlot((s) => isType(s, 'integer', 'number')) ?? rng.pick(slots);
      slot.set(rng.pick(HUGE_NUMBERS));
      return `huge number at ${where(slot)}`;
    }
    case 'unicode': {
      const slot = pickSlot((s) => isType(s, 'string')) ?? rng.pick(slots);
      const sample = rng.pick(UNICODE_SAMPLES);
      const current = slot.get();
      slot.set(rng.chance(0.5) && typeof current === 'string' ? `${current}${sample}` : sample);
      return `unicode at ${where(slot)}`;
    }
    case 'negative-zero': {
      const slot = pickSlot((s) => isType(s, 'integer', 'number')) ?? rng.pick(slots);
      const current = slot.get();
      if (typeof current === 'string') slot.set(rng.pick(['', '0', '-1', '-0']));
      else if (Array.isArray(current)) slot.set([]);
      else slot.set(rng.pick(NEGATIVE_OR_ZERO));
      return `negative/zero at ${where(slot)}`;
    }
    case 'boundary': {
      const slot = rng.pick(slots);
      const s = slot.schema;
      const current = slot.get();
      if (s.minimum !== undefined || s.maximum !== undefined) {
        const options = [
          s.minimum,
          s.maximum,
          s.minimum !== undefined ? s.minimum - 1 : undefined,
          s.maximum !== undefined ? s.maximum + 1 : undefined,
        ];
        slot.set(rng.pick(options.filter((o): o is number => o !== undefined)));
      } else if (s.maxLength !== undefined || s.minLength !== undefined || typeof current === 'string') {
        const lengths = [s.minLength, s.maxLength, s.minLength !== undefined ? s.minLength - 1 : undefined, (s.maxLength ?? 64) + 1];
        const length = Math.max(0, rng.pick(lengths.filter((l): l is number => l !== undefined)));
        slot.set('b'.repeat(length));
      } else if (Array.isArray(current)) {
        const item = current[0] ?? 1;
        slot.set(Array.from({ length: (s.maxItems ?? 100) + 1 }, () => item));
      } else {
        slot.set(otherType(current, rng));
      }
      return `boundary at ${where(slot)}`;
    }
  }
}
