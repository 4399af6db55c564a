using System.Diagnostics;
using System.Globalization;
using Harness.Bench;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
using Harness.Core.Metrics;
using Harness.Core.Training;
using Harness.Tasks.Common;
using Harness.Tasks.Ex08.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Cli;

/// <summary>
/// <c>harness bench</c>: the numbers speed targets are measured with.
/// <list type="bullet">
/// <item>Throughput of the Ex08 Q1.2 network's training steps (through the harness's trainer) and inference, on seeded
/// noise of the Fashion-MNIST shape (the cost of a step does not depend on pixel values), and the peak memory.</item>
/// <item>The harness's training path against the bare loop (<see cref="BareLoop"/>) on a task's model, data, sizes and
/// epochs, interleaved, in one process: the loop ratio.</item>
/// <item><c>--processes N</c>: N interleaved pairs of whole processes, <c>harness run --force</c> against
/// <c>harness-bare</c>: wall time and peak memory, medians and ratio.</item>
/// <item><c>--pytorch</c>: the same workload through Debian's python3-torch, with the BLAS it uses.</item>
/// <item><c>--eval-batches 64,256,1000</c>: evaluation throughput per batch size (how the default was chosen).</item>
/// </list>
/// </summary>
public static class BenchCommand
{
    public static int Run(Arguments args, HarnessOptions options, IProgressSink progress)
    {
        var batches = args.Int("batches") ?? 100;
        var batchSize = args.Int("batch-size") ?? 64;
        var workloadName = args.Value("workload") ?? "ex08-1.2";
        var repeats = args.Int("repeats") ?? 3;
        var processes = args.Int("processes") ?? 0;
        var pytorch = args.Switch("pytorch");
        var evalBatches = args.Values("eval-batches").Select(v => int.TryParse(v, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new UsageException($"--eval-batches takes positive whole numbers (got '{v}')")).ToList();
        var loop = !args.Switch("no-loop");
        var trainOverride = args.Int("train");
        var epochsOverride = args.Int("epochs");
        args.EnsureAllRead();
        if (batches < 1 || batchSize < 1 || repeats < 1 || processes < 0) throw new UsageException("--batches, --batch-size and --repeats must be positive, --processes ≥ 0");
        if (!BenchWorkload.Names.Contains(workloadName)) throw new UsageException($"--workload must be one of {string.Join(", ", BenchWorkload.Names)}");

        var device = RunEnvironment.ResolveDevice(options.Device);
        RunEnvironment.Seed(options.Seed, options.Threads);
        Throughput(device, batches, batchSize, options.Seed);
        var w = BenchWorkload.Get(workloadName, options.Profile);
        if (trainOverride is { } t) w = w with { Train = t };
        if (epochsOverride is { } e) w = w with { Epochs = e };
        if (loop || evalBatches.Count > 0)
        {
            var data = Prepare(w, options, progress);
            if (loop) LoopComparison(w, data, device, repeats, options.Seed);
            if (evalBatches.Count > 0) EvalSweep(w, data, device, evalBatches);
        }
        if (processes > 0) ProcessComparison(w, options, processes);
        if (pytorch) PyTorchComparison(w, options);
        return 0;
    }

    /// <summary>Training-step and inference images/s of the Q1.2 network on noise, through the harness's own trainer.</summary>
    private static void Throughput(Device device, int batches, int batchSize, int seed)
    {
        using var model = new MnistExampleCnn();
        model.to(device);
        long n = (long)batches * batchSize;
        var noise = new ImageDataSet("noise", rand(new long[] { n, 1, 28, 28 }), randint(0, 10, new long[] { n }), Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
        var objective = new ClassifierObjective(model, noise, null, null, device);
        var recipe = new TrainingRecipe(1, batchSize, new OptimizerSpec("Adadelta", 1.0));
        Console.WriteLine($"Q1.2 network (MnistExampleCnn, {ModelSummary.TotalParameters(model):N0} parameters) on {RunEnvironment.DeviceName(device)}, " +
                          $"{get_num_threads()} threads, batch {batchSize}, {batches} timed batches after 5 warm-up");
        new Trainer(model, recipe with { MaxBatches = 5 }, objective, device, LineProgress.Silent).Fit(seed);
        var train = new Trainer(model, recipe, objective, device, LineProgress.Silent).Fit(seed).ImagesPerSecond;
        Evaluation.Predict(model, noise, device, batchSize);
        var sw = Stopwatch.StartNew();
        Evaluation.Predict(model, noise, device, batchSize);
        var infer = n / sw.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training  (forward+backward+step): {train:0} images/s\ninference (eval, no grad):          {infer:0} images/s\npeak working set: {PeakMiB():0} MiB"));
    }

    /// <summary>The workload's splits as its task prepares them (stratified, seeded, standardised).</summary>
    private static PreparedData Prepare(BenchWorkload w, HarnessOptions options, IProgressSink progress)
    {
        var data = new DataSets(options, progress).Load(w.Data);
        return DataPreparation.Prepare(data, new DataSizes(w.Train, w.Validation, w.Test), options.Seed);
    }

    /// <summary>The harness's training path and the bare loop on the same model and data, interleaved, medians of <paramref name="repeats"/>.</summary>
    private static void LoopComparison(BenchWorkload w, PreparedData data, Device device, int repeats, int seed)
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            TrainingResult? lastHarness = null;
            BareLoop.Result? lastBare = null;
            double Harness(int run)
            {
                manual_seed(seed);
                using var model = w.Model();
                var recipe = new TrainingRecipe(w.Epochs, w.BatchSize, new OptimizerSpec(w.Optimizer, w.LearningRate, StepDecay: w.StepDecay));
                var trainer = new Trainer(model, recipe, new ClassifierObjective(model, data.Train, w.Validation > 0 ? data.Validation : null, data.Test, device), device, LineProgress.Silent)
                    { Checkpoint = new TrainingCheckpoint(Path.Combine(folder, $"run{run}")), Label = w.Name };
                var sw = Stopwatch.StartNew();
                lastHarness = trainer.Fit(seed);
                return sw.Elapsed.TotalSeconds;
            }
            double Bare()
            {
                manual_seed(seed);
                using var model = w.Model();
                lastBare = BareLoop.Train(model, new(data.Train.Images, data.Train.Labels), new(data.Validation.Images, data.Validation.Labels),
                    new(data.Test.Images, data.Test.Labels), w.Epochs, w.BatchSize, w.CreateOptimizer, w.Schedule, device, seed);
                return lastBare.Seconds;
            }
            Harness(0); Bare();   // warm-up: JIT and allocator
            var pairs = Enumerable.Range(1, repeats).Select(i =>
            {
                var h = Harness(i); var hs = (lastHarness!.StepSeconds, lastHarness.EvalSeconds, lastHarness.CheckpointSeconds);
                var b = Bare();
                return (H: h, B: b, HStep: hs.StepSeconds, BStep: lastBare!.StepSeconds, HEval: hs.EvalSeconds, BEval: lastBare.EvalSeconds, Ckpt: hs.CheckpointSeconds);
            }).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"training loop, {w.Name} ({w.Train:N0} images, {w.Epochs} epochs, evaluation after each): harness {Median(pairs.Select(p => p.H)):0.000} s, bare {Median(pairs.Select(p => p.B)):0.000} s, " +
                $"ratio {Median(pairs.Select(p => p.H / p.B)):0.000} (median of {repeats} interleaved pairs)\n" +
                $"  training steps: harness {Median(pairs.Select(p => p.HStep)):0.000} s, bare {Median(pairs.Select(p => p.BStep)):0.000} s, ratio {Median(pairs.Select(p => p.HStep / p.BStep)):0.000}; " +
                $"evaluation: harness {Median(pairs.Select(p => p.HEval)):0.000} s (batch {Evaluation.BatchSize(device)}), bare {Median(pairs.Select(p => p.BEval)):0.000} s (batch 1,000); " +
                $"harness checkpoints {Median(pairs.Select(p => p.Ckpt)):0.000} s"));
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    /// <summary>Evaluation images/s of the workload's model on its test split at each batch size.</summary>
    private static void EvalSweep(BenchWorkload w, PreparedData data, Device device, IReadOnlyList<int> sizes)
    {
        using var model = w.Model();
        model.to(device);
        foreach (var size in sizes)
        {
            Evaluation.LossAndAccuracy(model, data.Test, device, size);
            var times = Enumerable.Range(0, 3).Select(_ => { var sw = Stopwatch.StartNew(); Evaluation.LossAndAccuracy(model, data.Test, device, size); return sw.Elapsed.TotalSeconds; }).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluation, {w.Name}, batch {size,5}: {data.Test.Count / Median(times):0} images/s"));
        }
    }

    /// <summary>Whole processes: `harness run --force` of the workload's task against `harness-bare`, interleaved.</summary>
    private static void ProcessComparison(BenchWorkload w, HarnessOptions options, int pairs)
    {
        var bare = BareExecutable() ?? throw new HarnessException("harness-bare.dll was not found; build the solution (dotnet build Harness.sln -c Release) first.");
        var folder = new DataSets(options, LineProgress.Silent).Locate(w.Data) ?? throw new HarnessException($"{w.Data.DisplayName} not found in the data roots.");
        var output = Path.Combine(Path.GetTempPath(), "harness-bench-runs-" + Guid.NewGuid().ToString("N")[..8]);
        var harness = Path.Combine(AppContext.BaseDirectory, "harness.dll");
        var profile = options.ProfileName;
        try
        {
            var rows = new List<(double H, double B, double HMem, double BMem)>();
            for (int i = 0; i <= pairs; i++)
            {
                var (h, hOut) = Timed(harness, "run", "--assignment", w.Assignment, "--task", w.Task, "--force", "--output", output, "--profile", profile, "--seed", options.Seed.ToString(CultureInfo.InvariantCulture));
                var (b, bOut) = Timed(bare, w.Name, folder, profile);
                if (i > 0) rows.Add((h, b, Peak(hOut), Peak(bOut)));   // the first pair warms the disk cache and the decoded-data cache
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"whole process, {w.Name} ({profile}): harness run {Median(rows.Select(r => r.H)):0.00} s, bare {Median(rows.Select(r => r.B)):0.00} s, ratio {Median(rows.Select(r => r.H / r.B)):0.000}; " +
                $"peak working set {Median(rows.Select(r => r.HMem)):0} MiB vs {Median(rows.Select(r => r.BMem)):0} MiB (medians of {pairs} interleaved pairs after one warm-up pair)"));
        }
        finally { if (Directory.Exists(output)) Directory.Delete(output, true); }
    }

    /// <summary>The same workload through PyTorch (Debian's python3-torch), when installed.</summary>
    private static void PyTorchComparison(BenchWorkload w, HarnessOptions options)
    {
        var folder = new DataSets(options, LineProgress.Silent).Locate(w.Data) ?? throw new HarnessException($"{w.Data.DisplayName} not found in the data roots.");
        var script = Path.Combine(Path.GetTempPath(), $"harness-bench-{Environment.ProcessId}.py");
        File.WriteAllText(script, PyTorchBench.Script);
        try
        {
            // Debian's interpreter, whose python3-torch this is (a pyenv or venv python3 earlier on PATH would not have it).
            var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
            var (seconds, output) = Run(python, script, w.Name, folder, w.Train.ToString(CultureInfo.InvariantCulture), w.Validation.ToString(CultureInfo.InvariantCulture),
                w.Test.ToString(CultureInfo.InvariantCulture), w.Epochs.ToString(CultureInfo.InvariantCulture), w.BatchSize.ToString(CultureInfo.InvariantCulture),
                w.Optimizer, w.LearningRate.ToString(CultureInfo.InvariantCulture), (w.StepDecay ?? 1).ToString(CultureInfo.InvariantCulture),
                RunEnvironment.EffectiveThreads(options.Threads).ToString(CultureInfo.InvariantCulture));
            if (output.Contains("No module named 'torch'")) { Console.WriteLine("pytorch: python3-torch is not installed (apt-get install python3-torch)"); return; }
            Console.WriteLine(output.Trim());
            Console.WriteLine($"pytorch: BLAS {PyTorchBench.Blas()}");
        }
        finally { File.Delete(script); }
    }

    private static string? BareExecutable()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "harness-bare.dll");
        if (File.Exists(beside)) return beside;
        var root = OptionsLoader.FindSettingsFile() is { } f ? Path.GetDirectoryName(f)! : null;
        if (root is null) return null;
        return new[] { "Release", "Debug" }.Select(c => Path.Combine(root, "src", "BareLoop", "bin", c, "net10.0", "linux-x64", "harness-bare.dll")).FirstOrDefault(File.Exists);
    }

    private static (double Seconds, string Output) Timed(string dll, params string[] args) => Run("dotnet", new[] { dll }.Concat(args).ToArray());

    private static (double Seconds, string Output) Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new HarnessException($"could not start {program}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var seconds = sw.Elapsed.TotalSeconds;
        if (p.ExitCode != 0 && !stderr.Result.Contains("No module named"))
            throw new HarnessException($"{program} {string.Join(' ', args)} exited with {p.ExitCode}: {stderr.Result.Trim()}");
        return (seconds, stdout.Result + stderr.Result);
    }

    private static double Peak(string output) =>
        output.Split('\n').Where(l => l.StartsWith("peak working set:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(':')[1].Replace("MiB", "").Trim(), CultureInfo.InvariantCulture)).LastOrDefault(double.NaN);

    public static double PeakMiB() => Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}
