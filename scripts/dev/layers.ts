// Prints the layer rule of .dependency-cruiser.cjs as a diagram (`npm run layers`); the README's
// layout section holds its output.
import { createRequire } from 'node:module';

type Layer = { name: string; folders: string[] };
type Sideways = { from: string; to: string; why: string };
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as {
  layers: { LAYERS: Layer[]; SIDEWAYS: Sideways[] };
};
const { LAYERS, SIDEWAYS } = config.layers;

const lines = [...LAYERS].reverse().flatMap((layer, i) => {
  const row = `  ${layer.folders.join('  ').padEnd(44)} ${layer.name}`;
  return i === 0 ? [row] : ['        ↓', row];
});
console.log('Each layer imports only the layers below it (checked by `npm run lint`):\n');
console.log(lines.join('\n'));
console.log('\nSideways, on one layer:');
for (const s of SIDEWAYS) console.log(`  ${s.from} → ${s.to}: ${s.why}`);
console.log('\nsrc/sim/ is imported only by tests, benches, src/demo/ and the CLI commands sim and demo.');
