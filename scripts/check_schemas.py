#!/usr/bin/env python3
"""Check redline's JSON Schemas (schemas/*.v1.json) against redline itself.

The schemas describe the files redline reads and writes, for editors (hover help,
completion) and for other tools. Nothing ties them to redline's readers, so this
script does, and fails when the two drift apart:

  (a) each schema is a valid draft 2020-12 schema, has the `$id`
      https://redline.dev/schemas/<file name>, a `description` on every property,
      patterns valid in ECMA-262 (what editors use), and the definitions shared by
      metrics.v1 and baseline.v1 are identical;
  (b) every shipped file validates against its schema: budgets.json, examples/*.json
      (native metrics), baselines/*.json, and JSON results made by running
      `redline check --json` on the examples;
  (c) each schema's `examples` validate against it, and redline reads each one:
      `redline validate --budgets`, `redline convert --current` and
      `redline baseline show --baseline` must exit 0;
  (d) each file of the invalid-budgets corpus (schemas/invalid/) fails
      `redline validate --budgets` (exit 2) with the expected message, and fails the
      schema too, except the few checks JSON Schema cannot express, listed in
      SCHEMA_CANNOT_CHECK.

Keys the schemas describe before the binary knows them (PENDING_KEYS) are skipped with
a "SKIP (binary predates accept/from/history)" line when the binary rejects them; an
example that uses them must still pass the binary with those keys taken out.

Usage: python3 scripts/check_schemas.py [--redline PATH]
Needs the `jsonschema` package (`pip install check-jsonschema` brings it, with `regress`
for ECMA-262 patterns and `rfc3339-validator` for date-time formats). Prints one line per
check and a summary; exits 1 when any check fails, 2 when it cannot run.
"""

import argparse
import copy
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError, relevance
except ImportError:
    sys.exit("check_schemas.py: needs the jsonschema package: pip install check-jsonschema")

try:
    import regress  # ECMA-262 regular expressions, installed with check-jsonschema
except ImportError:
    regress = None

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
INVALID = SCHEMAS / "invalid"
ID_BASE = "https://redline.dev/schemas/"

# Keys the schemas describe that a binary built before them rejects as unknown.
# TODO(engineer): empty this set once the binary reads them all; then nothing is skipped.
PENDING_KEYS: set = set()
SKIP_PENDING = "SKIP (binary predates accept/from/history)"

# The invalid-budgets corpus: file -> a fragment of redline's message for it. Every file of
# schemas/invalid/ must be listed here, so that each fails for its intended reason.
INVALID_BUDGETS = {
    "unknown-key.json": 'unknown key "maxRegresion"',
    "bare-number-max-regression.json": "must be a percentage",
    "plus-sign-max-regression.json": "must be a percentage",
    "inverted-levels.json": "must hold",
    "alpha-too-big.json": "must be between 0 and 0.5",
    "bad-missing.json": 'must be "fail", "warn" or "ignore"',
    "negative-min-delta.json": "must not be negative",
    "min-delta-wrong-dimension.json": "is in MB (size)",
    "unclosed-glob.json": "is never closed",
    "string-level.json": "must be a number",
    "wrong-schema.json": "a redline.budgets.v1 file was expected",
    "accept-without-reason.json": "reason",
    "accept-bad-until.json": "until",
    "history-too-long.json": "history",
}

# Invalid files that the budgets schema accepts: rules across values or about a key's
# syntax, which JSON Schema cannot express. redline validate checks them. Keep this short.
SCHEMA_CANNOT_CHECK = {
    "inverted-levels.json": "level order depends on the direction; JSON Schema cannot compare two values",
    "min-delta-wrong-dimension.json": "a unit's dimension against the rule's unit",
    "unclosed-glob.json": "glob syntax of a key",
}

# Definitions metrics.v1 and baseline.v1 both carry (each schema stands alone for editors).
SHARED_DEFS = ["metricName", "unit", "direction", "value", "samples", "nonNegativeInKnownUnits", "context"]

# Where redline's readers list the keys they accept: (file, Swift constant, schema, JSON pointer
# to the `properties` that must hold the same keys).
READER_KEYS = [
    ("Sources/RedlineCore/Policy/Budgets.swift", "ruleKeys", "budgets", "/$defs/rule/properties"),
    ("Sources/RedlineCore/Policy/Budgets.swift", "defaultKeys", "budgets", "/$defs/defaults/properties"),
    ("Sources/RedlineCore/Input/NativeFormat.swift", "metricKeys", "metrics", "/$defs/metric/properties"),
    ("Sources/RedlineCore/Input/NativeFormat.swift", "metricKeys", "baseline", "/$defs/metric/properties"),
    ("Sources/RedlineCore/Baseline/BaselineFormat.swift", "provenanceKeys", "baseline",
     "/$defs/provenance/properties"),
]


class Report:
    """Prints one line per check and counts the outcomes."""

    def __init__(self):
        self.counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}

    def line(self, status, what, detail="", label=None):
        self.counts[status] += 1
        label = label or (SKIP_PENDING if status == "SKIP" else status)
        print(f"{label:<5} {what}" + (f": {detail}" if detail else ""), flush=True)

    def check(self, ok, what, problem, detail=""):
        """A PASS line when `ok`, else a FAIL line naming `problem`."""
        self.line("PASS" if ok else "FAIL", what, detail if ok else problem)

    def summary(self):
        passed, failed, skipped = self.counts["PASS"], self.counts["FAIL"], self.counts["SKIP"]
        print(f"\n{passed} passed, {failed} failed, {skipped} skipped"
              + (" (binary predates accept/from/history)" if skipped else ""))
        return failed == 0


# --- JSON and schemas -----------------------------------------------------------------

def load_json(path):
    """Reads JSON as strictly as redline: duplicate keys, NaN and Infinity are errors."""
    def no_duplicates(pairs):
        document = {}
        for key, value in pairs:
            if key in document:
                raise ValueError(f"duplicate key {key!r}")
            document[key] = value
        return document

    def no_constant(name):
        raise ValueError(f"{name} is not JSON")

    with open(path, encoding="utf-8") as file:
        return json.load(file, object_pairs_hook=no_duplicates, parse_constant=no_constant)


def validator(schema):
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problem(schema_validator, instance):
    """The most relevant validation error as one line, or None when the instance is valid."""
    errors = list(schema_validator.iter_errors(instance))
    if not errors:
        return None
    error = max(errors, key=relevance)
    # "not valid under any of the given schemas" says little: name the deepest error of the
    # alternatives the instance was meant for instead, leaving out an alternative whose `not`
    # rules it out (the shapes of metrics.v1 are told apart by a `not`).
    while error.validator in ("oneOf", "anyOf") and error.context:
        meant = [leaves for leaves in alternatives(error)
                 if not any(leaf.validator == "not" for leaf in leaves)]
        candidates = [leaf for leaves in meant for leaf in leaves]
        if not candidates:
            break
        # Deepest first; at equal depth, an alternative of the right type over a type mismatch.
        error = max(candidates, key=lambda leaf: (len(leaf.absolute_path), leaf.validator != "type"))
    return f"{error.json_path}: {error.message}"


def alternatives(error):
    """The leaf errors of each alternative of a oneOf or anyOf error, one list per alternative."""
    groups = {}
    for child in error.context:
        groups.setdefault(child.relative_schema_path[0], []).extend(deep_errors(child))
    return list(groups.values())


def deep_errors(error):
    """The errors at the leaves of an error's tree of alternatives."""
    if not error.context:
        return [error]
    return [leaf for child in error.context for leaf in deep_errors(child)]


def pointer(document, path):
    """The value at a JSON pointer such as /$defs/rule/properties."""
    for part in path.strip("/").split("/"):
        document = document[part]
    return document


def walk_properties(schema, path="#"):
    """Yields (path, property schema) for every entry of every `properties` map that declares
    keys (not those inside if/then/else/not, which only constrain keys declared elsewhere)."""
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from walk_properties(item, f"{path}/{index}")
    elif isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("examples", "const", "enum", "default", "if", "then", "else", "not"):
                continue
            if key == "properties" and isinstance(value, dict):
                for name, subschema in value.items():
                    yield f"{path}/properties/{name}", subschema
                    yield from walk_properties(subschema, f"{path}/properties/{name}")
            else:
                yield from walk_properties(value, f"{path}/{key}")


def patterns(schema):
    """Every `pattern` in a schema (examples and constants aside)."""
    if isinstance(schema, list):
        for item in schema:
            yield from patterns(item)
    elif isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key not in ("examples", "const", "enum", "default"):
                yield from patterns(value)


def check_schemas(report, schemas):
    """(a) Each schema is valid 2020-12, with its $id, descriptions and portable patterns."""
    for name, schema in schemas.items():
        what = f"schema {name}.v1.json"
        try:
            Draft202012Validator.check_schema(schema)
            report.line("PASS", what, "valid draft 2020-12 schema")
        except SchemaError as error:
            report.line("FAIL", what, f"not a valid 2020-12 schema: {error.message}")
            continue
        expected_id = f"{ID_BASE}{name}.v1.json"
        report.check(schema.get("$id") == expected_id, f"{what} $id", f"is {schema.get('$id')!r}, "
                     f"expected {expected_id!r}", expected_id)
        undocumented = [path for path, sub in walk_properties(schema)
                        if not (isinstance(sub, dict) and sub.get("description"))]
        report.check(not undocumented, f"{what} descriptions",
                     "no description at " + ", ".join(undocumented), "every property has one")
        if regress is None:
            report.line("FAIL", f"{what} patterns", "the regress package is missing: pip install check-jsonschema")
        else:
            bad = []
            for pattern in patterns(schema):
                try:
                    regress.Regex(pattern)
                except Exception as error:  # regress raises its own RegressError
                    bad.append(f"{pattern!r} ({error})")
            report.check(not bad, f"{what} patterns", "not ECMA-262: " + "; ".join(bad), "valid ECMA-262")
        report.check(bool(schema.get("examples")) or name == "result", f"{what} examples",
                     "the schema has no `examples`", f"{len(schema.get('examples', []))} given")

    metrics, baseline = schemas["metrics"]["$defs"], schemas["baseline"]["$defs"]
    # A baseline's unit is not checked against the known units (a baseline written before that
    # check must still load), so the two descriptions of `unit` say different things; the rest
    # of every shared definition must be the same.
    def shape(definition):
        return {key: value for key, value in (definition or {}).items() if key != "description"}
    different = [key for key in SHARED_DEFS if shape(metrics.get(key)) != shape(baseline.get(key))]
    report.check(not different, "schemas metrics.v1 and baseline.v1 share definitions",
                 "differ in " + ", ".join(different), ", ".join(SHARED_DEFS))
    metric_keys = set(metrics["metric"]["properties"])
    baseline_keys = set(baseline["metric"]["properties"]) - {"history"}
    report.check(metric_keys == baseline_keys, "schemas metrics.v1 and baseline.v1 metric keys",
                 f"{sorted(metric_keys)} against {sorted(baseline_keys)} (+ history)",
                 "the same, plus `history` in the baseline")


def check_reader_keys(report, schemas):
    """(a) The keys redline's readers accept are the keys the schemas describe."""
    for source, constant, name, path in READER_KEYS:
        what = f"keys of {name}.v1.json {path.rsplit('/', 2)[-2]} against {constant} in {Path(source).name}"
        match = re.search(rf"\b{constant}\s*=\s*\[([^\]]*)\]", (ROOT / source).read_text(encoding="utf-8"))
        if not match:
            report.line("FAIL", what, f"`{constant} = [...]` not found in {source}: update check_schemas.py")
            continue
        reader = set(re.findall(r'"([^"]*)"', match.group(1)))
        schema = set(pointer(schemas[name], path))
        if name == "baseline" and constant == "metricKeys":
            schema -= {"history"}  # the baseline's own addition to the native metric object
        missing = sorted(reader - schema)
        ahead = sorted(schema - reader)
        if missing or set(ahead) - PENDING_KEYS:
            report.line("FAIL", what, f"only the reader has {missing}, only the schema has {ahead}")
        elif ahead:
            report.line("SKIP", what, f"the schema also has {ahead}, which the reader does not take yet",
                        label="SKIP (reader predates accept/from/history)")
        else:
            report.line("PASS", what, "the same")


# --- redline ---------------------------------------------------------------------------

class Redline:
    """Runs the redline binary in a scratch directory, so that no default file
    (budgets.json, baselines/main.json) of the working directory is read."""

    def __init__(self, binary, scratch):
        self.binary = str(binary)
        self.scratch = Path(scratch)
        self.files = 0

    def write(self, document, name="input.json"):
        """Writes a document to a new file in the scratch directory and returns its path."""
        self.files += 1
        path = self.scratch / f"{self.files:03d}-{name}"
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def run(self, *arguments):
        """(exit status, stdout + stderr) of one command."""
        result = subprocess.run([self.binary, *map(str, arguments)], cwd=self.scratch,
                                capture_output=True, text=True, timeout=120)
        output = (result.stdout + result.stderr).strip()
        # Shorter lines: paths relative to the scratch directory or to the repository.
        return result.returncode, output.replace(f"{self.scratch}/", "").replace(f"{ROOT}/", "")

    def read(self, kind, path):
        """Reads a file as redline would: budgets, metrics or baseline."""
        if kind == "budgets":
            return self.run("validate", "--budgets", path)
        if kind == "metrics":
            return self.run("convert", "--current", path)
        return self.run("baseline", "show", "--baseline", path)


def first_line(output):
    return output.splitlines()[0] if output else "(no output)"


def mentions_pending(output):
    """Whether redline's message is about one of the keys it does not know yet: `unknown key
    "accept"`, or `metric "$schema" must be an object` in the bare metrics shape."""
    return any(f'"{key}"' in output for key in PENDING_KEYS)


def without_pending(kind, document):
    """The document with the keys of PENDING_KEYS taken out where the schemas put them."""
    document = copy.deepcopy(document)
    if not isinstance(document, dict):
        return document
    document.pop("$schema", None)
    if kind == "budgets":
        if isinstance(document.get("defaults"), dict):
            document["defaults"].pop("history", None)
        for rule in (document.get("metrics") or {}).values():
            if isinstance(rule, dict):
                rule.pop("accept", None)
                rule.pop("from", None)
    elif kind == "baseline":
        document.pop("runs", None)
        for metric in document.get("metrics") or []:
            if isinstance(metric, dict):
                metric.pop("history", None)
    return document


READERS = {"budgets": "redline validate --budgets", "metrics": "redline convert --current",
           "baseline": "redline baseline show --baseline"}


def check_examples(report, schemas, redline):
    """(c) Each schema's examples pass the schema and, but for results, redline's reader."""
    for name, schema in schemas.items():
        schema_validator = validator(schema)
        for index, example in enumerate(schema.get("examples", [])):
            what = f"example {index + 1} of {name}.v1.json"
            problem = schema_problem(schema_validator, example)
            report.check(problem is None, f"{what} against its schema", problem)
            if name == "result":
                continue  # redline writes results and reads none
            status, output = redline.read(name, redline.write(example, f"{name}-example.json"))
            if status == 0:
                report.line("PASS", f"{what} with {READERS[name]}", "exit 0")
                continue
            stripped = without_pending(name, example)
            if stripped != example and mentions_pending(output):
                status, rest = redline.read(name, redline.write(stripped, f"{name}-example-stripped.json"))
                if status == 0:
                    report.line("SKIP", f"{what} with {READERS[name]}",
                                f"{first_line(output)} (without those keys: exit 0)")
                else:
                    report.line("FAIL", f"{what} with {READERS[name]} (without pending keys)",
                                f"exit {status}: {first_line(rest)}")
                continue
            report.line("FAIL", f"{what} with {READERS[name]}", f"exit {status}: {first_line(output)}")


def check_invalid_budgets(report, schemas, redline):
    """(d) Every invalid budgets file fails redline, and the schema unless listed as beyond it."""
    files = sorted(path.name for path in INVALID.glob("*.json"))
    unlisted = sorted(set(files) - set(INVALID_BUDGETS))
    absent = sorted(set(INVALID_BUDGETS) - set(files))
    report.check(not unlisted and not absent, "invalid corpus schemas/invalid/ matches INVALID_BUDGETS",
                 f"files not listed: {unlisted}; listed, no file: {absent}", f"{len(files)} files")
    schema_validator = validator(schemas["budgets"])
    for name in files:
        what = f"invalid/{name}"
        path = INVALID / name
        try:
            document = load_json(path)
        except ValueError as error:
            report.line("FAIL", what, f"not JSON: {error}")
            continue

        status, output = redline.run("validate", "--budgets", path)
        # Without the file's name, so that the expected fragment matches the message only.
        message = output.replace(str(path.relative_to(ROOT)), "FILE")
        expected = INVALID_BUDGETS.get(name)
        if status == 2 and mentions_pending(message) and "unknown key" in message:
            report.line("SKIP", f"{what} fails redline validate", first_line(message))
        elif status == 2 and expected and expected in message:
            report.line("PASS", f"{what} fails redline validate", f"exit 2: {first_line(message)}")
        elif status == 2:
            report.line("FAIL", f"{what} fails redline validate",
                        f"exit 2, but not with {expected!r}: {first_line(message)}")
        else:
            report.line("FAIL", f"{what} fails redline validate", f"exit {status}, expected 2")

        problem = schema_problem(schema_validator, document)
        if name in SCHEMA_CANNOT_CHECK:
            report.check(problem is None, f"{what} schema cannot check; redline does",
                         f"the schema rejects it now ({problem}): take it out of SCHEMA_CANNOT_CHECK",
                         SCHEMA_CANNOT_CHECK[name])
        else:
            report.check(problem is not None, f"{what} fails the schema", "the schema accepts it", problem)


# --- shipped files and results ------------------------------------------------------------

def check_shipped(report, schemas):
    """(b) the budgets files, examples (the web service's too) and baselines against their schemas."""
    shipped = [(ROOT / "budgets.json", "budgets"), (ROOT / "bench/budgets.json", "budgets"),
               (ROOT / "bench/instructions-budgets.json", "budgets"), (ROOT / "bench/instructions.json", "baseline"),
               (ROOT / "examples/web-service/budgets.json", "budgets"),
               (ROOT / "examples/web-service/baseline.json", "baseline")]
    shipped += [(path, "metrics") for path in sorted((ROOT / "examples").glob("*.json"))]
    shipped += [(path, "baseline") for path in sorted((ROOT / "baselines").glob("*.json"))]
    for path, name in shipped:
        what = f"{path.relative_to(ROOT)} against {name}.v1.json"
        try:
            problem = schema_problem(validator(schemas[name]), load_json(path))
        except (OSError, ValueError) as error:
            problem = f"cannot read: {error}"
        report.check(problem is None, what, problem)


# A run with samples (one from a zero median, one inconclusive), a direction that changed and a
# required metric missing: the result's nullable and nested fields, filled.
SAMPLES_BASELINE = {
    "schema": "redline.baseline.v1",
    "metrics": [
        {"name": "flip", "value": 10, "direction": "lower"},
        {"name": "gone", "value": 5},
        {"name": "noisy", "value": 100, "unit": "ms", "samples": [100, 101, 99, 100, 102]},
        {"name": "zero", "value": 0, "unit": "ms", "samples": [0, 0, 0, 0, 0]},
    ],
}
SAMPLES_CURRENT = {
    "context": {"commit": "5d41c07", "attempt": 2},
    "metrics": [
        {"name": "flip", "value": 12, "direction": "higher"},
        {"name": "fresh", "value": 1},
        {"name": "noisy", "unit": "ms", "samples": [90, 135, 95, 130, 99, 140]},
        {"name": "zero", "unit": "ms", "samples": [1, 2, 3, 4, 5]},
    ],
}
SAMPLES_BUDGETS = {"metrics": {"gone": {"missing": "fail"}, "noisy": {"alpha": 0.01}}}


def check_results(report, schemas, redline):
    """(b) JSON results of `redline check` on the examples against result.v1.json."""
    budgets, main = ROOT / "budgets.json", ROOT / "baselines" / "main.json"
    current, regressed = ROOT / "examples" / "current.json", ROOT / "examples" / "regressed.json"
    nowhere = redline.scratch / "no-baseline.json"
    runs = [
        ("examples/current.json against baselines/main.json", [current], main, budgets, []),
        ("examples/regressed.json against baselines/main.json", [regressed], main, budgets, []),
        ("examples/current.json without baseline or budgets", [current], nowhere, None,
         ["--allow-missing-baseline"]),
        ("examples/regressed.json, --fail-on warning --max-regression 5%", [regressed], main, budgets,
         ["--fail-on", "warning", "--max-regression", "5%"]),
        ("samples, from zero, inconclusive, direction change, missing: fail",
         [redline.write(SAMPLES_CURRENT, "samples-current.json")],
         redline.write(SAMPLES_BASELINE, "samples-baseline.json"),
         redline.write(SAMPLES_BUDGETS, "samples-budgets.json"), []),
    ]
    schema_validator = validator(schemas["result"])
    for index, (title, currents, baseline, budgets_file, options) in enumerate(runs, 1):
        what = f"result of check on {title}"
        output_path = redline.scratch / f"result-{index}.json"
        arguments = ["check", "--baseline", baseline, "--json", output_path, *options]
        for path in currents:
            arguments += ["--current", path]
        if budgets_file:
            arguments += ["--budgets", budgets_file]
        status, output = redline.run(*arguments)
        if status not in (0, 1) or not output_path.exists():
            report.line("FAIL", what, f"redline check exit {status}: {first_line(output)}")
            continue
        try:
            result = load_json(output_path)
        except ValueError as error:
            report.line("FAIL", what, f"not JSON: {error}")
            continue
        problem = schema_problem(schema_validator, result)
        outcome = {0: "passed", 1: "failed"}[status]
        if problem is None and result.get("outcome") != outcome:
            problem = f"outcome {result.get('outcome')!r} but exit {status}"
        report.check(problem is None, what, problem,
                     f"exit {status}, {outcome}, {len(result.get('metrics', []))} metrics")


# --- main --------------------------------------------------------------------------------

def find_redline(given):
    if given:
        return Path(given)
    for candidate in (ROOT / ".build" / "debug" / "redline", ROOT / ".build" / "release" / "redline"):
        if candidate.exists():
            return candidate
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redline", metavar="PATH",
                        help="the redline binary (default .build/debug/redline, else .build/release/redline)")
    arguments = parser.parse_args()

    binary = find_redline(arguments.redline)
    if binary is None or not binary.exists():
        print("check_schemas.py: no redline binary: build it (swift build) or pass --redline PATH",
              file=sys.stderr)
        return 2
    schemas = {}
    for name in ("budgets", "metrics", "baseline", "result"):
        try:
            schemas[name] = load_json(SCHEMAS / f"{name}.v1.json")
        except (OSError, ValueError) as error:
            print(f"check_schemas.py: schemas/{name}.v1.json: {error}", file=sys.stderr)
            return 2

    print(f"redline: {binary}")
    report = Report()
    with tempfile.TemporaryDirectory(prefix="redline-schemas-") as scratch:
        redline = Redline(binary.resolve(), scratch)
        check_schemas(report, schemas)
        check_reader_keys(report, schemas)
        check_shipped(report, schemas)
        check_results(report, schemas, redline)
        check_examples(report, schemas, redline)
        check_invalid_budgets(report, schemas, redline)
    return 0 if report.summary() else 1


if __name__ == "__main__":
    sys.exit(main())
