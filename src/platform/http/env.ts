import type { Logger } from '../log.js';

export const ROLES = ['source', 'crm', 'marketer', 'editor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key, never holding the key itself. */
export type Principal = { keyId: string; name: string; role: Role };

/** Role groups that routes name. Admin is in every human group; machine roles stay in their lane. */
export const ROLE_GROUPS = {
  ingest: ['source'],
  crm: ['crm', 'admin'],
  readers: ['marketer', 'editor', 'analyst', 'admin'],
  editors: ['editor', 'admin'],
  analysts: ['analyst', 'admin'],
  admins: ['admin'],
  anyKey: ROLES,
} as const satisfies Record<string, readonly Role[]>;

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal | undefined;
  };
};
