import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';

/**
 * Returns the file's content, creating it with `create()` (mode 0600) when it does not exist.
 * The file appears complete or not at all, and when two processes race the first one wins and
 * both read the same content.
 */
export async function readOrCreateFile(
  path: string,
  create: () => Promise<string>,
): Promise<{ content: string; created: boolean }> {
  try {
    return { content: await readFile(path, 'utf8'), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const content = await create();
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return { content, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { content: await readFile(path, 'utf8'), created: false };
  } finally {
    await unlink(temporary);
  }
}
