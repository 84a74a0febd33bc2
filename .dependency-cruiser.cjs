// The layer rule: every folder of src/ sits on a layer and imports only from layers below it (and,
// where listed in SIDEWAYS, from a named neighbour on its own layer). Where a lower layer must reach a
// higher one (erasure steps, job types, reports), the higher one registers itself with the wiring at
// the top (src/erasure-steps.ts, src/job-types.ts, reports/). `npm run layers` prints this as a diagram.
// Checked by `npm run lint` (depcruise); a violation names the allowed direction.

/** Lowest first. A folder may import its own layer's folder and everything on the layers below. */
const LAYERS = [
  { name: 'platform', folders: ['platform'] },
  { name: 'cdp', folders: ['cdp'] },
  { name: 'analysis and runtime', folders: ['experiments', 'drift', 'features', 'ml'] },
  { name: 'models and content', folders: ['models', 'nba', 'content', 'guardrails'] },
  { name: 'reading', folders: ['reports', 'ui'] },
  { name: 'entry points and wiring', folders: ['cli', 'demo', 'src/*.ts'] },
];

/** Same-layer imports that are allowed, each with its reason. */
const SIDEWAYS = [
  { from: 'drift', to: 'experiments', why: "drift monitors watch each experiment's arms" },
  { from: 'ui', to: 'reports', why: 'the web pages serve the rendered reports with their escaping and CSS' },
  { from: 'cli', to: 'demo', why: '`attune demo` runs what src/demo/ sets up' },
  { from: 'nba', to: 'models', why: "the bandit's versions live in the model registry like every model's" },
  {
    from: 'content',
    to: 'guardrails',
    why: 'content masks PII before indexing and passes every generation through the guardrail seams',
  },
];

/** Who may import the simulated world: tests, benches, the demo, and the CLI's `sim` and `demo` commands. */
const SIM_USERS = [
  '^src/sim/',
  '^src/demo/',
  '^src/cli/commands/(sim|demo)\\.ts$',
  '\\.test\\.ts$',
  '^test/',
  '^scripts/',
];

const TOP_LEVEL = '^src/[^/]+\\.ts$';
const pathOf = (folder) => (folder === 'src/*.ts' ? TOP_LEVEL : `^src/${folder}/`);
const describe = (i) =>
  LAYERS.slice(0, i + 1)
    .map((l) => l.folders.join(', '))
    .join(' ← ');

const layerRules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flatMap((l) => l.folders);
  const rules = (above.length ? layer.folders : []).map((folder) => ({
    name: `layer-${folder.replace(/\W/g, '')}`,
    severity: 'error',
    comment: `${folder} is on the "${layer.name}" layer: it may import only ${describe(i)} (lowest first); a higher layer registers itself instead`,
    from: { path: pathOf(folder), pathNot: '\\.test\\.ts$' },
    to: { path: above.map(pathOf) },
  }));
  const siblings = layer.folders.filter((f) => f !== 'src/*.ts');
  for (const folder of siblings) {
    const allowed = SIDEWAYS.filter((s) => s.from === folder).map((s) => s.to);
    const forbidden = siblings.filter((f) => f !== folder && !allowed.includes(f));
    if (forbidden.length)
      rules.push({
        name: `sideways-${folder}`,
        severity: 'error',
        comment: `${folder} may not import its neighbours on the "${layer.name}" layer (${forbidden.join(', ')}); move what both need down a layer, or list the edge in SIDEWAYS with its reason`,
        from: { path: pathOf(folder), pathNot: '\\.test\\.ts$' },
        to: { path: forbidden.map(pathOf) },
      });
  }
  return rules;
});

const config = {
  forbidden: [
    ...layerRules,
    {
      name: 'sim-for-tests-demo-and-benches',
      severity: 'error',
      comment:
        'src/sim/ (the simulated world) may be imported only by tests, benches, src/demo/ and the CLI commands sim and demo',
      from: { pathNot: SIM_USERS },
      to: { path: '^src/sim/' },
    },
    {
      name: 'src-not-scripts',
      severity: 'error',
      comment: 'src/ never imports scripts/ (benchmarks and dev helpers)',
      from: { path: '^src/' },
      to: { path: '^scripts/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles, type-only ones included: move the shared types into a module of their own',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|reports/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};

// The layers travel with the config for `npm run layers` (scripts/dev/layers.ts), out of the sight of the
// config's schema, which allows no extra properties.
Object.defineProperty(config, 'layers', { value: { LAYERS, SIDEWAYS, SIM_USERS }, enumerable: false });
module.exports = config;
