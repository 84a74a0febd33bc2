import { JSON_FLAG, UsageError, printJson, printTable, requireString, type Command } from '../command.js';
import { withDatabase } from '../context.js';
import { ROLES, type Role } from '../../platform/http/env.js';
import { createKey, listKeys, revokeKey } from '../../platform/auth/store.js';

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Create, list and revoke API keys.',
  usage:
    'keys create --role ROLE --name NAME [--json] | keys list [--all] [--json] | keys revoke ID [--json]',
  help: `Roles: ${ROLES.join(', ')}. A new key is printed once; only its hash is stored.`,
  flags: {
    role: { type: 'string', description: `one of ${ROLES.join('|')}` },
    name: { type: 'string', description: 'a name to recognise the key by' },
    all: { type: 'boolean', description: 'include revoked keys' },
    ...JSON_FLAG,
  },
  async run({ values, positionals }) {
    const [action, id] = positionals;
    const actor = `cli:${process.env.USER ?? 'unknown'}`;
    switch (action) {
      case 'create': {
        const role = requireString(values, 'role');
        if (!(ROLES as readonly string[]).includes(role))
          throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got "${role}").`);
        const name = requireString(values, 'name');
        const created = await withDatabase('attune keys create', (d) =>
          createKey(d.db, { name, role: role as Role, createdBy: actor }),
        );
        if (values.json)
          printJson({ key: created.key, id: created.id, name: created.name, role: created.role });
        else
          process.stdout.write(
            `Created ${created.role} key "${created.name}" (${created.id}).\n\n  ${created.key}\n\nStore it now: it is not shown again.\n`,
          );
        return 0;
      }
      case 'list': {
        const keys = await withDatabase('attune keys list', (d) =>
          listKeys(d.db, { includeRevoked: Boolean(values.all) }),
        );
        if (values.json) printJson({ keys });
        else printTable(keys, ['id', 'name', 'role', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt']);
        return 0;
      }
      case 'revoke': {
        if (!id) throw new UsageError('keys revoke needs the key id (see `attune keys list`).');
        if (!/^[0-9a-f-]{36}$/i.test(id))
          throw new UsageError(`"${id}" is not a key id; ids look like 3f1c…-…, see \`attune keys list\`.`);
        const revoked = await withDatabase('attune keys revoke', (d) => revokeKey(d.db, id, actor));
        if (!revoked) throw new Error(`No key with id ${id}.`);
        if (values.json) printJson(revoked);
        else process.stdout.write(`Revoked key "${revoked.name}" (${revoked.id}).\n`);
        return 0;
      }
      default:
        throw new UsageError(`keys needs an action: create, list or revoke.`);
    }
  },
};
