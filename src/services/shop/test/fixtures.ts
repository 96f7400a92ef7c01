import type { TestApp } from '../../../../test/harness.js';

export const KEY = 'test-shop-key-0123456789';
export const ENV = { SHOP_API_KEY: KEY, SHOP_STRATEGY: 'baseline' };

export function client(t: TestApp) {
  return async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, key: string | null = KEY) => {
    const headers: Record<string, string> = {};
    if (key !== null) headers.access_token = key;
    const res = await t.app.inject({
      method,
      url: `/shop${url}`,
      headers,
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return {
      status: res.statusCode,
      body: res.body ? (JSON.parse(res.body) as unknown) : undefined,
      json: <T>() => JSON.parse(res.body) as T,
    };
  };
}

export const barrel = (sku: string, ml: number, type: number[], price: number, quantity = 1) => ({
  sku,
  ml_per_barrel: ml,
  potion_type: type,
  price,
  quantity,
});

export const warrior = { customer_id: 'c1', customer_name: 'Brunhild', character_class: 'Warrior', character_species: 'Jötnar', level: 7 };
export const oldShapeCustomer = { customer_name: 'Old Tom', character_class: 'Seer', level: 3 };
