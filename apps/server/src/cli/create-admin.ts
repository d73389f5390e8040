/**
 * Operator command: creates an administrator account in the configured store (DATA_DIR).
 *
 *   pnpm --filter @agora/server create-admin --email a@b.fr --name "Claire Martin" \
 *        --organisation "Préfecture de région" --category services-etat
 *
 * The password is read from AGORA_ADMIN_PASSWORD, or asked on the terminal (not echoed).
 */
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { CreateAccountInputSchema, type Account } from '@agora/domain';
import { loadConfig } from '../config.ts';
import { SqliteStore } from '../store/sqlite-store.ts';
import { hashPassword } from '../auth/passwords.ts';
import { randomId } from '../auth/tokens.ts';

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    // Piped input: first line.
    const rl = readline.createInterface({ input: process.stdin });
    for await (const line of rl) return line;
    return '';
  }
  process.stdout.write('Mot de passe (12 caractères au moins) : ');
  process.stdin.setRawMode(true);
  let pw = '';
  for await (const chunk of process.stdin) {
    for (const ch of String(chunk)) {
      if (ch === '\r' || ch === '\n') {
        process.stdin.setRawMode(false);
        process.stdout.write('\n');
        return pw;
      }
      if (ch === '\u0003') process.exit(130);
      pw = ch === '\u007f' ? pw.slice(0, -1) : pw + ch;
    }
  }
  return pw;
}

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    organisation: { type: 'string' },
    category: { type: 'string', default: 'services-etat' },
  },
});

const password = process.env.AGORA_ADMIN_PASSWORD ?? (await askPassword());
const parsed = CreateAccountInputSchema.safeParse({ ...values, password, isAdmin: true });
if (!parsed.success) {
  for (const i of parsed.error.issues) console.error(`${i.path.join('.') || 'entrée'} : ${i.message}`);
  process.exit(2);
}
const config = loadConfig();
const store = new SqliteStore(config.DATA_DIR);
try {
  if (await store.getAccountByEmail(parsed.data.email)) {
    console.error(`Un compte existe déjà pour ${parsed.data.email}.`);
    process.exit(1);
  }
  const { password: pw, ...fields } = parsed.data;
  const account: Account = { id: randomId(), ...fields, createdAt: new Date().toISOString() };
  await store.createAccount(account, await hashPassword(pw));
  console.log(`Administrateur créé : ${account.name} <${account.email}> dans ${config.DATA_DIR}`);
} finally {
  await store.close();
}
