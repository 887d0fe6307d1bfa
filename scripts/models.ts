/**
 * The models CLI.
 *   npm run models                 train and export every model into public/models
 *   npm run models -- --only mlp   just one (repeatable)
 *   npm run models -- --quick      a reduced configuration (seconds; for tests)
 *   npm run models -- --out DIR    write somewhere else
 *   npm run models:check           verify the committed files against their cards, no training
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildModels, checkModels } from '../src/models/zoo/export';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    out: { type: 'string', default: 'public/models' },
  },
});

const out = resolve(values.out);
if (values.check) {
  const problems = await checkModels(out);
  if (problems.length) {
    for (const p of problems) console.error(`models:check: ${p}`);
    process.exit(1);
  }
  console.log(`models:check: every model in ${values.out} matches its card`);
} else {
  const t0 = performance.now();
  const built = await buildModels({
    out,
    quick: values.quick,
    only: values.only,
    log: (l) => console.log(l),
  });
  for (const c of built)
    console.log(
      `${c.id}: ${c.file.bytes} bytes, sha256 ${c.file.sha256.slice(0, 16)}…, held-out perplexity ${c.metrics.heldOutPerplexity.toFixed(3)}`,
    );
  console.log(`models: built ${built.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
