/** Rules for a new player. Every broken rule is reported at once, so one fix round is enough. */

export const PLAYER_LIMITS = {
  nameMax: 20,
  descriptionMax: 1_000,
  balanceMax: 1_000_000_000,
  /** Maxima keep every battle well inside the turn limit and its report small. */
  attackMax: 10_000,
  hitPointsMax: 10_000,
  luckMax: 100,
} as const;

export const PLAYER_DEFAULTS = { attack: 70, hit_points: 100, luck: 10, gold: 0, silver: 0, description: '' } as const;

export interface NewPlayer {
  name: string;
  description: string;
  gold: number;
  silver: number;
  attack: number;
  hit_points: number;
  luck: number;
}

export type PlayerCheck = { ok: true; player: NewPlayer } | { ok: false; problems: string[] };

export function checkNewPlayer(body: unknown): PlayerCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['body must be a JSON object with at least a "name"'] };
  }
  const input = body as Record<string, unknown>;
  const problems: string[] = [];
  const name = input.name;
  if (typeof name !== 'string') problems.push('name is required and must be a string of 1–20 characters');
  else if ([...name].length < 1 || [...name].length > PLAYER_LIMITS.nameMax || name.trim() === '') {
    problems.push(`name must be 1–${PLAYER_LIMITS.nameMax} characters and not blank (got ${[...name].length})`);
  }
  const description = input.description ?? PLAYER_DEFAULTS.description;
  if (typeof description !== 'string') problems.push('description must be a string');
  else if ([...description].length > PLAYER_LIMITS.descriptionMax) {
    problems.push(`description must be at most ${PLAYER_LIMITS.descriptionMax} characters (got ${[...description].length})`);
  }
  const int = (key: keyof typeof PLAYER_DEFAULTS & keyof NewPlayer, min: number, max: number): number => {
    const value = input[key] ?? PLAYER_DEFAULTS[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
      return 0;
    }
    return value;
  };
  const player = {
    gold: int('gold', 0, PLAYER_LIMITS.balanceMax),
    silver: int('silver', 0, PLAYER_LIMITS.balanceMax),
    attack: int('attack', 1, PLAYER_LIMITS.attackMax),
    hit_points: int('hit_points', 1, PLAYER_LIMITS.hitPointsMax),
    luck: int('luck', 0, PLAYER_LIMITS.luckMax),
  };
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, player: { name: name as string, description: description as string, ...player } };
}
