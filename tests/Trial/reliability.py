#!/usr/bin/env python3
"""The reliability trial of issue 16, rerun on demand (it takes ~10 minutes on two cores; not part of the suite).

    python3 tests/Trial/reliability.py [--kills 20] [--reports 20] [--pairs 20]

Runs the built CLI (src/Cli/bin/Release/.../harness.dll) in a scratch folder:
  * ~100 bad inputs (flags, values, settings files, environment, paths): counts stack traces and exit 134;
  * N kill -9 at random moments while hw4 2(b) trains, each followed by a rerun: the final record must equal an
    uninterrupted run's (values, series, tables, settings), and no temporary file may remain;
  * N kill -9 at random moments while a report is written, each followed by an untouched look at the visible set
    (PDF score == results.json score) and then a rerun: no stray temporary files afterwards;
  * N pairs of concurrent runs of the same task: both exit 0, one record, every figure present.
Prints one line per part and a summary; exits 1 when any count is not zero.
"""
import json, os, random, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HARNESS = os.path.join(ROOT, "src/Cli/bin/Release/net10.0/linux-x64/harness.dll")
ENV = dict(os.environ, CI="true", HARNESS__AllowDownload="false")
ENV.setdefault("HARNESS__DataRoots__0", os.path.join(os.path.dirname(ROOT), "shared", "data"))
args = sys.argv[1:]
def opt(name, default):
    return int(args[args.index(name) + 1]) if name in args else default
KILLS, REPORTS, PAIRS = opt("--kills", 20), opt("--reports", 20), opt("--pairs", 20)
random.seed(16)
scratch = tempfile.mkdtemp(prefix="harness-trial-")
counts = dict(stack_traces=0, exit_134=0, mismatched_sets=0, stray_temp_files=0, lost_or_corrupted_records=0, failed_pairs=0)

def run(*a, env=None, timeout=600):
    p = subprocess.run(["dotnet", HARNESS, *a], env=env or ENV, capture_output=True, text=True, timeout=timeout)
    out = p.stdout + p.stderr
    if "   at " in out or "Unhandled exception" in out: counts["stack_traces"] += 1; print("  stack trace:", a, out[-400:])
    if p.returncode == 134: counts["exit_134"] += 1
    return p.returncode, out

def measured(record_file):
    r = json.load(open(record_file))
    return {k: r[k] for k in ("key", "settings", "values", "checks", "series", "tables", "observations", "figures")}

def temps(folder):
    return [os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs if ".tmp-" in f]

# --- bad inputs -------------------------------------------------------------------------------------------------
def bad_inputs():
    out = os.path.join(scratch, "bad")
    cases = [["run"], ["run", "--assignment"], ["run", "--assignment", "nope"], ["run", "--assignment", "ex08", "--task", "9.9"],
             ["run", "--assignment", "ex08", "--task", ","], ["run", "--assignment", "ex08", "--task", " "], ["list", "--profle", "full"],
             ["report", "--out"], ["report", "--assignment", "ex08", "--out", scratch], ["report", "--out", "x.pdf"], ["frobnicate"],
             ["data"], ["data", "verify", "--x"], ["bench", "--batches", "zero"], ["bench", "--batches", "-3"], ["bench", "--workload", "nope"],
             ["bench", "--eval-batches", "a,b"], ["run", "--assignment", "hw4", "--task", "1a", "--output", "/sys/harness-trial"],
             ["run", "--assignment", "hw4", "--task", "1a", "--output", "/etc/passwd/x"],
             ["report", "--assignment", "hw4", "--out", "/sys/harness-trial/x.pdf", "--output", out],
             ["run", "--assignment", "ex08", "--task", "1.1", "--data-root", "/nowhere", "--no-download", "--output", out]]
    for key, values in {"--profile": ["huge", "", "1", "FULL!"], "--seed": ["-1", "abc", "1.5", "99999999999", ""], "--device": ["tpu", "", "gpu"],
                        "--threads": ["-1", "100000", "x", "1e3"], "--train-images-limit": ["-5", "many"], "--output": [""]}.items():
        for v in values: cases.append(["run", "--assignment", "hw4", "--task", "1a", key, v])
    env_cases = [("HARNESS__Profil", "full"), ("HARNESS__Seed", "seven"), ("HARNESS__Device", "tpu"), ("HARNESS__Threads", "100000"),
                 ("HARNESS__AllowDownload", "maybe"), ("HARNESS__OutputDir", " "), ("HARNESS__DataRoots__x", "/d"), ("HARNESS__CacheDir", "")]
    files = ['{ "Seed": { "value": 7 } }', '{ "Seed": [7] }', '{ "Seed": null }', '{ "Seed": "7" }', '{ "Seed": 7.5 }', '{ "Threads": 100000 }',
             '{ "Profile": 3 }', '{ "Profile": null }', '{ "DataRoots": 5 }', '{ "DataRoots": [1, 2] }', '{ "AllowDownload": "yes" }',
             '{ "OutputDir": "" }', '{ "Unknown": 1 }', '{ "Profile": "smoke", }', '{ "Profile": "smoke",, }', '{ "Profile": ', '[1, 2]', '"smoke"',
             '', '{ "Seed": 7 } trailing', '{ "DataRoots": [null] }', '{ "Device": ["cpu"] }', '{ "TrainImagesLimit": -1 }', '{ "ReportsDir": {} }']
    n = 0
    for c in cases: run(*c); n += 1
    for k, v in env_cases: run("list", env=dict(ENV, **{k: v})); n += 1
    for i, text in enumerate(files):
        d = os.path.join(scratch, f"settings{i}"); os.makedirs(d)
        open(os.path.join(d, "appsettings.json"), "w").write(text)
        open(os.path.join(d, "Harness.sln"), "w").write("")
        p = subprocess.run(["dotnet", HARNESS, "list"], cwd=d, env=ENV, capture_output=True, text=True)
        out = p.stdout + p.stderr
        if "   at " in out or "Unhandled exception" in out: counts["stack_traces"] += 1; print("  stack trace:", text, out[-300:])
        if p.returncode == 134: counts["exit_134"] += 1
        n += 1
    print(f"bad inputs: {n} tried")
    return n

# --- kill -9 while training ---------------------------------------------------------------------------------------
def kills():
    ref = os.path.join(scratch, "reference")
    run("run", "--assignment", "hw4", "--task", "2b", "--output", ref)
    ref_record = [os.path.join(d, "record.json") for d, _, fs in os.walk(ref) if "record.json" in fs][0]
    expected = measured(ref_record)
    resumed = 0
    for i in range(KILLS):
        out = os.path.join(scratch, f"kill{i}")
        p = subprocess.Popen(["dotnet", HARNESS, "run", "--assignment", "hw4", "--task", "2b", "--output", out], env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.5, 6.0))
        p.send_signal(signal.SIGKILL); p.wait()
        code, log = run("run", "--assignment", "hw4", "--task", "2b", "--output", out)
        resumed += "resuming after epoch" in log
        records = [os.path.join(d, "record.json") for d, _, fs in os.walk(out) if "record.json" in fs and not d.endswith(".partial")]
        if code != 0 or len(records) != 1 or measured(records[0]) != expected:
            counts["lost_or_corrupted_records"] += 1; print("  kill", i, "code", code, log[-300:])
        counts["stray_temp_files"] += len(temps(out))
    print(f"kill -9 while training: {KILLS} kills, {resumed} reruns resumed from a checkpoint")

# --- kill -9 while writing a report -------------------------------------------------------------------------------
def report_kills():
    runs = os.path.join(scratch, "report-runs")
    for t in ("1a", "2a"): run("run", "--assignment", "hw4", "--task", t, "--output", runs)
    outdir = os.path.join(scratch, "reports"); pdf = os.path.join(outdir, "hw4.pdf")
    run("report", "--assignment", "hw4", "--out", pdf, "--output", runs)
    def consistent():
        score = json.load(open(os.path.join(outdir, "results.json")))
        text = " ".join(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout.split())
        def num(v): return f"{v:.2f}".rstrip("0").rstrip(".")
        return f"{num(score['score'])} of {num(score['max_score'])} points" in text
    for i in range(REPORTS):
        p = subprocess.Popen(["dotnet", HARNESS, "report", "--assignment", "hw4", "--out", pdf, "--output", runs], env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.3, 3.0))
        p.send_signal(signal.SIGKILL); p.wait()
        if not consistent(): counts["mismatched_sets"] += 1; print("  report kill", i, "left a mismatched set")
    run("report", "--assignment", "hw4", "--out", pdf, "--output", runs)
    if not consistent(): counts["mismatched_sets"] += 1
    counts["stray_temp_files"] += len(temps(outdir)) + max(0, len(os.listdir(os.path.join(outdir, ".hw4.sets"))) - 1)
    print(f"kill -9 while reporting: {REPORTS} kills")

# --- concurrent pairs ---------------------------------------------------------------------------------------------
def pairs():
    for i in range(PAIRS):
        out = os.path.join(scratch, f"pair{i}")
        a = subprocess.Popen(["dotnet", HARNESS, "run", "--assignment", "hw4", "--task", "2b", "--output", out], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(random.uniform(0, 1.5))
        b = subprocess.Popen(["dotnet", HARNESS, "run", "--assignment", "hw4", "--task", "2b", "--output", out], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        oa, ob = a.communicate()[0], b.communicate()[0]
        folders = [d for d in os.listdir(os.path.join(out, "hw4", "2b")) if os.path.isdir(os.path.join(out, "hw4", "2b", d))]
        ok = a.returncode == 0 and b.returncode == 0 and len(folders) == 1
        if ok:
            rec = json.load(open(os.path.join(out, "hw4", "2b", folders[0], "record.json")))
            ok = all(os.path.exists(os.path.join(out, "hw4", "2b", folders[0], f["specFile"])) for f in rec["figures"])
        if not ok: counts["failed_pairs"] += 1; print("  pair", i, a.returncode, b.returncode, folders, (oa + ob)[-300:])
        for o in (oa, ob):
            if "   at " in o: counts["stack_traces"] += 1
        counts["stray_temp_files"] += len(temps(out))
    print(f"concurrent pairs: {PAIRS}")

try:
    bad_inputs(); kills(); report_kills(); pairs()
finally:
    shutil.rmtree(scratch, ignore_errors=True)
print("; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))
sys.exit(1 if any(counts.values()) else 0)
