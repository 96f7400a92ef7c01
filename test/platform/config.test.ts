import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, envExample, loadConfig } from '../../src/platform/config.js';

describe('config', () => {
  it('runs on defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe('./data');
  });

  it('converts strings to the schema’s types', () => {
    const config = loadConfig({ PORT: '8080', WORK_IN_SERVE: 'false', EXCHANGE_TICK_SECONDS: '0.5' });
    expect(config.PORT).toBe(8080);
    expect(config.WORK_IN_SERVE).toBe(false);
    expect(config.EXCHANGE_TICK_SECONDS).toBe(0.5);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('lists every bad key at once, with the value and the rule', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SHOP_API_KEY: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split('=')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'SHOP_API_KEY']);
    expect((error as ConfigError).message).toContain('PORT="eighty"');
  });

  it('rejects out-of-range numbers', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('.env.example documents every key, exactly as the schema generates it', () => {
    const committed = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(committed).toBe(envExample());
    for (const key of Object.keys(ConfigSchema.properties)) expect(committed).toContain(`# ${key}=`);
  });
});

describe('generated secrets', () => {
  it('generates each unset secret, different per key, and records which were generated', () => {
    const config = loadConfig({ SHOP_API_KEY: 'a-key-the-operator-chose' });
    expect(config.SHOP_API_KEY).toBe('a-key-the-operator-chose');
    expect(config.generatedSecrets).toEqual(['EXCHANGE_ADMIN_KEY', 'HACKATHON_ADMIN_TOKEN', 'ARENA_API_KEY']);
    expect(config.ARENA_API_KEY).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(config.ARENA_API_KEY).not.toBe(config.EXCHANGE_ADMIN_KEY);
  });
});
