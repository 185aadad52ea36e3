// Times the reference engine (publicodes, pinned in package.json) on the eligibility of companies to a
// catalogue, for benchmarks/eligibility_bench.py. Same protocol of evaluation as the platform's:
// one Engine per programme (interface merged under the programme's rules, built once, untimed
// apart), then for each company and programme: the company's situation restricted to the names the
// rules define, setSituation, evaluate `entreprise . est ciblée`.
//
// stdin:  {"target": "...", "rule_sets": [{rule name: raw rule}, ...],
//          "validity": [{name: value}, ...]   (one per rule set),
//          "companies": [{name: value}, ...]  (situations before restriction)}
// stdout: {"refused": [null or reason, ...], "build_cpu_s": s, "evaluate_cpu_s": s,
//          "evaluate_wall_s": s, "results": [[kind per rule set] per company]}   kind: "true" | "false" | "null" |
//          "undefined" | "error" | "other:<value>"
import Engine from "publicodes";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function cpuSeconds(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function kind(value) {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (value === true || value === false) return String(value);
  return `other:${JSON.stringify(value)}`;
}

const batch = JSON.parse(await readStdin());
const logger = { log() {}, warn() {}, error() {} };

let start = process.cpuUsage();
const engines = batch.rule_sets.map((rules) => {
  try {
    const engine = new Engine(rules, { logger, strict: { noOrphanRule: false } });
    // The names the rules define, `avec` children included (what a situation may set).
    return { engine, names: new Set(Object.keys(engine.getParsedRules())) };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
});
const buildSeconds = cpuSeconds(start);

start = process.cpuUsage();
const wallStart = process.hrtime.bigint();
const results = batch.companies.map((company) =>
  engines.map(({ engine, names }, index) => {
    if (!engine) return "error";
    const situation = {};
    for (const [name, value] of Object.entries(company)) if (names.has(name)) situation[name] = value;
    for (const [name, value] of Object.entries(batch.validity[index])) if (names.has(name)) situation[name] = value;
    try {
      engine.setSituation(situation);
      return kind(engine.evaluate(batch.target).nodeValue);
    } catch (error) {
      return "error";
    }
  }),
);
const evaluateSeconds = cpuSeconds(start);
const evaluateWallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;

process.stdout.write(
  JSON.stringify({
    refused: engines.map((entry) => entry.error ?? null),
    build_cpu_s: buildSeconds,
    evaluate_cpu_s: evaluateSeconds,
    evaluate_wall_s: evaluateWallSeconds,
    results,
  }),
);
