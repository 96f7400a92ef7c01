import type { OpenAPIV3 } from 'openapi-types';
import { operationsOf } from './requests.js';
import type { Value } from './values.js';

/** Every parameter and body property name of the document: response fields by these names feed the pools. */
export function inputNames(doc: OpenAPIV3.Document): Set<string> {
  const names = new Set(['id', 'sku']);
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    const record = node as Record<string, unknown>;
    if (record.properties && typeof record.properties === 'object') for (const key of Object.keys(record.properties)) names.add(key);
    for (const value of Object.values(record)) walk(value);
  };
  for (const operation of operationsOf(doc)) {
    for (const p of (operation.op.parameters ?? []) as OpenAPIV3.ParameterObject[]) names.add(p.name);
    walk(operation.op.requestBody);
  }
  return names;
}

const ALIASES: Record<string, string> = {
  item_sku: 'sku',
  player_id: 'id',
  trainerA: 'id',
  trainerB: 'id',
  owner: 'id',
  pokemonA: 'id',
  pokemonB: 'id',
};

/** Values no response reveals and no schema keyword describes (never contacted: see noCorrectAuth). */
const HINTS: Record<string, Record<string, Value[]>> = {
  exchange: { base_url: ['http://127.0.0.1:9/shop'] },
};

/** Known-good values (ids, skus, ticket numbers) seen in successful responses, per service and field name. */
export function createPools(names: Set<string>) {
  const pools = new Map<string, Map<string, Value[]>>();
  const add = (service: string, key: string, value: Value) => {
    const byName = pools.get(service) ?? new Map<string, Value[]>();
    pools.set(service, byName);
    const list = byName.get(key) ?? [];
    if (list.includes(value)) return;
    list.push(value);
    if (list.length > 100) list.shift();
    byName.set(key, list);
  };
  const harvest = (service: string, node: unknown, depth = 0): void => {
    if (depth > 5 || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node.slice(0, 30)) harvest(service, item, depth + 1);
      return;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      // Objects keyed by id ({ "17": { name… } }) name their ids in the keys.
      if (/^\d{1,15}$/.test(key)) add(service, 'id', Number(key));
      if (names.has(key) && (typeof value === 'number' || (typeof value === 'string' && value.length <= 100))) add(service, key, value);
      else harvest(service, value, depth + 1);
    }
  };
  const lookup =
    (service: string) =>
    (name: string | undefined): Value[] | undefined => {
      const byName = pools.get(service);
      if (!byName || !name) return undefined;
      const alias = ALIASES[name] ?? (/(_id|Id)$/.test(name) ? 'id' : undefined);
      return byName.get(name) ?? (alias ? byName.get(alias) : undefined);
    };
  for (const [service, byName] of Object.entries(HINTS))
    for (const [key, values] of Object.entries(byName)) for (const v of values) add(service, key, v);
  return { harvest, lookup };
}
