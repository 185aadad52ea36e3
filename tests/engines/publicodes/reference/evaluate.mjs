// Evaluates a batch of Publicodes rule sets with the reference engine (publicodes, pinned in
// package.json) so that the differential test can compare sobrindustrie's own evaluator with it.
//
// stdin:  {"target": "entreprise . est ciblée",
//          "rule_sets": [{rule name: raw rule, ...}, ...],
//          "evaluations": [[index into rule_sets, {rule name: situation value}, target?], ...]}
// stdout: {"rule_sets": [null or "why the engine refused the rules", ...],
//          "results": [{"kind": "boolean" | "number" | "string" | "null" | "undefined" | "error",
//                       "value": ..., "error": "...", "cycle": true | false}, ...]}
import Engine from "publicodes";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (chunk) => chunks.push(chunk));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

function describe(nodeValue) {
  if (nodeValue === undefined) return { kind: "undefined" };
  if (nodeValue === null) return { kind: "null" };
  // JSON has no NaN nor Infinity: such numbers travel as their names.
  if (typeof nodeValue === "number" && !Number.isFinite(nodeValue)) return { kind: "number", value: String(nodeValue) };
  return { kind: typeof nodeValue, value: nodeValue };
}

const batch = JSON.parse(await readStdin());
// Warnings are collected rather than printed: a cycle only shows up as a warning at evaluation.
let warnings = [];
const logger = { log() {}, warn: (message) => warnings.push(String(message)), error() {} };

const engines = batch.rule_sets.map((rules) => {
  try {
    return { engine: new Engine(rules, { logger, strict: { noOrphanRule: false } }) };
  } catch (error) {
    return { error: String(error.message ?? error) };
  }
});

const results = batch.evaluations.map(([index, situation, target]) => {
  const { engine } = engines[index];
  if (!engine) return { kind: "error", error: "rules refused" };
  warnings = [];
  try {
    engine.setSituation(situation);
    const result = describe(engine.evaluate(target ?? batch.target).nodeValue);
    result.cycle = warnings.some((message) => message.includes("cycle"));
    return result;
  } catch (error) {
    return { kind: "error", error: String(error.message ?? error) };
  }
});

process.stdout.write(
  JSON.stringify({ rule_sets: engines.map((entry) => entry.error ?? null), results }),
);
