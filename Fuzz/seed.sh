#!/bin/sh
# Makes the fuzz targets' seed inputs in Seeds/ from what the repository commits: the cohort's
# events (whole cases, a few to a seed, as lines and as a JSON array), the shipped definitions, the
# example scenarios and every FEEL text in them. Run by scripts/fuzz.sh; Seeds/ is not committed.
set -eu
cd "$(dirname "$0")"
rm -rf Seeds
mkdir -p Seeds/FuzzEvents Seeds/FuzzFEEL Seeds/FuzzDefinitions Seeds/FuzzScenarios
python3 - <<'PY'
import glob, json, os, re

# Events: the cohort's cases three at a time, each seed one of them as a JSON array.
cases = {}
for line in open("../examples/cohort.jsonl", encoding="utf-8"):
    if line.strip():
        cases.setdefault(json.loads(line)["case"], []).append(line)
ids = sorted(cases)
for n, i in enumerate(range(0, min(len(ids), 120), 3)):
    lines = [l for c in ids[i:i + 3] for l in cases[c]]
    if n % 4 == 3:
        text = "[" + ",".join(l.strip() for l in lines) + "]"
    else:
        text = "".join(lines)
    open(f"Seeds/FuzzEvents/cohort-{n:03}", "w", encoding="utf-8").write(text)

# Definitions: each shipped file, prefixed with the byte that picks it (the loader's sorted order).
files = sorted(glob.glob("../workflows/**/*.yaml", recursive=True) + glob.glob("../rules/**/*.yaml", recursive=True))
for k, path in enumerate(files):
    data = open(path, "rb").read()
    open(f"Seeds/FuzzDefinitions/{k:02}-{os.path.basename(path)}", "wb").write(bytes([k]) + data)

# Scenarios: the examples.
for path in sorted(glob.glob("../examples/*.yaml")):
    data = open(path, "rb").read()
    open(f"Seeds/FuzzScenarios/{os.path.basename(path)}", "wb").write(data)

# FEEL: the conditions and message expressions of the definitions and scenarios, and the DMN TCK's
# expressions when the shared conformance folder is beside the repository.
texts = set()
for path in files + sorted(glob.glob("../examples/*.yaml")):
    source = open(path, encoding="utf-8").read()
    for m in re.finditer(r"(?m)^\s*(?:- )?(?:when|done_when): (?:>-\n((?:\s{8,}\S.*\n)+)|(.+))", source):
        text = " ".join((m.group(1) or m.group(2)).split())
        texts.add(re.sub(r"\s+#.*$", "", text))
    for m in re.finditer(r"\{\{(.*?)\}\}", source):
        texts.add(m.group(1).strip())
tck = "../../shared/conformance/feel-tck/dev.jsonl"
if os.path.exists(tck):
    for line in open(tck, encoding="utf-8"):
        texts.add(json.loads(line)["expression"])
for n, text in enumerate(sorted(texts)):
    open(f"Seeds/FuzzFEEL/feel-{n:04}", "w", encoding="utf-8").write(text)
print(f"seeds: {len(os.listdir('Seeds/FuzzEvents'))} event batches, {len(files)} definition files, "
      f"{len(os.listdir('Seeds/FuzzScenarios'))} scenario files, {len(texts)} FEEL texts")
PY
