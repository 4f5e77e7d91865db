import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { appSecrets, stores } from '../../drizzle/schema';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

/** Sealed values start with this; anything else in the column is a plaintext row from before encryption. */
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DEV_KEY_NAME = 'store_secrets_key';

/** Where the key came from: STORE_SECRETS_KEY, or (without it) a key the app made and keeps in its database. */
export type SecretsKeySource = 'environment' | 'database';

/**
 * A store's access token and webhook secret at rest: AES-256-GCM with a fresh IV per value, kept
 * as `enc:v1:<base64url(iv | tag | ciphertext)>`. The key is STORE_SECRETS_KEY; without it (the
 * demo, the tests) a random key is made once and kept in app_secrets, as the demo sign-in secret
 * is, which protects a dump of the stores table but not of the whole database: health says so.
 */
export class StoreSecrets {
  private constructor(
    private readonly key: Buffer | null,
    readonly source: SecretsKeySource,
  ) {}

  /** The process's key: from the configuration, else the database's (made on first start). */
  static async load(db: Executor, configured: Buffer | undefined): Promise<StoreSecrets> {
    if (configured) return new StoreSecrets(configured, 'environment');
    await db
      .insert(appSecrets)
      .values({ name: DEV_KEY_NAME, value: randomBytes(32).toString('base64') })
      .onConflictDoNothing();
    const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, DEV_KEY_NAME));
    return new StoreSecrets(Buffer.from(row!.value, 'base64'), 'database');
  }

  /** For code given whole stores without a database (unit tests): opens plaintext only. */
  static none(): StoreSecrets {
    return new StoreSecrets(null, 'database');
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  seal(plain: string): string {
    if (!this.key) throw new Error('No store secrets key: cannot encrypt a store credential');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The plaintext of a stored value; a value stored before encryption (not sealed) is answered as is. */
  open(stored: string): string;
  open(stored: string | null): string | null;
  open(stored: string | null): string | null {
    if (stored === null || !StoreSecrets.isSealed(stored)) return stored;
    if (!this.key) throw new Error('No store secrets key: cannot decrypt a store credential');
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('A store credential could not be decrypted: STORE_SECRETS_KEY is not the key it was sealed with');
    }
  }

  /**
   * Seals the credentials of rows written before encryption (or by hand, in plaintext), at start.
   * Answers how many rows were sealed. Idempotent: sealed values are left alone.
   */
  async sealPlaintextRows(db: Executor): Promise<number> {
    const rows = await queryRows<{ id: string; access_token: string; webhook_secret: string | null }>(
      db,
      sql`select id, access_token, webhook_secret from stores
          where access_token not like ${`${PREFIX}%`} or (webhook_secret is not null and webhook_secret not like ${`${PREFIX}%`})`,
    );
    for (const row of rows) {
      await db
        .update(stores)
        .set({
          accessToken: StoreSecrets.isSealed(row.access_token) ? row.access_token : this.seal(row.access_token),
          webhookSecret:
            row.webhook_secret === null || StoreSecrets.isSealed(row.webhook_secret) ? row.webhook_secret : this.seal(row.webhook_secret),
        })
        .where(eq(stores.id, String(row.id)));
    }
    return rows.length;
  }
}
