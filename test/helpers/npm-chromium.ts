// Chromium from the npm registry (@sparticuz/chromium): a brotli-packed headless build with the
// few shared libraries (NSS, expat) it needs, so a machine with Node and npm alone can run the
// browser tests. Unpacked once per machine into a temporary directory; several test files may
// start at once, so each unpacks into its own staging directory and renames it into place
// (rename is atomic: a reader sees a complete directory or none).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotliDecompress = promisify(zlib.brotliDecompress);

export interface NpmChromium {
  executablePath: string;
  /** Environment for the browser process: bundled libraries and fonts. */
  env: Record<string, string>;
}

/** The package's bin/ folder, found from its entry point (the package exports only "."). */
function packedDir(): string {
  const entry = fileURLToPath(import.meta.resolve('@sparticuz/chromium'));
  return path.resolve(path.dirname(entry), '../../bin');
}

function packageVersion(bin: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(bin, '../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Extracts the regular files and directories of a ustar archive (all these archives hold). */
export function untar(archive: Buffer, into: string): void {
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, length: number) =>
      header.toString('utf8', from, from + length).replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1) || '0';
    const prefix = text(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    const body = archive.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    longName = null;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const target = path.resolve(into, name);
    if (!target.startsWith(path.resolve(into) + path.sep))
      throw new Error(`tar entry outside ${into}: ${name}`);
    if (type === '5') fs.mkdirSync(target, { recursive: true });
    else if (type === '0') {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, body, { mode: parseInt(text(100, 8).trim() || '644', 8) & 0o777 });
    }
    // pax headers ('x', 'g') and links are not in these archives; skipped.
  }
}

async function unpackInto(bin: string, staging: string, final: string): Promise<void> {
  const read = async (file: string) => brotliDecompress(await fs.promises.readFile(path.join(bin, file)));
  const [chromium, fonts, swiftshader, libs] = await Promise.all([
    read('chromium.br'),
    read('fonts.tar.br'),
    read('swiftshader.tar.br'),
    read('al2023.tar.br'),
  ]);
  fs.writeFileSync(path.join(staging, 'chromium'), chromium, { mode: 0o755 });
  untar(fonts, staging); // fonts/ and a fonts.conf naming Lambda's paths, replaced below
  untar(swiftshader, staging); // GL libraries beside the binary, where Chromium looks for them
  untar(libs, staging); // lib/: NSS, NSPR and expat, which a bare machine lacks
  fs.writeFileSync(
    path.join(staging, 'fonts.conf'),
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `  <dir>${path.join(final, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n` +
      `  <cachedir>${path.join(final, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
  );
}

/**
 * The unpacked browser under `root` (default: the system's temporary directory), unpacking it
 * first when no earlier run did. Safe when called by several processes at once.
 */
export async function unpackChromium(root = os.tmpdir()): Promise<NpmChromium> {
  const bin = packedDir();
  const dir = path.join(root, `attune-chromium-${packageVersion(bin)}`);
  if (!fs.existsSync(path.join(dir, 'chromium'))) {
    const staging = fs.mkdtempSync(path.join(root, 'attune-chromium-staging-'));
    try {
      await unpackInto(bin, staging, dir); // paths inside name `dir`, where it will live
      fs.renameSync(staging, dir);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      // Another process renamed its complete copy into place first: use that one.
      const code = (error as NodeJS.ErrnoException).code;
      if (!((code === 'ENOTEMPTY' || code === 'EEXIST') && fs.existsSync(path.join(dir, 'chromium'))))
        throw error;
    }
  }
  return {
    executablePath: path.join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [path.join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: path.join(dir, 'fonts.conf'),
    },
  };
}
